import type { SmokeSummary } from '../schemas/events.js';
import {
  FAILED_IMAGES_LIMIT,
  HISTORY_LIMIT,
  PREVIOUS_STABLES_LIMIT,
  type CheckResult,
  type HistoryEntry,
  type Release,
  type RollbackTrigger,
  type ServiceRecord,
  type Verdict,
} from '../schemas/release.js';
import { eventBase, publish } from './release-events.js';
import type { MachineContext, Transition } from './release-input.js';
import { rollbackTag } from './rollback-tag.js';
import { promoteSplit, revertSplit, soleSplit } from './traffic.js';

type ActiveRelease = Extract<Release, { phase: 'provisioning' | 'smoke-testing' | 'shifting' }>;

export interface RollbackDetail {
  trigger: RollbackTrigger;
  reason: string;
  requestedBy: string | null;
  smoke?: SmokeSummary;
  verdict?: Verdict | null;
}

function lastVerdictOf(release: ActiveRelease): Verdict | null {
  return release.phase === 'shifting' ? release.lastVerdict : null;
}

/** Adds to the bounded history, newest first. */
export function remember(record: ServiceRecord, entry: HistoryEntry): HistoryEntry[] {
  return [entry, ...record.history.filter((h) => h.id !== entry.id)].slice(0, HISTORY_LIMIT);
}

/** Marks an image failed so a later push of it is ignored; bounded, newest first. */
export function markFailed(record: ServiceRecord, image: string): string[] {
  return [image, ...record.failedImages.filter((i) => i !== image)].slice(0, FAILED_IMAGES_LIMIT);
}

/**
 * Ends the active release by putting all traffic on the stable revision at once. The candidate
 * keeps its tag at 0% (for inspection) unless it never became ready; its image is marked failed.
 */
export function rollBack(
  record: ServiceRecord,
  release: ActiveRelease,
  detail: RollbackDetail,
  ctx: MachineContext,
  service: string,
): Transition {
  const verdict = detail.verdict ?? lastVerdictOf(release);
  const ended: Release = {
    id: release.id,
    candidate: release.candidate,
    tag: release.tag,
    startedAt: release.startedAt,
    phase: 'rolled-back',
    endedAt: ctx.now.toISOString(),
    trigger: detail.trigger,
    reason: detail.reason,
    requestedBy: detail.requestedBy,
    lastVerdict: verdict,
  };
  const next: ServiceRecord = {
    ...record,
    release: ended,
    // A template-change release runs the stable image: the template failed, not the image.
    failedImages:
      release.candidate.image === record.stable.image
        ? record.failedImages
        : markFailed(record, release.candidate.image),
    history: remember(record, {
      id: release.id,
      image: release.candidate.image,
      phase: 'rolled-back',
      endedAt: ended.endedAt,
      detail: `${detail.trigger}: ${detail.reason}`,
      by: detail.requestedBy,
    }),
  };
  const candidateServes = release.phase !== 'provisioning';
  const traffic = candidateServes
    ? revertSplit(record.stable, release.candidate)
    : soleSplit(record.stable);
  const failedChecks: CheckResult[] = verdict?.checks.filter((c) => c.outcome === 'fail') ?? [];
  return {
    record: next,
    ignored: null,
    summary: `rolled back ${release.id} (${detail.trigger}): ${detail.reason}`,
    commands: [
      { kind: 'update-service', traffic },
      {
        kind: 'publish',
        event: {
          type: 'release.rolled-back',
          ...eventBase(service, release, ctx.now, verdict),
          percent: 0,
          trigger: detail.trigger,
          reason: detail.reason,
          requestedBy: detail.requestedBy,
          stable: record.stable,
          smoke: detail.smoke ?? null,
          failedChecks,
        },
      },
    ],
  };
}

/**
 * Makes the candidate the stable revision at 100%. The previous stable image gets a
 * `rollback-<UTC>` tag so a container rollback can find it later.
 */
export function promote(
  record: ServiceRecord,
  release: ActiveRelease,
  verdict: Verdict | null,
  ctx: MachineContext,
  service: string,
  requestedBy: string | null = null,
): Transition {
  const previous = record.stable;
  const tag = rollbackTag(ctx.now);
  const ended: Release = {
    id: release.id,
    candidate: release.candidate,
    tag: release.tag,
    startedAt: release.startedAt,
    phase: 'promoted',
    endedAt: ctx.now.toISOString(),
    lastVerdict: verdict,
    requestedBy,
    previousStable: previous,
  };
  const next: ServiceRecord = {
    ...record,
    stable: release.candidate,
    previousStables: [previous, ...(record.previousStables ?? [])].slice(0, PREVIOUS_STABLES_LIMIT),
    release: ended,
    history: remember(record, {
      id: release.id,
      image: release.candidate.image,
      phase: 'promoted',
      endedAt: ended.endedAt,
      detail: `promoted ${release.tag}; previous image tagged ${tag}`,
      by: requestedBy,
    }),
  };
  return {
    record: next,
    ignored: null,
    summary: `promoted ${release.id}: ${release.candidate.revision} is now stable`,
    commands: [
      { kind: 'update-service', traffic: promoteSplit(release.candidate, previous) },
      { kind: 'tag-image', image: previous.image, tag },
      publish({
        type: 'release.promoted',
        ...eventBase(service, ended, ctx.now, verdict),
        stable: release.candidate,
        rollbackTag: tag,
        requestedBy,
      }),
    ],
  };
}
