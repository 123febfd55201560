import type { ServiceConfig } from '../schemas/config.js';
import type { SmokeSummary } from '../schemas/events.js';
import { isTerminal, type Release, type ServiceRecord, type Verdict } from '../schemas/release.js';
import type { Command } from './commands.js';
import type { RevisionMetrics } from './measurement.js';

/** Who asked, and why: kept on the record and in the published event. */
export interface Request {
  requestedBy: string;
  reason: string;
}

/** Everything that can happen to a service's release, as the state machine sees it. */
export type ReleaseInput =
  /** A tag of a followed image was pushed. `releaseId` is fresh, `image` is `repo@sha256:…`. */
  | { type: 'push'; releaseId: string; image: string; tag: string }
  /**
   * The service's template changed outside cutover (terraform apply): `revision` is the revision
   * it made, ready at 0 %. Released like a push, with the stable image (release-template.ts).
   */
  | { type: 'template-change'; releaseId: string; revision: string }
  /** The candidate revision became ready. */
  | { type: 'candidate-ready'; releaseId: string }
  /** The candidate revision failed to start. */
  | { type: 'candidate-failed'; releaseId: string; reason: string }
  /**
   * The release cannot go on and nothing judged its image: an interrupted provisioning, or no
   * progress before the deadline. Ends `aborted`; the image is not marked failed.
   */
  | { type: 'abort'; releaseId: string; reason: string }
  /**
   * The smoke test of the candidate finished; `shadow` is the shadow replay's verdict (null when
   * it did not run: opted out, no logs yet), judged only after a passed smoke test.
   */
  | { type: 'smoke-result'; releaseId: string; smoke: SmokeSummary; shadow?: Verdict | null }
  /** A tick measured blue and green over the current step's window. */
  | {
      type: 'analysis';
      releaseId: string;
      step: number;
      blue: RevisionMetrics;
      green: RevisionMetrics;
      window: { start: Date; end: Date };
    }
  /**
   * A Cloud Monitoring incident opened for this service: about `revision` (null when the policy
   * does not group by revision), started at `startedAt` (null when not sent).
   */
  | {
      type: 'alert';
      incidentId: string;
      policy: string | null;
      revision: string | null;
      startedAt: Date | null;
    }
  /** A Cloud Monitoring incident for this service closed. */
  | { type: 'incident-closed'; incidentId: string }
  /** A person asked for all traffic back on the stable revision. */
  | ({ type: 'rollback-traffic' } & Request)
  /**
   * A person asked to redeploy an earlier image (the newest `rollback-*` tag, resolved by the
   * caller to `image`) as a new revision named `revision`, at 100%.
   */
  | ({
      type: 'rollback-container';
      id: string;
      image: string;
      tag: string;
      revision: string;
    } & Request)
  /**
   * The revision of container rollback `operationId` did not start (`reason`: Cloud Run's
   * words): what it replaced is put back (release-container.ts).
   */
  | { type: 'container-rollback-failed'; operationId: string; revision: string; reason: string }
  /**
   * A person asked to release again an image that failed or was aborted (`cutover retry`):
   * `image` is `repo@sha256:…`, released as a push of `tag` would be (release-retry.ts).
   */
  | { type: 'retry'; releaseId: string; image: string; tag: string; requestedBy: string }
  /** A person asked to undo the last promotion (traffic back on the stable it replaced). */
  | ({ type: 'undo' } & Request)
  /** Operator commands on the active release. */
  | { type: 'promote' | 'pause' | 'resume'; requestedBy: string };

export interface MachineContext {
  /** The service's configuration (steps, thresholds, colors, push policy). */
  config: ServiceConfig;
  now: Date;
}

/** The result of one transition: the next record, what to do, and a line for the log. */
export interface Transition {
  record: ServiceRecord;
  commands: Command[];
  /** Why nothing changed, when nothing did (a duplicate, a stale event…); null when applied. */
  ignored: string | null;
  /** One human line describing what happened. */
  summary: string;
  /**
   * What to decide when the deploy of this transition's update-service fails (its new revision
   * does not start), with Cloud Run's reason: decided before any of this transition's effects
   * go out (usecases/apply.ts).
   */
  onDeployFailure?: Omit<Extract<ReleaseInput, { type: 'container-rollback-failed' }>, 'reason'>;
  /**
   * A write that does not yet act on the input (a smoke-phase claim, usecases/smoke-lease.ts):
   * the delivery is not recorded with it, so the write that does act on it records it.
   */
  provisional?: boolean;
}

/** A release that has not ended. */
export type ActiveRelease = Extract<
  Release,
  { phase: 'provisioning' | 'smoke-testing' | 'shifting' }
>;
/** A release whose candidate serves a step. */
export type ShiftingRelease = Extract<Release, { phase: 'shifting' }>;

/** A transition that changes nothing, saying why. */
export function ignore(record: ServiceRecord, why: string): Transition {
  return { record, commands: [], ignored: why, summary: `ignored: ${why}` };
}

/** The release in flight, or null when the last one ended (or there never was one). */
export function activeRelease(record: ServiceRecord): ActiveRelease | null {
  const r = record.release;
  return r && !isTerminal(r.phase) ? (r as ActiveRelease) : null;
}
