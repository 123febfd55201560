import { z } from 'zod';
import { CheckResult, RollbackTrigger, Slot, Verdict } from './release.js';

const Timestamp = z.iso.datetime({ offset: true });

/** Fields every release event carries, so a subscriber can build notifications or an audit trail. */
const ReleaseEventBase = z.object({
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
  ReleaseEventBase.extend({ type: z.literal('release.superseded'), supersededBy: z.string() }),
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
  /** Published by Cloud Scheduler each minute (no service: fan out), or by the fan-out (one service). */
  z.object({
    type: z.literal('release.tick'),
    service: z.string().min(1).optional(),
    at: Timestamp.optional(),
  }),
  /** An operator asks to promote, pause or resume the active release of a service. */
  z.object({
    type: z.enum(['operator.promote', 'operator.pause', 'operator.resume']),
    service: z.string().min(1),
    requestedBy: z.string().default('unknown'),
    at: Timestamp.optional(),
  }),
  /** A container rollback changed the image under Terraform; a pipeline may want to re-plan. */
  z.object({
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
