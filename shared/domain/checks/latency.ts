import type { Thresholds } from '../../schemas/config.js';
import type { CheckResult } from '../../schemas/release.js';
import { countAbove, quantile, totalCount } from '../histogram.js';
import type { RevisionMetrics } from '../measurement.js';
import {
  proportionEvidence,
  proportionLower,
  proportionSampleNeeded,
  proportionUpper,
} from '../stats/index.js';
import {
  conf,
  count,
  crossing,
  decisive,
  ms,
  needed,
  pct,
  projectedSample,
  result,
  type LookAlphas,
} from './check-result.js';
import { failSideLower, passSideUpper } from './interval.js';

/** p95: 5 % of requests lie above it. */
export const TAIL = 0.05;

/**
 * Green's p95 against blue's, as an exceedance test: green's p95 is above a threshold T exactly
 * when more than 5 % of green's requests are above T, so each side is a binomial test of green's
 * share above T against 5 %, with T from blue's p95 ξb:
 * - fail: T = ξb × (1 + p95Tolerance) + p95SlackMs, and the share of green above T is above 5 %
 *   (lower bound at 1 − α_fail);
 * - pass: T = ξb × (1 + clearlyBad.p95Increase) + p95SlackMs, and the share of green above T is
 *   below 5 % (upper bound at 1 − α_pass).
 *
 * Blue's own sampling error: ξb is estimated, so the share above T̂ moves with it. By the Bahadur
 * representation of a sample quantile, F_g(T̂) − F_g(T) ≈ c·f_g(T)·(ξ̂b − ξb) with c = 1 + the
 * margin, whose variance is (c·f_g(T) / f_b(ξb))² · q(1 − q)/n_b (q = 5 %). At the boundary the
 * test is about — green is blue with its latency (or only its tail) scaled so that its p95 sits
 * at T — c·f_g(T) = f_b(ξb) · c·ξb/(c·ξb + slack) ≤ f_b(ξb), so the share's variance is at most
 * q(1 − q)(1/n_g + 1/n_b): a binomial test at the effective sample n = n_g·n_b / (n_g + n_b).
 * The bounds are exact Clopper–Pearson bounds at that n (green's share × n "successes"), so they
 * stay conservative at small samples, and the always-valid side is the binomial mixture at the
 * same (n, share × n) (stats/mixture.ts); the assumption is that a change near the boundary moves
 * green's density at T with its p95 (true for scaled and tail-scaled latencies), not that it is
 * normal. (Order-statistic bounds on ξb with the α split in two, the earlier construction, are
 * valid without it but need ~3× the requests for the same answer at a 10 % step.)
 *
 * Resolution: Cloud Run's latency buckets are ~40 % wide, finer than the +10 % the limit asks
 * about. Inside the ONE bucket that holds T (and ξb), values are taken as log-uniform
 * (histogram.ts); every other bucket counts whole. This is justified for smooth latency densities,
 * and it is applied the same way to blue's percentile and to green's share, so for identical
 * revisions the two errors cancel; what it cannot do is see a change that lives entirely inside
 * one bucket. Needs minRequests on each side; blue at 0 ms (all in the lowest bucket) leaves
 * T = the slack.
 */
