import type { ServiceConfig } from '../schemas/config.js';
import type { SmokeSummary } from '../schemas/events.js';
import { isTerminal, type Release, type ServiceRecord } from '../schemas/release.js';
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
  /** The candidate revision became ready. */
  | { type: 'candidate-ready'; releaseId: string }
  /** The candidate revision failed to start. */
  | { type: 'candidate-failed'; releaseId: string; reason: string }
  /** The smoke test of the candidate finished. */
  | { type: 'smoke-result'; releaseId: string; smoke: SmokeSummary }
  /** A tick measured blue and green over the current step's window. */
  | {
      type: 'analysis';
      releaseId: string;
      step: number;
      blue: RevisionMetrics;
      green: RevisionMetrics;
      window: { start: Date; end: Date };
    }
  /** A Cloud Monitoring incident opened for this service. */
  | { type: 'alert'; incidentId: string; policy: string | null }
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
