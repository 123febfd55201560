import type { ServiceRecord, Slot } from '../schemas/release.js';
import { abort } from './release-abort.js';
import { containerRollbackFailed, rollbackContainer } from './release-container.js';
import { eventBase, publish } from './release-events.js';
import { rollBack } from './release-endings.js';
import { onIncident, onIncidentClosed, promoteUnlessHeld } from './release-incidents.js';
import {
  activeRelease,
  ignore,
  type MachineContext,
  type ReleaseInput,
  type Transition,
} from './release-input.js';
import { analyse, pauseOrResume, startShifting } from './release-shifting.js';
import { startRelease } from './release-start.js';
import { startTemplateRelease } from './release-template.js';
import { recordActor } from './release-actors.js';
import { undoPromotion } from './release-undo.js';
import { retryRelease } from './release-retry.js';
import { settleHeld } from './release-held.js';

export { activeRelease } from './release-input.js';
export type { MachineContext, ReleaseInput, Transition } from './release-input.js';

/** The record of a service cutover has not released yet: what serves is the stable, colored blue. */
export function initialRecord(stable: Omit<Slot, 'color'>): ServiceRecord {
  return {
    stable: { ...stable, color: 'blue' },
    release: null,
    failedImages: [],
    history: [],
  };
}

/**
 * The one transition of a service's release: `(record, input, now) -> (record, commands)`.
 * Inputs that no longer match the record (another release, another step, a finished release)
 * change nothing and say why, so at-least-once, out-of-order delivery never moves traffic twice.
 */
export function transition(
  record: ServiceRecord,
  input: ReleaseInput,
  ctx: MachineContext,
): Transition {
  const acted = recordActor(record, input, dispatch(record, input, ctx), ctx.now);
  return stampProgress(settleHeld(record, input, acted), ctx.now);
}

/** Every change of an active release (phase, verdict, operator action) is progress. */
function stampProgress(t: Transition, now: Date): Transition {
  const release = activeRelease(t.record);
  if (t.ignored !== null || !release) return t;
  return { ...t, record: { ...t.record, release: { ...release, progressAt: now.toISOString() } } };
}

function dispatch(record: ServiceRecord, input: ReleaseInput, ctx: MachineContext): Transition {
  const service = ctx.config.service;
  if (input.type === 'push') return startRelease(record, input, ctx, service);
  if (input.type === 'rollback-container') return rollbackContainer(record, input, ctx);
  if (input.type === 'container-rollback-failed')
    return containerRollbackFailed(record, input, ctx);
  if (input.type === 'template-change') return startTemplateRelease(record, input, ctx);
  if (input.type === 'undo') return undoPromotion(record, input, ctx);
  if (input.type === 'retry') return retryRelease(record, input, ctx);

  const active = activeRelease(record);
  if (!active)
    return ignore(
      record,
      `no active release (last: ${record.release ? `${record.release.id} ${record.release.phase}` : 'none'})`,
    );
  if ('releaseId' in input && input.releaseId !== active.id) {
    return ignore(
      record,
      `event for release ${input.releaseId}, but the active release is ${active.id}`,
    );
  }

  switch (input.type) {
    case 'candidate-ready':
      if (active.phase !== 'provisioning')
        return ignore(record, `release ${active.id} is already ${active.phase}`);
      return {
        record: { ...record, release: { ...active, phase: 'smoke-testing' } },
        commands: [
          publish({
            type: 'release.provisioned',
            ...eventBase(service, active, ctx.now),
            candidate: active.candidate,
            stable: record.stable,
          }),
        ],
        ignored: null,
        summary: `candidate ${active.candidate.revision} is ready; smoke testing`,
      };
    case 'candidate-failed':
      if (active.phase !== 'provisioning')
        return ignore(record, `release ${active.id} is already ${active.phase}`);
      return rollBack(
        record,
        active,
        { trigger: 'provision-failed', reason: input.reason, requestedBy: null },
        ctx,
        service,
      );
    case 'abort':
      return abort(record, active, input.reason, ctx);
    case 'smoke-result':
      if (active.phase !== 'smoke-testing')
        return ignore(record, `release ${active.id} is ${active.phase}, not smoke-testing`);
      // The shadow replay runs before the probes: when it fails, it is the reason.
      if (input.shadow?.outcome === 'fail') {
        const failed = input.shadow.checks
          .filter((c) => c.outcome === 'fail')
          .map((c) => `${c.check}: ${c.reason}`);
        const reason = `shadow replay failed: ${failed.join('; ')}`;
        return rollBack(
          record,
          active,
          {
            trigger: 'shadow',
            reason,
            requestedBy: null,
            smoke: input.smoke,
            verdict: input.shadow,
          },
          ctx,
          service,
        );
      }
      if (!input.smoke.passed) {
        const failed = input.smoke.checks
          .filter((c) => !c.passed)
          .map((c) => `${c.name}: ${c.detail}`);
        const reason = `smoke test failed: ${failed.join('; ')}`;
        return rollBack(
          record,
          active,
          { trigger: 'smoke', reason, requestedBy: null, smoke: input.smoke },
          ctx,
          service,
        );
      }
      return startShifting(record, active, input.smoke, ctx, input.shadow ?? null);
    case 'analysis':
      if (active.phase !== 'shifting')
        return ignore(record, `release ${active.id} is ${active.phase}, not shifting`);
      if (input.step !== active.step.index) {
        return ignore(
          record,
          `analysis of step ${input.step}, but release ${active.id} is at step ${active.step.index}`,
        );
      }
      if (active.paused) return ignore(record, `release ${active.id} is paused`);
      return analyse(record, active, input, ctx);
    case 'alert':
      return onIncident(record, active, input, ctx);
    case 'incident-closed':
      return onIncidentClosed(record, active, input, ctx);
    case 'rollback-traffic':
      return rollBack(
        record,
        active,
        { trigger: 'manual-traffic', reason: input.reason, requestedBy: input.requestedBy },
        ctx,
        service,
      );
    case 'promote':
      if (active.phase !== 'shifting')
        return ignore(
          record,
          `release ${active.id} is ${active.phase}; only a shifting release can be promoted`,
        );
      return promoteUnlessHeld(
        record,
        active,
        active.lastVerdict,
        ctx,
        'operator',
        input.requestedBy,
      );
    case 'pause':
    case 'resume':
      return pauseOrResume(record, active, input.type, input.requestedBy, ctx);
    default: {
      const unreachable: never = input;
      throw new Error(`unhandled release input ${JSON.stringify(unreachable)}`);
    }
  }
}
