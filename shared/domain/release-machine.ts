import { isTerminal, type Release, type ServiceRecord, type Slot } from '../schemas/release.js';
import { judgeStep } from './analysis.js';
import { eventBase, publish } from './release-events.js';
import { markFailed, promote, remember, rollBack } from './release-endings.js';
import type { MachineContext, ReleaseInput, Transition } from './release-input.js';
import { startRelease } from './release-start.js';
import { decideStep } from './step-policy.js';
import { nextStep, soleSplit, stepSplit } from './traffic.js';

export type { MachineContext, ReleaseInput, Transition } from './release-input.js';

type Active = Extract<Release, { phase: 'provisioning' | 'smoke-testing' | 'shifting' }>;
type Shifting = Extract<Release, { phase: 'shifting' }>;

/** The record of a service cutover has not released yet: what serves is the stable, colored blue. */
export function initialRecord(stable: Omit<Slot, 'color'>): ServiceRecord {
  return { stable: { ...stable, color: 'blue' }, release: null, failedImages: [], history: [] };
}

/** The release in flight, or null when the last one ended (or there never was one). */
export function activeRelease(record: ServiceRecord): Active | null {
  const r = record.release;
  return r && !isTerminal(r.phase) ? (r as Active) : null;
}

const ignore = (record: ServiceRecord, why: string): Transition => ({
  record,
  commands: [],
  ignored: why,
  summary: `ignored: ${why}`,
});

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
  const service = ctx.config.service;
  if (input.type === 'push') return startRelease(record, input, ctx, service);
  if (input.type === 'rollback-container') return rollbackContainer(record, input, ctx);

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
    case 'smoke-result':
      if (active.phase !== 'smoke-testing')
        return ignore(record, `release ${active.id} is ${active.phase}, not smoke-testing`);
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
      return startShifting(record, active, input.smoke, ctx);
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
      return rollBack(
        record,
        active,
        {
          trigger: 'alert',
          reason: `incident ${input.incidentId}${input.policy ? ` of policy ${input.policy}` : ''} opened`,
          requestedBy: null,
        },
        ctx,
        service,
      );
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
      return promote(record, active, active.lastVerdict, ctx, service);
    case 'pause':
    case 'resume':
      return pauseOrResume(record, active, input.type, input.requestedBy, ctx);
    default: {
      const unreachable: never = input;
      throw new Error(`unhandled release input ${JSON.stringify(unreachable)}`);
    }
  }
}

function startShifting(
  record: ServiceRecord,
  active: Active,
  smoke: { passed: boolean; checks: { name: string; passed: boolean; detail: string }[] },
  ctx: MachineContext,
): Transition {
  const first = nextStep(ctx.config.steps, -1);
  if (!first) throw new Error('config has no steps');
  const release: Shifting = {
    ...active,
    phase: 'shifting',
    step: {
      index: first.index,
      percent: first.percent,
      startedAt: ctx.now.toISOString(),
      previousStartedAt: null,
    },
    consecutiveFailures: 0,
    inconclusiveSince: null,
    stalled: false,
    paused: false,
    lastVerdict: null,
  };
  const base = eventBase(ctx.config.service, release, ctx.now);
  return {
    record: { ...record, release },
    commands: [
      {
        kind: 'update-service',
        traffic: stepSplit(record.stable, active.candidate, first.percent),
      },
      publish({ type: 'release.smoke-passed', ...base, smoke }),
      publish({ type: 'release.step-started', ...base }),
    ],
    ignored: null,
    summary: `smoke test passed; step ${first.index + 1} at ${first.percent}%`,
  };
}

function analyse(
  record: ServiceRecord,
  active: Shifting,
  input: Extract<ReleaseInput, { type: 'analysis' }>,
  ctx: MachineContext,
): Transition {
  const { thresholds, steps, bakeSeconds } = ctx.config;
  const verdict = judgeStep({
    blue: input.blue,
    green: input.green,
    thresholds,
    window: input.window,
    now: ctx.now,
  });
  const step = decideStep({
    verdict,
    stepStartedAt: new Date(active.step.startedAt),
    now: ctx.now,
    bakeSeconds,
    consecutiveFailures: active.consecutiveFailures,
    inconclusiveSince: active.inconclusiveSince ? new Date(active.inconclusiveSince) : null,
    thresholds,
    isLastStep: active.step.index === steps.length - 1,
  });
  const service = ctx.config.service;
  const judged: Shifting = {
    ...active,
    consecutiveFailures: step.consecutiveFailures,
    inconclusiveSince: step.inconclusiveSince?.toISOString() ?? null,
    stalled: step.decision === 'stalled',
    lastVerdict: verdict,
  };
  switch (step.decision) {
    case 'rollback':
      return rollBack(
        record,
        judged,
        { trigger: 'analysis', reason: step.reason, requestedBy: null, verdict },
        ctx,
        service,
      );
    case 'promote':
      return promote(record, judged, verdict, ctx, service);
    case 'advance': {
      const next = nextStep(steps, active.step.index);
      if (!next) return promote(record, judged, verdict, ctx, service);
      const release: Shifting = {
        ...judged,
        step: {
          index: next.index,
          percent: next.percent,
          startedAt: ctx.now.toISOString(),
          previousStartedAt: active.step.startedAt,
        },
        consecutiveFailures: 0,
        inconclusiveSince: null,
        stalled: false,
      };
      return {
        record: { ...record, release },
        commands: [
          {
            kind: 'update-service',
            traffic: stepSplit(record.stable, active.candidate, next.percent),
          },
          publish({
            type: 'release.step-started',
            ...eventBase(service, release, ctx.now, verdict),
          }),
        ],
        ignored: null,
        summary: `step ${active.step.index + 1} passed; step ${next.index + 1} at ${next.percent}%`,
      };
    }
    case 'hold':
    case 'stalled':
      return {
        record: { ...record, release: judged },
        commands: [
          publish({
            type: 'release.verdict',
            ...eventBase(service, judged, ctx.now, verdict),
            decision: step.decision,
          }),
        ],
        ignored: null,
        summary: `${step.decision} at ${active.step.percent}%: ${step.reason}`,
      };
    default: {
      const unreachable: never = step.decision;
      throw new Error(`unhandled step decision ${String(unreachable)}`);
    }
  }
}

