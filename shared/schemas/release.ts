import { z } from 'zod';
import { Color } from './config.js';
import { Hold } from './hold.js';
import { Inputs, Outbox } from './outbox.js';
import { CheckName, Verdict } from './verdict.js';

export { CheckName, CheckResult, Outcome, TrafficShares, Verdict } from './verdict.js';

const Timestamp = z.iso.datetime({ offset: true });

/** One of the two slots: a revision (short name), the image it runs (by digest) and its color. */
export const Slot = z.object({
  revision: z.string().min(1),
  /** Full image reference by digest: `host/project/repo/image@sha256:...`. */
  image: z.string().min(1),
  color: Color,
  /** Its version (`v2`, see shared/domain/version-tag.ts), reachable under its version tag; absent when none. */
  version: z.string().min(1).optional(),
});
export type Slot = z.infer<typeof Slot>;

export const RollbackTrigger = z.enum([
  'analysis',
  'smoke',
  'alert',
  'manual-traffic',
  'manual-container',
  'provision-failed',
  /** The shadow replay of the stable's logged requests failed, before any user traffic. */
  'shadow',
]);
export type RollbackTrigger = z.infer<typeof RollbackTrigger>;

const ReleaseBase = z.object({
  id: z.string().min(1),
  candidate: Slot,
  /** The tag that was pushed. */
  tag: z.string().min(1),
  startedAt: Timestamp,
  /** What keeps this release from being promoted (absent: nothing). See hold.ts. */
  holds: z.array(Hold).optional(),
  /** Last progress (phase change or verdict): the no-progress deadline counts from here. */
  progressAt: Timestamp.optional(),
  /** Who asked for it when a person did (`cutover retry`), else null. */
  requestedBy: z.string().nullable().optional(),
});

const Step = z.object({
  index: z.number().int().nonnegative(),
  percent: z.number().int().min(0).max(100),
  startedAt: Timestamp,
  /** When the step before began (null on the first): at 100% the stable's baseline comes from it. */
  previousStartedAt: Timestamp.nullable().default(null),
  /**
   * The step's planned pass looks once it took its first (stats/planned-looks.ts): where look 1
   * was, in green requests, and how many it took. Absent until then (and on older records).
   */
  passLooks: z
    .object({ first: z.number().positive(), taken: z.number().int().nonnegative() })
    .optional(),
  /** The checks that passed at this step: a pass holds for the rest of the step (pass-looks.ts). */
  passed: z.array(CheckName).optional(),
});
export type Step = z.infer<typeof Step>;

/** A release, one variant per phase. */
export const Release = z.discriminatedUnion('phase', [
  /** The candidate revision is being created at 0%. */
  ReleaseBase.extend({ phase: z.literal('provisioning') }),
  /** The candidate is ready and gets smoke tested on its tag URL before any traffic. */
  ReleaseBase.extend({ phase: z.literal('smoke-testing') }),
  /** The candidate serves step.percent; each tick judges the step. */
  ReleaseBase.extend({
    phase: z.literal('shifting'),
    step: Step,
    /**
     * Where the evidence the judge pools begins: the first step's start, or the last resume.
     * Green's data from earlier steps stays evidence about green, so each look judges all of it;
     * the bake still counts the current step's own evidence. Absent (older records): the step's start.
     */
    evidenceSince: Timestamp.optional(),
    consecutiveFailures: z.number().int().nonnegative(),
    /** When the run of inconclusive verdicts began, or null. */
    inconclusiveSince: Timestamp.nullable(),
    stalled: z.boolean(),
    paused: z.boolean(),
    lastVerdict: Verdict.nullable(),
  }),
  /** Terminal: the candidate became the stable revision. */
  ReleaseBase.extend({
    phase: z.literal('promoted'),
    endedAt: Timestamp,
    lastVerdict: Verdict.nullable(),
    /** Who promoted it by hand; null when the analysis did. */
    requestedBy: z.string().nullable().optional(),
    /** The stable it replaced, still deployed at 0% under its tag: what `cutover undo` goes back to. */
    previousStable: Slot.nullable().optional(),
  }),
  /** Terminal: all traffic went back to the stable revision (or to a rollback image). */
  ReleaseBase.extend({
    phase: z.literal('rolled-back'),
    endedAt: Timestamp,
    trigger: RollbackTrigger,
    reason: z.string(),
    requestedBy: z.string().nullable(),
    lastVerdict: Verdict.nullable(),
    /**
     * A container rollback (release-container.ts): the revision it deployed, the stable it
     * replaced and the stables before it (put back if that revision does not start), and why it
     * did not (null: it was deployed, or is being).
     */
    container: z
      .object({
        revision: z.string(),
        replaced: z.object({ stable: Slot, previousStables: z.array(Slot) }),
        failed: z.string().nullable(),
      })
      .optional(),
  }),
  /**
   * Terminal: the release could not go on (interrupted provisioning, no progress before the
   * deadline); all traffic is on the stable and the image is NOT marked failed, so it can be retried.
   */
  ReleaseBase.extend({
    phase: z.literal('aborted'),
    endedAt: Timestamp,
    reason: z.string(),
    lastVerdict: Verdict.nullable(),
  }),
  /**
   * Terminal: a newer push replaced this release before it finished (`supersededBy` its release
   * id), or a revision cutover did not create took its traffic (`supersededBy` that revision, and
   * `reason` says what was found: shared/domain/out-of-band.ts).
   */
  ReleaseBase.extend({
    phase: z.literal('superseded'),
    endedAt: Timestamp,
    supersededBy: z.string(),
    reason: z.string().optional(),
  }),
]);
export type Release = z.infer<typeof Release>;
export type Phase = Release['phase'];