export function judgeP95(
  blue: RevisionMetrics,
  green: RevisionMetrics,
  t: Thresholds,
  alpha: LookAlphas,
): CheckResult {
  const b = blue.latencyMs;
  const g = green.latencyMs;
  const blueP95 = b.kind === 'value' ? (quantile(b.value, 0.95) ?? null) : null;
  const limit = blueP95 === null ? null : blueP95 * (1 + t.p95Tolerance) + t.p95SlackMs;
  const base = { check: 'p95-latency' as const, baseline: blueP95, limit };
  if (g.kind === 'no-data')
    return result(base, 'inconclusive', { reason: `no green latency data (${g.reason})` });
  const observed = quantile(g.value, 0.95) ?? null;
  const ng = totalCount(g.value);
  if (b.kind === 'no-data')
    return result(base, 'inconclusive', {
      observed,
      samples: ng,
      reason: `no blue latency data to compare with (${b.reason})`,
    });
  const nb = totalCount(b.value);
  if (ng < t.minRequests || nb < t.minRequests || blueP95 === null)
    return result(base, 'inconclusive', {
      observed,
      samples: ng,
      reason: `only ${count(ng)} green and ${count(nb)} blue requests; p95 is judged from ${count(t.minRequests)} on each side`,
    });
  const failAt = blueP95 * (1 + t.p95Tolerance) + t.p95SlackMs;
  const passAt = blueP95 * (1 + t.clearlyBad.p95Increase) + t.p95SlackMs;
  const n = effectiveSample(ng, nb);
  const sf = countAbove(g.value, failAt) / ng;
  const sp = countAbove(g.value, passAt) / ng;
  const lower = proportionLower(sf * n, n, alpha.fail);
  const upper = proportionUpper(sp * n, n, alpha.pass);
  const fields = {
    observed,
    samples: ng,
    // each side's bound from its own share: above the fail threshold, above the pass threshold
    interval: {
      lower: failSideLower(lower, sf * n, n, alpha),
      upper: passSideUpper(decisive(upper, alpha, 1), sp * n, n, alpha),
    },
    // projections in green requests: the effective sample grows with green's at a fixed split
    needed: scaled(
      ng / n,
      needed(
        Math.min(
          projectedSample(n, sf, lower, TAIL, 'above'),
          proportionSampleNeeded(n, sf, TAIL, 'above', alpha.always?.fail),
        ),
        Math.min(
          projectedSample(n, sp, upper, TAIL, 'below'),
          proportionSampleNeeded(n, sp, TAIL, 'below', alpha.always?.pass),
        ),
      ),
    ),
  };
  const p95s = `green p95 ${ms(observed ?? 0)} vs blue ${ms(blueP95)} over ${count(ng)} / ${count(nb)} requests (effective ${count(n)})`;
  const fail = crossing(
    lower > TAIL,
    proportionEvidence(sf * n, n, TAIL, 'above'),
    alpha.always?.fail,
  );
  if (fail.crossed)
    return result(base, 'fail', {
      ...fields,
      boundary: fail.by
        ? `fail: share of green above ${ms(failAt)} ${pct(sf)}, ${fail.by} against ≤ 5%`
        : `fail: share of green above ${ms(failAt)} ≥ ${pct(fields.interval.lower)} > 5%`,
      reason: `${p95s}: more than 5% of green is above ${ms(failAt)} (blue p95 × ${1 + t.p95Tolerance} + ${ms(t.p95SlackMs)}) at ${fail.by ? 'always-valid' : conf(alpha.fail)} confidence`,
    });
  const pass = crossing(
    decisive(upper, alpha, 1) < TAIL,
    proportionEvidence(sp * n, n, TAIL, 'below'),
    alpha.always?.pass,
  );
  if (pass.crossed)
    return result(base, 'pass', {
      ...fields,
      boundary: pass.by
        ? `pass: share of green above ${ms(passAt)} ${pct(sp)}, ${pass.by} against ≥ 5%`
        : `pass: share of green above ${ms(passAt)} ≤ ${pct(fields.interval.upper)} < 5%`,
      reason: `${p95s}: less than 5% of green is above ${ms(passAt)} (clearly bad: blue p95 × ${1 + t.clearlyBad.p95Increase} + ${ms(t.p95SlackMs)}) at ${pass.by ? 'always-valid' : conf(alpha.pass)} confidence`,
    });
  return result(base, 'inconclusive', {
    ...fields,
    reason: `${p95s}: share above ${ms(failAt)} ${pct(sf)}, above ${ms(passAt)} ${pct(sp)}; neither clears 5% yet`,
  });
}

/** The binomial sample with the variance of green's share above a threshold from blue's p95. */
export function effectiveSample(green: number, blue: number): number {
  return (green * blue) / (green + blue);
}

function scaled(factor: number, n: number | null): number | null {
  return n === null ? null : Math.ceil(n * factor);
}
