import type { Thresholds } from '../schemas/config.js';
import type { CheckResult, Verdict } from '../schemas/release.js';

/**
 * What a tick does with the step it judged:
 * - `hold`: stay at this step (baking, a failure below the limit, or inconclusive).
 * - `advance` / `promote`: the verdict passed and the step has a full bake of evidence.
 * - `rollback`: failureLimit consecutive failing verdicts of the same check, or one critical one.
 * - `stalled`: an inconclusive hold that, at the evidence rate so far, will not decide within
 *   maxInconclusiveSeconds; it never promotes nor rolls back by itself: a person decides, or
 *   traffic arrives and a later verdict decides.
 */
export type StepDecision = 'hold' | 'advance' | 'promote' | 'rollback' | 'stalled';

export interface StepPolicyInput {
  verdict: Verdict;
  /** Seconds of this step's own evidence (the window's part since the step began; 0 before data). */
  evidenceSeconds: number;
  /** Seconds of evidence the verdict pooled (the whole window, earlier steps too); default evidenceSeconds. */
  pooledSeconds?: number;
  bakeSeconds: number;
  /** Failing verdicts in a row before this one. */
  consecutiveFailures: number;
  /** The verdict before this one at the same step, or null. */
  previousVerdict: Verdict | null;
  /** When the current run of inconclusive verdicts began, or null. */
  inconclusiveSince: Date | null;
  /** The step said it was stalled at its last verdict (it then clears only well inside the horizon). */
  wasStalled?: boolean;
  /** The step's planned pass looks (pass-looks.ts): how many it took, where the next is due, green's requests. */
  passLooks?: PassLooksSoFar;
  now: Date;
  thresholds: Thresholds;
  isLastStep: boolean;
}

export interface PassLooksSoFar {
  taken: number;
  /** Green requests at which the next planned look is due; null: not planned. */
  nextAt: number | null;
  greenRequests: number;
}

export interface StepPolicyResult {
  decision: StepDecision;
  consecutiveFailures: number;
  inconclusiveSince: Date | null;
  reason: string;
  /** What a person should know or do (too little traffic, stalled), or null. */
  advice: string | null;
}

/**
 * Folds one verdict into the running state of a step (DESIGN.md §3).
 *
 * The bake counts evidence, not wall time: the window opens at the step's start and its data is
 * visible monitoringLagSeconds later, so a step advances at start + lag + bakeSeconds at the
 * earliest, on a full bakeSeconds of evidence.
 *
 * Failure count: the number of consecutive verdicts, up to this one, in which the same check
 * failed. A verdict in which no check failed (pass or inconclusive) resets it to 0; a failing
 * verdict whose failing checks share none with the previous verdict's restarts it at 1. So
 * "2 consecutive failures" means the same check failed on two looks in a row, never two noisy
 * failures of different checks apart in time. (The fail boundaries are valid under repeated
 * looks, so a single fail is already evidence: the default failureLimit 1 acts on it; 2 adds a
 * confirmation a minute later, on mostly the same pooled data.)
 *
 * Stall, in evidence terms: for each blocking inconclusive check, the samples it is projected to
 * need (`needed`, from its current estimate and bounds; its minimum sample while below it) and
 * the rate at which the step has been collecting them give a time to decision. When that time
 * exceeds maxInconclusiveSeconds — or the estimate sits between the limit and the clearly-bad
 * margin, where no amount of data decides quickly — the step is `stalled` and says so at once,
 * with the numbers and what a person can do. A stalled step stays stalled until its projection
 * falls under HALF of maxInconclusiveSeconds (hysteresis): a projection hovering at the horizon
 * would otherwise flip the release between "stalled" and "holding" every few minutes, and a
 * person reading `status` would see it clear just before it stalls again.
 */
export function decideStep(input: StepPolicyInput): StepPolicyResult {
  const { verdict, now, thresholds: t } = input;
  switch (verdict.outcome) {
    case 'fail': {
      const failing = failingChecks(verdict);
      const continues =
        input.previousVerdict !== null &&
        failingChecks(input.previousVerdict).some((c) => failing.includes(c));
      const failures = continues ? input.consecutiveFailures + 1 : 1;
      const why = summary(verdict.checks, 'fail');
      if (verdict.critical)
        return result('rollback', failures, null, `critical breach, rolling back at once: ${why}`);
      if (failures >= t.failureLimit)
        return result(
          'rollback',
          failures,
          null,
          `${failures} consecutive failing verdicts of ${failing.join(', ')} (limit ${t.failureLimit}): ${why}`,
        );
      return result(
        'hold',
        failures,
        null,
        `failing verdict ${failures} of ${t.failureLimit} before rollback: ${why}`,
      );
    }
    case 'pass': {
      const evidence = Math.floor(input.evidenceSeconds);
      if (evidence < input.bakeSeconds)
        return result(
          'hold',
          0,
          null,
          `passed; baking: ${evidence} of ${input.bakeSeconds} s of evidence`,
        );
      const baked = `passed on ${evidence} s of evidence (bake ${input.bakeSeconds} s)`;
      return input.isLastStep
        ? result('promote', 0, null, `${baked} on the last step: promote`)
        : result('advance', 0, null, `${baked}: advance to the next step`);
    }
    case 'inconclusive': {
      const since = input.inconclusiveSince ?? now;
      const unclear = summary(verdict.checks, 'inconclusive');
      const stall = stallAdvice(
        verdict,
        input.evidenceSeconds,
        t,
        input.pooledSeconds,
        input.wasStalled ?? false,
        input.passLooks,
      );
      if (stall)
        return result('stalled', 0, since, `stalled: ${stall}; meanwhile: ${unclear}`, stall);
      return result('hold', 0, since, `inconclusive, holding: ${unclear}`);
    }
    default: {
      const unknown: never = verdict.outcome;
      throw new Error(`unknown verdict outcome ${String(unknown)}`);
    }
  }
}

