import type { Release, ServiceRecord } from '../schemas/release.js';
import { markFailed, remember } from './release-endings.js';
import { eventBase, publish } from './release-events.js';
import { ignore, type MachineContext, type Request, type Transition } from './release-input.js';
import { revertSplit } from './traffic.js';

/**
 * Undoes the last promotion: all traffic back on the stable it replaced, which promotion left
 * deployed at 0% under its color tag (instant, no new revision). Recorded like a manual traffic
 * rollback of the promoted release: the record, the history and `release.rolled-back` say so.
 * The caller checks that the previous revision still exists; the domain cannot read it.
 */
export function undoPromotion(
  record: ServiceRecord,
  request: Request,
  ctx: MachineContext,
): Transition {
  const last = record.release;
  if (!last || last.phase !== 'promoted')
    return ignore(
      record,
      last
        ? `nothing to undo: the last release ${last.id} is ${last.phase}, not promoted`
        : 'nothing to undo: cutover has not promoted a release of this service',
    );
  const previous = last.previousStable ?? null;
  if (!previous)
    return ignore(
      record,
      `release ${last.id} was promoted before cutover kept the previous stable; use \`cutover rollback --container\``,
    );
  const reason = `undo of the promotion at ${last.endedAt}: ${request.reason}`;
  const ended: Release = {
    id: last.id,
    candidate: last.candidate,
    tag: last.tag,
    startedAt: last.startedAt,
    phase: 'rolled-back',
    endedAt: ctx.now.toISOString(),
    trigger: 'manual-traffic',
    reason,
    requestedBy: request.requestedBy,
    lastVerdict: last.lastVerdict,
  };
  return {
    record: {
      ...record,
      stable: previous,
      release: ended,
      failedImages: markFailed(record, last.candidate.image),
      history: remember(record, {
        id: last.id,
        image: last.candidate.image,
        phase: 'rolled-back',
        endedAt: ended.endedAt,
        detail: `manual-traffic: ${reason}`,
        by: request.requestedBy,
      }),
    },
    ignored: null,
    summary: `undid the promotion of ${last.id}: ${previous.revision} serves 100% again`,
    commands: [
      { kind: 'update-service', traffic: revertSplit(previous, last.candidate) },
      publish({
        type: 'release.rolled-back',
        ...eventBase(ctx.config.service, ended, ctx.now),
        trigger: 'manual-traffic',
        reason,
        requestedBy: request.requestedBy,
        stable: previous,
        smoke: null,
        failedChecks: [],
      }),
    ],
  };
}
