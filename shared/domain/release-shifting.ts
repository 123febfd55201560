import { sharesAdvice, trafficShares } from './out-of-band.js';
import type { ServiceRecord, Verdict } from '../schemas/release.js';
import { firstLookAlpha, judgeStep, type Looks } from './analysis.js';
import { holdPasses, stepPassLook } from './pass-looks.js';
import { requestsOf, type RevisionMetrics } from './measurement.js';
import { eventBase, publish } from './release-events.js';
import { rollBack } from './release-endings.js';
import { promoteUnlessHeld } from './release-incidents.js';
import {
  ignore,
  type ActiveRelease,
  type MachineContext,
  type ReleaseInput,
  type ShiftingRelease,
  type Transition,
} from './release-input.js';
import { decideStep } from './step-policy.js';
import { nextStep, stepSplit } from './traffic.js';

/** A passed smoke test: the first step's traffic, and the events for it. */
export function startShifting(
  record: ServiceRecord,
  active: ActiveRelease,
  smoke: { passed: boolean; checks: { name: string; passed: boolean; detail: string }[] },
  ctx: MachineContext,
  /** The shadow replay's verdict, published with release.smoke-passed (null: it did not run). */
  shadow: Verdict | null = null,
): Transition {
  const first = nextStep(ctx.config.steps, -1);
  if (!first) throw new Error('config has no steps');
  const release: ShiftingRelease = {
    ...active,
    phase: 'shifting',
    step: {
      index: first.index,
      percent: first.percent,
      startedAt: ctx.now.toISOString(),
      previousStartedAt: null,
    },
    evidenceSince: ctx.now.toISOString(),
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
      publish({
        type: 'release.smoke-passed',
        ...eventBase(ctx.config.service, release, ctx.now, shadow),
        smoke,
      }),
      publish({ type: 'release.step-started', ...base }),
    ],
    ignored: null,
    summary: `smoke test passed; step ${first.index + 1} at ${first.percent}%`,
  };
}

/** Judges one tick's measurements and folds the verdict into the step: hold, advance, promote or roll back. */
export function analyse(
  record: ServiceRecord,
  active: ShiftingRelease,
  input: Extract<ReleaseInput, { type: 'analysis' }>,
  ctx: MachineContext,
): Transition {
  const { thresholds, steps, bakeSeconds } = ctx.config;
  const end = input.window.end.getTime();
  const pooledSeconds = Math.max(0, (end - input.window.start.getTime()) / 1000);
  // The bake counts this step's own evidence: the window's part since the step began.
  const stepStart = Math.max(input.window.start.getTime(), Date.parse(active.step.startedAt));
  const evidenceSeconds = Math.max(0, (end - stepStart) / 1000);
  const lastStep = active.step.index === steps.length - 1;
  const relative = active.step.percent < 100 || servedAnything(input.blue);
  const passLook = stepPassLook({
    step: active.step,
    blue: input.blue,
    green: input.green,
    thresholds,
    firstAlpha: firstLookAlpha(thresholds, lastStep),
    relative,
    baked: evidenceSeconds >= bakeSeconds,
  });
  const judgedNow = judgeStep({
    blue: input.blue,
    green: input.green,
    thresholds,
    window: input.window,
    now: ctx.now,
    looks: { fail: failLook(pooledSeconds, evidenceSeconds), pass: passLook },
    compareWithBlue: relative,
    lastStep,
  });
  const { verdict, passed } = holdPasses(judgedNow, active.step.passed ?? []);
  const step = decideStep({
    verdict,
    evidenceSeconds,
    pooledSeconds,
    bakeSeconds,
    consecutiveFailures: active.consecutiveFailures,
    previousVerdict: active.lastVerdict,
    inconclusiveSince: active.inconclusiveSince ? new Date(active.inconclusiveSince) : null,
    wasStalled: active.stalled,
    passLooks: {
      taken: passLook.looks.taken,
      nextAt: passLook.nextAt,
      greenRequests: requestsOf(input.green) ?? 0,
    },
    now: ctx.now,
    thresholds,
    isLastStep: lastStep,
  });
  // What each side served beside what was written: the checks above judged what was served.
  verdict.traffic = trafficShares(active.step.percent, input.blue, input.green);
  verdict.advice = step.advice ?? sharesAdvice(verdict.traffic);
  const service = ctx.config.service;
  const judged: ShiftingRelease = {
    ...active,
    step: {
      ...active.step,
      ...(passLook.index > 0 && { passLooks: passLook.looks }),
      ...(passed.length > 0 && { passed }),
    },
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
      return promoteUnlessHeld(record, judged, verdict, ctx, 'analysis');
    case 'advance': {
      const next = nextStep(steps, active.step.index);
      if (!next) return promoteUnlessHeld(record, judged, verdict, ctx, 'analysis');
      const release: ShiftingRelease = {
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

/**
 * The fail side's look number (stats/looks.ts): one look per minute of ALL the pooled evidence
 * (since `evidenceSince`), across steps — any fail rolls back, so its α is spent once over the
 * whole release — and a repeated tick in the same minute is no new look. (The pass side's looks
 * are the step's planned ones: pass-looks.ts.)
 */
export function failLook(pooledSeconds: number, stepSeconds: number): Looks['fail'] {
  return Math.max(1, Math.ceil(Math.max(pooledSeconds, stepSeconds) / 60));
}

function servedAnything(m: RevisionMetrics): boolean {
  return (requestsOf(m) ?? 0) > 0;
}

/** Pausing stops judging; resuming restarts the bake of the current step and the pooled evidence. */
export function pauseOrResume(
  record: ServiceRecord,
  active: ActiveRelease,
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
  // Resuming restarts the bake and the pooled evidence, so judgement covers only unpaused time:
  // a pass from before the pause no longer holds. The planned looks keep their places (each is
  // still taken once, so the step's pass α stays spent once).
  const { passed: _dropped, ...step } = active.step;
  const release: ShiftingRelease = paused
    ? { ...active, paused }
    : {
        ...active,
        paused,
        step: { ...step, startedAt: ctx.now.toISOString() },
        evidenceSince: ctx.now.toISOString(),
      };
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
