import { z } from 'zod';
import { SHA256_DIGEST } from './inbound/artifact-registry.js';
import { CheckResult, RollbackTrigger, Slot, Verdict } from './release.js';

const Timestamp = z.iso.datetime({ offset: true });

/** Fields every release event carries, so a subscriber can build notifications or an audit trail. */
/** The event's own id (`<release id>.<seq>`), the same on every re-publish: consumers dedupe on it. */
const EventId = z.string().min(1).optional();

const ReleaseEventBase = z.object({
  id: EventId,
  service: z.string().min(1),
  releaseId: z.string().min(1),
  /** Index of the step the event was produced for; null before the first step. */
  step: z.number().int().nonnegative().nullable(),
  /** Traffic percent on the candidate when the event was produced. */
  percent: z.number().int().min(0).max(100),
  at: Timestamp,
  verdict: Verdict.nullable().default(null),
});

export const SmokeSummary = z.object({
  passed: z.boolean(),
  checks: z.array(z.object({ name: z.string(), passed: z.boolean(), detail: z.string() })),
});
export type SmokeSummary = z.infer<typeof SmokeSummary>;

/** Everything published to `cutover-deployment-events`, discriminated on `type`. */
export const DeploymentEvent = z.discriminatedUnion('type', [
  ReleaseEventBase.extend({
    type: z.literal('release.provisioned'),
    candidate: Slot,
    stable: Slot,
  }),
  ReleaseEventBase.extend({ type: z.literal('release.smoke-passed'), smoke: SmokeSummary }),
  ReleaseEventBase.extend({ type: z.literal('release.step-started') }),
  ReleaseEventBase.extend({
    type: z.literal('release.verdict'),
    decision: z.enum(['hold', 'stalled']),
  }),
  ReleaseEventBase.extend({
    type: z.literal('release.promoted'),
    stable: Slot,
    rollbackTag: z.string().nullable(),
    /** Who promoted it by hand; null or absent when the analysis did. */
    requestedBy: z.string().nullable().optional(),
  }),
  ReleaseEventBase.extend({
    type: z.literal('release.rolled-back'),
    trigger: RollbackTrigger,
    reason: z.string(),
    requestedBy: z.string().nullable(),
    stable: Slot,
    smoke: SmokeSummary.nullable().default(null),
    failedChecks: z.array(CheckResult).default([]),
  }),
  ReleaseEventBase.extend({
    type: z.literal('release.superseded'),
    supersededBy: z.string(),
    /** Present when a change outside cutover, not a push, ended the release. */
    reason: z.string().optional(),
  }),
  ReleaseEventBase.extend({
    type: z.literal('release.rejected'),
    image: z.string(),
    reason: z.string(),
  }),
  ReleaseEventBase.extend({
    type: z.literal('release.paused'),
    requestedBy: z.string().nullable(),
  }),
  ReleaseEventBase.extend({
    type: z.literal('release.resumed'),
    requestedBy: z.string().nullable(),
  }),
  ReleaseEventBase.extend({ type: z.literal('release.failed'), error: z.string() }),
  /** The release ended without a judgement (all traffic on the stable); the image may be retried. */
  ReleaseEventBase.extend({ type: z.literal('release.aborted'), reason: z.string() }),
  /** A person's request could not be carried out: the release holds until it can be. */
  ReleaseEventBase.extend({
    type: z.literal('release.held'),
    request: z.string(),
    requestedBy: z.string(),
    error: z.string(),
    fix: z.string(),
  }),
  /** Something (an incident on the stable revision) keeps the release from being promoted. */
  ReleaseEventBase.extend({
    type: z.literal('release.promotion-held'),
    holdId: z.string(),
    reason: z.string(),
  }),
  /** A hold cleared (its incident closed). */
  ReleaseEventBase.extend({
    type: z.literal('release.promotion-hold-released'),
    holdId: z.string(),
    reason: z.string(),
  }),
  /**
   * Cloud Scheduler's tick: one job per service (`service` set), or one job for every configured
   * service (no `service`). `slot` is the tick's identity; without it the message's publish time,
   * cut to the minute (Cloud Scheduler's finest schedule), is the slot.
   */
  z.object({
    type: z.literal('release.tick'),
    service: z.string().min(1).optional(),
    slot: Timestamp.optional(),
    at: Timestamp.optional(),
  }),
  /** An operator asks to promote, pause or resume the active release of a service. */
  z.object({
    id: EventId,
    type: z.enum(['operator.promote', 'operator.pause', 'operator.resume']),
    service: z.string().min(1),
    requestedBy: z.string().default('unknown'),
    at: Timestamp.optional(),
  }),
  /** A person asks to release a failed or aborted image again (`cutover retry`). */
  z.object({
    id: EventId,
    type: z.literal('operator.retry'),
    service: z.string().min(1),
    /** `sha256:…` or `repo@sha256:…`; default: the image of the last release that failed or aborted. */
    image: z
      .string()
      .refine((s) => SHA256_DIGEST.test(s.slice(s.lastIndexOf('@') + 1)), {
        message: 'must be sha256: and 64 hex digits, or IMAGE@sha256:…',
      })
      .optional(),
    requestedBy: z.string().default('unknown'),
    at: Timestamp.optional(),
  }),
  /** A container rollback changed the image under Terraform; a pipeline may want to re-plan. */
  z.object({
    id: EventId,
    type: z.literal('terraform.sync-requested'),
    service: z.string().min(1),
    image: z.string(),
    revision: z.string(),
    reason: z.string(),
    at: Timestamp,
  }),
]);
export type DeploymentEvent = z.infer<typeof DeploymentEvent>;
export type DeploymentEventType = DeploymentEvent['type'];
export type ReleaseEvent = Extract<DeploymentEvent, { releaseId: string }>;
