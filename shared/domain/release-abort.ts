import type { Release, ServiceRecord } from '../schemas/release.js';
import { eventBase, publish } from './release-events.js';
import { remember } from './release-endings.js';
import type { ActiveRelease, MachineContext, Transition } from './release-input.js';
import { revertSplit, soleSplit } from './traffic.js';

/**
 * Ends the active release `aborted`: all traffic on the stable at once, and — unlike a rollback —
 * the candidate image is NOT marked failed, because nothing judged it (its provisioning was
 * interrupted, or it made no progress before the deadline). A re-push or `cutover retry` releases
 * it again.
 */
export function abort(
  record: ServiceRecord,
  release: ActiveRelease,
  reason: string,
  ctx: MachineContext,
): Transition {
  const ended: Release = {
    id: release.id,
    candidate: release.candidate,
    tag: release.tag,
    startedAt: release.startedAt,
    phase: 'aborted',
    endedAt: ctx.now.toISOString(),
    reason,
    lastVerdict: release.phase === 'shifting' ? release.lastVerdict : null,
  };
  const traffic =
    release.phase === 'provisioning'
      ? soleSplit(record.stable)
      : revertSplit(record.stable, release.candidate);
  return {
    record: {
      ...record,
      release: ended,
      history: remember(record, {
        id: release.id,
        image: release.candidate.image,
        phase: 'aborted',
        endedAt: ended.endedAt,
        detail: reason,
      }),
    },
    commands: [
      { kind: 'update-service', traffic },
      publish({
        type: 'release.aborted',
        ...eventBase(ctx.config.service, release, ctx.now),
        percent: 0,
        reason,
      }),
    ],
    ignored: null,
    summary: `aborted ${release.id}: ${reason}`,
  };
}
