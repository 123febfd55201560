import type { Thresholds } from '../schemas/config.js';
import type { CheckResult, Outcome, Verdict } from '../schemas/release.js';
import type { LookAlphas } from './checks/check-result.js';
import { judgePredictionDrift } from './checks/drift.js';
import { judgeErrorRate } from './checks/error-rate.js';
import { judgeP95 } from './checks/latency.js';
import type { RevisionMetrics } from './measurement.js';
import { lookAlpha } from './stats/index.js';

export { judgeErrorRate, judgeP95, judgePredictionDrift };

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
 * inconclusive. The k-th look spends α/(k(k + 1)) of the configured failAlpha / passAlpha
 * (stats/looks.ts), so looking every minute keeps the chance of a wrong fail (green at the
 * limit) below failAlpha per check over the release (fail looks count across steps), and of a
 * wrong pass (green clearly bad) below passAlpha per check and step — below promoteAlpha at the
 * last step, whose pass promotes.
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
  const alpha: LookAlphas = {
    fail: lookAlpha(t.failAlpha, input.looks.fail),
    pass: lookAlpha(input.lastStep ? t.promoteAlpha : t.passAlpha, input.looks.pass),
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