/** Minutes of a step's own evidence before its time to a decision is projected. */
const PROJECT_AFTER_MINUTES = 5;

/** A stalled step clears when its projection falls under this share of maxInconclusiveSeconds. */
export const UNSTALL_SHARE = 0.5;

const PERSON =
  'raise traffic to the service, or decide by hand: cutover promote | cutover rollback';

/**
 * Why this step will not decide in time, or null when it is on its way. The evidence rate is the
 * pooled samples over the pooled minutes (earlier steps too, so an underestimate once the share
 * has risen); the step is stalled when its own minutes plus the projected rest exceed
 * maxInconclusiveSeconds. Projections start after PROJECT_AFTER_MINUTES of the step's own
 * evidence (earlier they swing with every 5xx); a check with no samples at all says so sooner.
 * `wasStalled`: the step said so at its last verdict, so it stays stalled until the projection is
 * under UNSTALL_SHARE of the horizon.
 *
 * Until the step's first planned pass look (pass-looks.ts) the time to decide is the time to that
 * look: it is placed where a green like blue passes with chance 0.6, so it is the step's honest
 * expectation, and a check's own projection before it swings with the noise of a few hundred
 * requests (measured in local/sim at 5 requests/s, σ 1: most unchanged releases said "stalled"
 * at some tick on those projections, then promoted). A look beyond the horizon at this rate is
 * "too little traffic", said up front; from the first look on, each check's projection decides.
 */
export function stallAdvice(
  verdict: Verdict,
  evidenceSeconds: number,
  t: Thresholds,
  pooledSeconds = evidenceSeconds,
  wasStalled = false,
  passLooks?: PassLooksSoFar,
): string | null {
  if (evidenceSeconds < 60) return null;
  const minutes = evidenceSeconds / 60;
  // A projection from the first few minutes at a step is noise (a single 5xx moves it a lot):
  // it would flag releases that go on to decide in time. Project from PROJECT_AFTER_MINUTES on.
  const early = minutes < PROJECT_AFTER_MINUTES;
  const pooled = Math.max(minutes, pooledSeconds / 60);
  const limit = t.maxInconclusiveSeconds / 60;
  const horizon = wasStalled ? limit * UNSTALL_SHARE : limit;
  const beyond = (total: number) =>
    total > limit
      ? `over maxInconclusiveSeconds ${t.maxInconclusiveSeconds} s`
      : `still over half of maxInconclusiveSeconds ${t.maxInconclusiveSeconds} s, where a stalled step clears`;
  if (
    passLooks &&
    passLooks.taken === 0 &&
    passLooks.nextAt !== null &&
    passLooks.greenRequests > 0
  ) {
    if (early && !wasStalled) return null;
    const rate = passLooks.greenRequests / pooled;
    const total = minutes + Math.max(0, passLooks.nextAt - passLooks.greenRequests) / rate;
    return total > horizon
      ? `too little traffic: the step's first planned pass look is at ${count(Math.ceil(passLooks.nextAt))} green requests (has ${count(passLooks.greenRequests)}, ${rate.toFixed(1)}/min → ~${count(total)} min at this step, ${beyond(total)}) — ${PERSON}`
      : null;
  }
  for (const c of verdict.checks) {
    if (c.outcome !== 'inconclusive' || !c.blocking) continue;
    const rate = c.samples / pooled;
    const minimum = c.check === 'prediction-drift' ? t.minPredictions : t.minRequests;
    const target = c.samples < minimum ? minimum : c.needed;
    const what = c.samples < minimum ? 'its minimum sample of' : 'about';
    if (early && rate > 0 && !wasStalled) continue;
    if (target === null)
      return `${c.check} sits between its limit and the clearly-bad margin after ${count(c.samples)} samples; more data decides only slowly — ${PERSON}`;
    if (rate <= 0 && pooled < 5) continue;
    if (rate <= 0)
      return `too little traffic: green served no ${unit(c)} in ${count(pooled)} min of evidence — ${PERSON}`;
    const total = minutes + (target - c.samples) / rate;
    if (total > horizon)
      return `too little traffic: ${c.check} needs ${what} ${count(target)} ${unit(c)} (has ${count(c.samples)}, ${rate.toFixed(1)}/min → ~${count(total)} min at this step, ${beyond(total)}) — ${PERSON}`;
  }
  return null;
}

function unit(c: CheckResult): string {
  return c.check === 'prediction-drift' ? 'predictions' : 'requests';
}

function failingChecks(v: Verdict): string[] {
  return v.outcome === 'fail'
    ? v.checks.filter((c) => c.outcome === 'fail').map((c) => c.check)
    : [];
}

function result(
  decision: StepDecision,
  consecutiveFailures: number,
  inconclusiveSince: Date | null,
  reason: string,
  advice: string | null = null,
): StepPolicyResult {
  return { decision, consecutiveFailures, inconclusiveSince, reason, advice };
}

function summary(checks: CheckResult[], outcome: CheckResult['outcome']): string {
  const reasons = checks.filter((c) => c.outcome === outcome).map((c) => `${c.check}: ${c.reason}`);
  return reasons.length > 0 ? reasons.join('; ') : `verdict ${outcome}`;
}

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const count = (n: number): string => counts.format(n);
