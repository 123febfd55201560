import type { Thresholds } from '../../schemas/config.js';
import type { CheckResult } from '../../schemas/release.js';
import type { RevisionMetrics } from '../measurement.js';
import {
  proportionEvidence,
  proportionLower,
  proportionSampleNeeded,
  proportionUpper,
} from '../stats/index.js';
import { failSideLower, passSideUpper } from './interval.js';
import {
  conf,
  count,
  crossing,
  decisive,
  needed,
  pct,
  projectedSample,
  result,
  type LookAlphas,
} from './check-result.js';

/**
 * Green's 5xx rate p, from x 5xx in n green requests, as one-sided tests, each the exact
 * (Clopper–Pearson) bound at this look's α or the always-valid binomial mixture (LookAlphas):
 * - critical: evidence p > max5xxRate × criticalMultiple. Allowed below minRequests: 5 failures
 *   in 5 requests is evidence on its own.
 * - fail: evidence p > max5xxRate.
 * - pass: n ≥ minRequests and evidence p < clearlyBad.max5xxRate (short of clearly bad).
 * - otherwise inconclusive. Blue's rate is shown, not used: the limit is absolute.
 * Bounds exactly at a boundary do not cross it. The mixture is exact here: requests are the
 * Bernoulli trials it is a martingale over.
 */
export function judgeErrorRate(
  blue: RevisionMetrics,
  green: RevisionMetrics,
  t: Thresholds,
  alpha: LookAlphas,
): CheckResult {
  const b = blue.requests;
  const baseline =
    b.kind === 'value' && b.value.requests > 0 ? b.value.errors5xx / b.value.requests : null;
  const base = { check: 'error-rate' as const, limit: t.max5xxRate, baseline };
  if (green.requests.kind === 'no-data')
    return result(base, 'inconclusive', {
      reason: `no green request data (${green.requests.reason})`,
    });
  const { requests: n, errors5xx: x } = green.requests.value;
  const observed = n > 0 ? x / n : null;
  const lower = proportionLower(x, n, alpha.fail);
  const upper = proportionUpper(x, n, alpha.pass);
  const bad = t.clearlyBad.max5xxRate;
  const critical = t.max5xxRate * t.criticalMultiple;
  const est = observed ?? 0;
  const interval = {
    lower: failSideLower(lower, x, n, alpha),
    upper: passSideUpper(decisive(upper, alpha, 1), x, n, alpha),
  };
  const fields = {
    observed,
    samples: n,
    interval,
    // the sooner of the exact bound's and the mixture's projections, per side
    needed: needed(
      Math.min(
        projectedSample(n, est, lower, t.max5xxRate, 'above'),
        proportionSampleNeeded(n, est, t.max5xxRate, 'above', alpha.always?.fail),
      ),
      Math.min(
        // with 0 errors the upper bound is 1 − α^(1/n): below `bad` from n = ln α / ln(1 − bad)
        est === 0
          ? Math.ceil(Math.log(alpha.pass) / Math.log(1 - bad))
          : projectedSample(n, est, upper, bad, 'below'),
        proportionSampleNeeded(n, est, bad, 'below', alpha.always?.pass),
      ),
    ),
  };
  const rate = observed === null ? 'no requests' : `${pct(observed)} (${count(x)} of ${count(n)})`;
  const bounds = `${pct(interval.lower)} ≤ p ≤ ${pct(interval.upper)}`;
  const above = (p0: number) =>
    crossing(lower > p0, proportionEvidence(x, n, p0, 'above'), alpha.always?.fail);
  const aboveCritical = above(critical);
  if (aboveCritical.crossed)
    return result(base, 'fail', {
      ...fields,
      critical: true,
      boundary: `critical: ${aboveCritical.by ?? `lower bound ${pct(interval.lower)}`} > ${pct(critical)} (${t.criticalMultiple} × ${pct(t.max5xxRate)})`,
      reason: `5xx rate ${rate} is above ${pct(critical)} at ${aboveCritical.by ? 'always-valid' : conf(alpha.fail)} confidence: critical`,
    });
  const aboveLimit = above(t.max5xxRate);
  if (aboveLimit.crossed)
    return result(base, 'fail', {
      ...fields,
      boundary: aboveLimit.by
        ? `fail: ${aboveLimit.by} against p ≤ ${pct(t.max5xxRate)}`
        : `fail: lower bound ${pct(interval.lower)} > limit ${pct(t.max5xxRate)}`,
      reason: `5xx rate ${rate} is above the limit ${pct(t.max5xxRate)} at ${aboveLimit.by ? 'always-valid' : conf(alpha.fail)} confidence (${bounds})`,
    });
  if (n < t.minRequests)
    return result(base, 'inconclusive', {
      ...fields,
      reason: `only ${count(n)} green requests; the 5xx rate is judged from ${count(t.minRequests)}`,
    });
  const below = crossing(
    decisive(upper, alpha, 1) < bad,
    proportionEvidence(x, n, bad, 'below'),
    alpha.always?.pass,
  );
  if (below.crossed)
    return result(base, 'pass', {
      ...fields,
      boundary: below.by
        ? `pass: ${below.by} against p ≥ ${pct(bad)}`
        : `pass: upper bound ${pct(interval.upper)} < clearly bad ${pct(bad)}`,
      reason: `5xx rate ${rate} is below ${pct(bad)} at ${below.by ? 'always-valid' : conf(alpha.pass)} confidence (${bounds})`,
    });
  return result(base, 'inconclusive', {
    ...fields,
    reason: `5xx rate ${rate}: not yet above the limit ${pct(t.max5xxRate)} nor below ${pct(bad)} (${bounds})`,
  });
}