function pauseOrResume(
  record: ServiceRecord,
  active: Active,
  kind: 'pause' | 'resume',
  requestedBy: string,
  ctx: MachineContext,
): Transition {
  if (active.phase !== 'shifting')
    return ignore(
      record,
      `release ${active.id} is ${active.phase}; only a shifting release can be paused or resumed`,
    );
  const paused = kind === 'pause';
  if (active.paused === paused)
    return ignore(record, `release ${active.id} is already ${paused ? 'paused' : 'running'}`);
  // Resuming restarts the bake of the current step, so judgement covers only unpaused time.
  const release: Shifting = paused
    ? { ...active, paused }
    : { ...active, paused, step: { ...active.step, startedAt: ctx.now.toISOString() } };
  return {
    record: { ...record, release },
    commands: [
      publish({
        type: paused ? 'release.paused' : 'release.resumed',
        ...eventBase(ctx.config.service, release, ctx.now),
        requestedBy,
      }),
    ],
    ignored: null,
    summary: `${paused ? 'paused' : 'resumed'} ${active.id} at ${active.step.percent}% (by ${requestedBy})`,
  };
}

/**
 * Redeploys an earlier image at 100% as a new revision in the stable's color; it becomes the
 * stable. An active release ends rolled back (its image marked failed). Terraform is told.
 */
function rollbackContainer(
  record: ServiceRecord,
  input: Extract<ReleaseInput, { type: 'rollback-container' }>,
  ctx: MachineContext,
): Transition {
  if (record.stable.image === input.image && !activeRelease(record)) {
    return ignore(record, `${input.image} (${input.tag}) is already the stable image`);
  }
  const service = ctx.config.service;
  const restored: Slot = {
    revision: input.revision,
    image: input.image,
    color: record.stable.color,
  };
  const active = activeRelease(record);
  const at = ctx.now.toISOString();
  const ended: Release | null = active
    ? {
        id: active.id,
        candidate: active.candidate,
        tag: active.tag,
        startedAt: active.startedAt,
        phase: 'rolled-back',
        endedAt: at,
        trigger: 'manual-container',
        reason: input.reason,
        requestedBy: input.requestedBy,
        lastVerdict: active.phase === 'shifting' ? active.lastVerdict : null,
      }
    : null;
  const operation: Release = ended ?? {
    id: input.id,
    candidate: restored,
    tag: input.tag,
    startedAt: at,
    phase: 'rolled-back',
    endedAt: at,
    trigger: 'manual-container',
    reason: input.reason,
    requestedBy: input.requestedBy,
    lastVerdict: null,
  };
  const next: ServiceRecord = {
    stable: restored,
    release: operation,
    failedImages: active ? markFailed(record, active.candidate.image) : record.failedImages,
    history: remember(record, {
      id: operation.id,
      image: input.image,
      phase: 'rolled-back',
      endedAt: at,
      detail: `container rollback to ${input.tag}: ${input.reason}`,
    }),
  };
  return {
    record: next,
    ignored: null,
    summary: `container rollback to ${input.tag} as ${input.revision} (by ${input.requestedBy})`,
    commands: [
      {
        kind: 'update-service',
        traffic: soleSplit(restored),
        deploy: {
          revision: input.revision,
          from: record.stable.revision,
          image: input.image,
          env: ctx.config.colors[restored.color].env,
          color: restored.color,
        },
      },
      publish({
        type: 'release.rolled-back',
        ...eventBase(service, operation, ctx.now),
        trigger: 'manual-container',
        reason: input.reason,
        requestedBy: input.requestedBy,
        stable: restored,
        smoke: null,
        failedChecks: [],
      }),
      publish({
        type: 'terraform.sync-requested',
        service,
        image: input.image,
        revision: input.revision,
        reason: `container rollback to ${input.tag}: ${input.reason}`,
        at,
      }),
    ],
  };
}
