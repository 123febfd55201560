import type { Thresholds } from '../../schemas/config.js';
import type { CheckResult } from '../../schemas/release.js';
import type { RevisionMetrics } from '../measurement.js';
import { proportionLower, proportionUpper } from '../stats/index.js';
import {
  conf,
  count,
  needed,
  pct,
  projectedSample,
  result,
  type LookAlphas,
} from './check-result.js';

/**
 * Green's 5xx rate p, from x 5xx in n green requests, as two one-sided exact (Clopper–Pearson)
 * tests:
 * - critical: the lower bound at 1 − α_fail is above max5xxRate × criticalMultiple. Allowed below
 *   minRequests: 5 failures in 5 requests is evidence on its own.
 * - fail: the lower bound is above max5xxRate (evidence p > limit).
 * - pass: n ≥ minRequests and the upper bound at 1 − α_pass is below clearlyBad.max5xxRate
 *   (evidence p is short of clearly bad).
 * - otherwise inconclusive. Blue's rate is shown, not used: the limit is absolute.
 * Bounds exactly at a boundary do not cross it.
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
  const fields = {
    observed,
    samples: n,
    interval: { lower, upper },
    needed: needed(
      projectedSample(n, est, lower, t.max5xxRate, 'above'),
      // with 0 errors the upper bound is 1 − α^(1/n): below `bad` from n = ln α / ln(1 − bad)
      est === 0
        ? Math.ceil(Math.log(alpha.pass) / Math.log(1 - bad))
        : projectedSample(n, est, upper, bad, 'below'),
    ),
  };
  const rate = observed === null ? 'no requests' : `${pct(observed)} (${count(x)} of ${count(n)})`;
  const bounds = `${pct(lower)} ≤ p ≤ ${pct(upper)}`;
  if (lower > critical)
    return result(base, 'fail', {
      ...fields,
      critical: true,
      boundary: `critical: lower bound ${pct(lower)} > ${pct(critical)} (${t.criticalMultiple} × ${pct(t.max5xxRate)})`,
      reason: `5xx rate ${rate} is above ${pct(critical)} at ${conf(alpha.fail)}: critical`,
    });
  if (lower > t.max5xxRate)
    return result(base, 'fail', {
      ...fields,
      boundary: `fail: lower bound ${pct(lower)} > limit ${pct(t.max5xxRate)}`,
      reason: `5xx rate ${rate} is above the limit ${pct(t.max5xxRate)} at ${conf(alpha.fail)} (${bounds})`,
    });
  if (n < t.minRequests)
    return result(base, 'inconclusive', {
      ...fields,
      reason: `only ${count(n)} green requests; the 5xx rate is judged from ${count(t.minRequests)}`,
    });
  if (upper < bad)
    return result(base, 'pass', {
      ...fields,
      boundary: `pass: upper bound ${pct(upper)} < clearly bad ${pct(bad)}`,
      reason: `5xx rate ${rate} is below ${pct(bad)} at ${conf(alpha.pass)} (${bounds})`,
    });
  return result(base, 'inconclusive', {
    ...fields,
    reason: `5xx rate ${rate}: not yet above the limit ${pct(t.max5xxRate)} nor below ${pct(bad)} (${bounds})`,
  });
}