export const TERMINAL_PHASES = ['promoted', 'rolled-back', 'superseded', 'aborted'] as const;
export function isTerminal(phase: Phase): boolean {
  return (TERMINAL_PHASES as readonly string[]).includes(phase);
}

/** A finished release, kept short for `cutover status`. */
export const HistoryEntry = z.object({
  id: z.string(),
  image: z.string(),
  phase: z.enum(TERMINAL_PHASES),
  endedAt: Timestamp,
  detail: z.string(),
  /** Who ended it by hand (a promote, rollback or undo); null when cutover decided. */
  by: z.string().nullable().optional(),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/** One thing a person (or a tool acting for one) did: `cutover pause`, a page button, an undo… */
export const ManualAction = z.object({
  action: z.enum(['promote', 'pause', 'resume', 'rollback', 'rollback-container', 'undo', 'retry']),
  by: z.string(),
  at: Timestamp,
  releaseId: z.string().nullable(),
  detail: z.string(),
});
export type ManualAction = z.infer<typeof ManualAction>;

/**
 * A person's request (rollback, pause) that hit a permanent error: the release holds where it is
 * (never advances or promotes past it) and every tick retries the request until it is carried out.
 */
export const HeldRequest = z.object({
  request: z.discriminatedUnion('type', [
    z.object({ type: z.literal('rollback-traffic'), reason: z.string() }),
    z.object({
      type: z.literal('rollback-container'),
      reason: z.string(),
      id: z.string().min(1),
      image: z.string().min(1),
      tag: z.string(),
      revision: z.string().min(1),
    }),
    z.object({ type: z.literal('pause') }),
  ]),
  requestedBy: z.string(),
  since: Timestamp,
  attempts: z.number().int().positive(),
  /** The error, and what a person must fix for the retry to pass. */
  error: z.string(),
  fix: z.string(),
});
export type HeldRequest = z.infer<typeof HeldRequest>;

/**
 * Everything cutover keeps about one service, persisted in its `cutover.dev/` annotations. The
 * fields added for exactly-once delivery are optional so a record written before them still reads
 * (absent = empty).
 */
export const ServiceRecord = z.object({
  stable: Slot,
  /**
   * The stables before the current one, newest first (recorded at promotion): a container
   * rollback goes to the first, never further back.
   */
  previousStables: z.array(Slot).optional(),
  release: Release.nullable(),
  /** Image digests that failed a judged release; a push of one of them is ignored. */
  failedImages: z.array(z.string()),
  history: z.array(HistoryEntry),
  /** What people did to the service's releases, newest first (see ACTIONS_LIMIT). */
  actions: z.array(ManualAction).optional(),
  /** Side effects written with a decision and not yet carried out. */
  outbox: Outbox.optional(),
  /** The inputs the record already acted on (tick slot, delivery ids). */
  inputs: Inputs.optional(),
  /** A person's request that could not be carried out yet, or null. */
  held: HeldRequest.nullable().optional(),
  /**
   * The invocation running the smoke phase of release `releaseId` (probes, shadow replay) until
   * `until`: another one waits instead of probing and replaying again (usecases/smoke-lease.ts).
   */
  smokeLease: z.object({ releaseId: z.string(), owner: z.string(), until: Timestamp }).optional(),
});
export type ServiceRecord = z.infer<typeof ServiceRecord>;

export const HISTORY_LIMIT = 10;
export const FAILED_IMAGES_LIMIT = 50;
export const ACTIONS_LIMIT = 20;
export const PREVIOUS_STABLES_LIMIT = 3;
