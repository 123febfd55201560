import type { Thresholds } from '../schemas/config.js';
import type { CheckResult, Outcome, Verdict } from '../schemas/release.js';
import type { LookAlphas } from './checks/check-result.js';
import { judgePredictionDrift } from './checks/drift.js';
import { judgeErrorRate } from './checks/error-rate.js';
import { judgeP95 } from './checks/latency.js';
import type { RevisionMetrics } from './measurement.js';
import { lookAlpha } from './stats/index.js';
import { lookShare, type PassLook } from './stats/planned-looks.js';

export { judgeErrorRate, judgeP95, judgePredictionDrift };

/** The share of the fail side's α given to the always-valid mixture test; the rest is spent per minute look. */
export const ALWAYS_SHARE = 0.9;

/** The share of the pass side's α spent at the step's planned looks; the rest is the mixture's. */
export const PLANNED_SHARE = 0.9;

/**
 * Which look this is, per side. `fail`: the minute of evidence (one look a tick), counted from
 * the first minute of evidence. `pass`: the step's planned pass look, if this tick is one
 * (stats/planned-looks.ts): its index (0: none), the share of the planned α it spends and the
 * share the next look will spend.
 */
export interface Looks {
  fail: number;
  pass: Pick<PassLook, 'index' | 'share' | 'upcoming'>;
}

/**
 * The one judgement of a step (DESIGN.md §3): blue and green measured over the same window go in,
 * a verdict with every number behind it comes out. Pure; adapters only measure.
 *
 * Each check is a pair of one-sided tests (checks/*.ts): fail only on evidence that green is
 * beyond the limit, pass only on evidence that green is short of the clearly-bad margin, else
 * inconclusive. Each side's α is spent twice over, on two tests of the same data:
 * - fail (ALWAYS_SHARE: nine tenths to the mixture): the exact test (Clopper–Pearson, Welch t)
 *   at the k-th minute look's α/(k(k + 1)) of its tenth (stats/looks.ts) — exact at every n,
 *   including 0 and 1, and the sharper one on the first looks, where gross regressions are
 *   caught — and a mixture test martingale (stats/mixture.ts), valid at every look with no look
 *   count, which decides a release near the limit. A fail can come at any minute.
 * - pass (PLANNED_SHARE: nine tenths to the planned looks): the exact test at the step's
 *   planned looks only (stats/planned-looks.ts: the first, with most of that α, where a green
 *   identical to blue passes every check with chance 0.6, then at growing samples with the rest,
 *   halving), and the mixture at the last tenth, at every minute. A pass only moves the release
 *   on, so waiting for a planned look costs nothing but the minutes to it, and one test at a
 *   well-placed look needs far fewer requests than a test valid at every minute of an open-ended
 *   step (measured in local/sim on one seeded release at 5 requests/s, σ 1, blue 5xx 1.5 %: its
 *   10 % step passed on 464 green requests, against 611 with a per-minute split).
 * A side crosses when either of its tests does, so (union bound) the chance of a wrong fail
 * (green at the limit) stays below failAlpha per check over the release, and of a wrong pass
 * (green clearly bad) below passAlpha per check and step — below promoteAlpha at the last step,
 * whose pass promotes.
 *
 * `compareWithBlue: false` (the 100 % step when blue served nothing to compare with): the
 * latency and drift checks are reported but do not block; the step is judged on the 5xx rate.
 * Overall: any fail → fail (critical when a failing check is critical); else any blocking
 * inconclusive → inconclusive; else pass.
 */
export function judgeStep(input: {
  blue: RevisionMetrics;
  green: RevisionMetrics;
  thresholds: Thresholds;
  window: { start: Date; end: Date };
  now: Date;
  looks: Looks;
  compareWithBlue?: boolean;
  /** The last step: a pass promotes, so the pass side runs at promoteAlpha (else passAlpha). */
  lastStep?: boolean;
}): Verdict {
  const { blue, green, thresholds: t } = input;
  const passAlpha = passSideAlpha(t, input.lastStep ?? false);
  const look = input.looks.pass;
  const alpha: LookAlphas = {
    fail: lookAlpha(t.failAlpha * (1 - ALWAYS_SHARE), input.looks.fail),
    pass: passAlpha * PLANNED_SHARE * (look.share > 0 ? look.share : look.upcoming),
    exactPass: look.share > 0,
    always: { fail: t.failAlpha * ALWAYS_SHARE, pass: passAlpha * (1 - PLANNED_SHARE) },
  };
  const relative = input.compareWithBlue ?? true;
  const nonBlocking = (c: CheckResult): CheckResult =>
    relative || c.outcome === 'fail'
      ? c
      : {
          ...c,
          blocking: false,
          reason: `${c.reason} (not blocking: blue served nothing to compare with at 100%)`,
        };
  const checks = [
    judgeErrorRate(blue, green, t, alpha),
    nonBlocking(judgeP95(blue, green, t, alpha)),
    nonBlocking(judgePredictionDrift(blue, green, t, alpha)),
  ];
  return {
    outcome: overall(checks),
    critical: checks.some((c) => c.outcome === 'fail' && c.critical),
    checks,
    at: input.now.toISOString(),
    window: { start: input.window.start.toISOString(), end: input.window.end.toISOString() },
    looks: { fail: input.looks.fail, pass: look.index },
    advice: null,
  };
}

/** The pass side's α at a step: promoteAlpha at the last, whose pass promotes, else passAlpha. */
export function passSideAlpha(t: Thresholds, lastStep: boolean): number {
  return lastStep ? t.promoteAlpha : t.passAlpha;
}

/** The α of a step's first planned pass look (what the plan places it for). */
export function firstLookAlpha(t: Thresholds, lastStep: boolean): number {
  return passSideAlpha(t, lastStep) * PLANNED_SHARE * lookShare(1);
}

/** Any fail → fail; else any blocking inconclusive → inconclusive; else pass. */
export function overall(checks: readonly CheckResult[]): Outcome {
  if (checks.some((c) => c.outcome === 'fail')) return 'fail';
  if (checks.some((c) => c.outcome === 'inconclusive' && c.blocking)) return 'inconclusive';
  return 'pass';
}
