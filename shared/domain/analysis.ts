import type { Thresholds } from '../schemas/config.js';
import type { CheckResult, Outcome, Verdict } from '../schemas/release.js';
import type { LookAlphas } from './checks/check-result.js';
import { judgePredictionDrift } from './checks/drift.js';
import { judgeErrorRate } from './checks/error-rate.js';
import { judgeP95 } from './checks/latency.js';
import type { RevisionMetrics } from './measurement.js';
import { lookAlpha } from './stats/index.js';

export { judgeErrorRate, judgeP95, judgePredictionDrift };

/** The share of each side's α given to the always-valid mixture test; the rest is spent per look. */
export const ALWAYS_SHARE = 0.9;

/**
 * Which look at the step this is, per side. Looks are the minutes of evidence (one tick each):
 * `fail` counts from the first minute of evidence, `pass` from the first look at which a pass
 * could move the release on (the bake is done): earlier passes only hold, so they spend nothing.
 */
export interface Looks {
  fail: number;
  pass: number;
}

/**
 * The one judgement of a step (DESIGN.md §3): blue and green measured over the same window go in,
 * a verdict with every number behind it comes out. Pure; adapters only measure.
 *
 * Each check is a pair of one-sided tests (checks/*.ts): fail only on evidence that green is
 * beyond the limit, pass only on evidence that green is short of the clearly-bad margin, else
 * inconclusive. Each side's α is spent twice over (ALWAYS_SHARE: nine tenths to the mixture):
 * - the exact test (Clopper–Pearson, Welch t) at the k-th look's α/(k(k + 1)) of its tenth
 *   (stats/looks.ts): exact at every n, including 0 and 1, and the sharper one on the very first
 *   looks of a short, decisive step;
 * - a mixture test martingale (stats/mixture.ts), valid at every look with no look count: it
 *   decides the long steps (a quiet service, a release near a limit), where a per-look share has
 *   become tiny. Measured (local/sim, 5 req/s, σ 1, 40 releases a scenario): with the mixture's
 *   share at 0.5 → 0.9, A/A promotes in 68 → 62 min and at-limit releases 75 → 88 %, with gross
 *   regressions caught as fast (20 min p95, 9 min 5xx).
 * A side crosses when either does, so (union bound) looking every minute keeps the chance of a
 * wrong fail (green at the limit) below failAlpha per check over the release, and of a wrong
 * pass (green clearly bad) below passAlpha per check and step — below promoteAlpha at the last
 * step, whose pass promotes.
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
  const passAlpha = input.lastStep ? t.promoteAlpha : t.passAlpha;
  const alpha: LookAlphas = {
    fail: lookAlpha(t.failAlpha * (1 - ALWAYS_SHARE), input.looks.fail),
    pass: lookAlpha(passAlpha * (1 - ALWAYS_SHARE), input.looks.pass),
    always: { fail: t.failAlpha * ALWAYS_SHARE, pass: passAlpha * ALWAYS_SHARE },
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
    looks: input.looks,
    advice: null,
  };
}

function overall(checks: CheckResult[]): Outcome {
  if (checks.some((c) => c.outcome === 'fail')) return 'fail';
  if (checks.some((c) => c.outcome === 'inconclusive' && c.blocking)) return 'inconclusive';
  return 'pass';
}
