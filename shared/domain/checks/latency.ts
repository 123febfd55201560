import type { Thresholds } from '../../schemas/config.js';
import type { CheckResult } from '../../schemas/release.js';
import { countAbove, quantile, totalCount, valueAtRank } from '../histogram.js';
import type { Histogram, RevisionMetrics } from '../measurement.js';
import { proportionLower, proportionUpper, quantileRankBounds } from '../stats/index.js';
import {
  conf,
  count,
  ms,
  needed,
  pct,
  projectedSample,
  result,
  type LookAlphas,
} from './check-result.js';

/** p95: 5 % of requests lie above it. */
const TAIL = 0.05;

/**
 * Green's p95 against blue's, as an exceedance test: green's p95 is above a threshold T exactly
 * when more than 5 % of green's requests are above T, so each side is a binomial test of green's
 * share above T against 5 %.
 * - fail: T = blue p95 (its upper confidence bound) × (1 + p95Tolerance) + p95SlackMs, and the
 *   share of green above T is above 5 % (exact lower bound).
 * - pass: T = blue p95 (its lower confidence bound) × (1 + clearlyBad.p95Increase) + p95SlackMs,
 *   and the share of green above T is below 5 % (exact upper bound).
 * Blue's own sampling error enters through distribution-free order-statistic bounds on its
 * 95th percentile; each look's α is split evenly between blue's bound and green's test.
 *
 * Resolution: Cloud Run's latency buckets are ~40 % wide, finer than the +10 % the limit asks
 * about. Inside the ONE bucket that holds T, values are taken as log-uniform (histogram.ts); every
 * other bucket counts whole. This is justified for smooth latency densities, and it is applied
 * the same way to blue's percentile and to green's share, so for identical revisions the two
 * errors cancel; what it cannot do is see a change that lives entirely inside one bucket.
 * Needs minRequests on each side; blue at 0 ms (all in the lowest bucket) leaves T = the slack.
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
  if (ng < t.minRequests || nb < t.minRequests)
    return result(base, 'inconclusive', {
      observed,
      samples: ng,
      reason: `only ${count(ng)} green and ${count(nb)} blue requests; p95 is judged from ${count(t.minRequests)} on each side`,
    });
  const failAt = threshold(b.value, nb, t.p95Tolerance, t.p95SlackMs, alpha.fail / 2, 'upper');
  const passAt =
    threshold(b.value, nb, t.clearlyBad.p95Increase, t.p95SlackMs, alpha.pass / 2, 'lower') ??
    t.p95SlackMs;
  const xf = failAt === null ? 0 : countAbove(g.value, failAt);
  const xp = countAbove(g.value, passAt);
  const lower = failAt === null ? 0 : proportionLower(xf, ng, alpha.fail / 2);
  const upper = proportionUpper(xp, ng, alpha.pass / 2);
  const fields = {
    observed,
    samples: ng,
    interval: { lower, upper },
    needed: needed(
      projectedSample(ng, xf / ng, lower, TAIL, 'above'),
      projectedSample(ng, xp / ng, upper, TAIL, 'below'),
    ),
  };
  const p95s = `green p95 ${ms(observed ?? 0)} vs blue ${ms(blueP95 ?? 0)} over ${count(ng)} / ${count(nb)} requests`;
  if (failAt !== null && lower > TAIL)
    return result(base, 'fail', {
      ...fields,
      boundary: `fail: share of green above ${ms(failAt)} ≥ ${pct(lower)} > 5%`,
      reason: `${p95s}: more than 5% of green is above ${ms(failAt)} (blue p95 upper bound × ${1 + t.p95Tolerance} + ${ms(t.p95SlackMs)}) at ${conf(alpha.fail)}`,
    });
  if (upper < TAIL)
    return result(base, 'pass', {
      ...fields,
      boundary: `pass: share of green above ${ms(passAt)} ≤ ${pct(upper)} < 5%`,
      reason: `${p95s}: less than 5% of green is above ${ms(passAt)} (clearly bad: blue p95 lower bound × ${1 + t.clearlyBad.p95Increase} + ${ms(t.p95SlackMs)}) at ${conf(alpha.pass)}`,
    });
  return result(base, 'inconclusive', {
    ...fields,
    reason: `${p95s}: share above ${failAt === null ? 'the limit (blue too few to bound)' : ms(failAt)} ${pct(xf / ng)}, above ${ms(passAt)} ${pct(xp / ng)}; neither clears 5% yet`,
  });
}

/**
 * Blue's p95 bound (order statistics, one-sided at 1 − a) scaled into a threshold. The upper
 * bound is null when blue has too few requests for one (then green cannot fail); without a lower
 * bound, blue's p95 could be as low as its smallest value, the bottom of its lowest bucket.
 */
function threshold(
  blue: Histogram,
  n: number,
  increase: number,
  slack: number,
  a: number,
  side: 'upper' | 'lower',
): number | null {
  const ranks = quantileRankBounds(n, 0.95, a);
  const rank = side === 'upper' ? ranks.upper : (ranks.lower ?? 1e-9);
  if (rank === null) return null;
  const p95 = Math.max(0, valueAtRank(blue, rank) ?? 0);
  return p95 * (1 + increase) + slack;
}
