import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Thresholds } from '../../schemas/config.js';
import { countAbove, quantile, totalCount } from '../histogram.js';
import type { RevisionMetrics } from '../measurement.js';
import { variance } from '../stats/index.js';
import { TAIL } from './latency.js';

/**
 * Where a step's first planned pass look goes (stats/planned-looks.ts): the green requests at
 * which a green IDENTICAL TO BLUE would pass every blocking check with chance about ½, at the
 * look's α. Each check's pass test is a one-sided test of a distance d from its clearly-bad
 * boundary, with null standard deviation σ0 per sample: in the normal approximation it passes
 * with chance ½ at n = (z_{1−α}·σ0 / d)². Every input is blue's data or a request count, never a
 * green outcome, so the look it places is a stopping time of the counts and the test at it keeps
 * its level. The largest over the checks (a step passes when all do); a check that blue itself
 * would not pass (d ≤ 0) or that lacks blue data plans nothing. Undefined when no check plans.
 */
export function plannedPassRequests(
  blue: RevisionMetrics,
  green: RevisionMetrics,
  t: Thresholds,
  alpha: number,
  /** False at the 100 % step without a blue baseline: only the 5xx check blocks. */
  relative: boolean,
): number | undefined {
  const z = normalQuantile(1 - alpha, 0, 1);
  const ratio = servedRatio(blue, green);
  const plans = [
    errorRatePlan(blue, t, z),
    ...(relative
      ? [
          latencyPlan(blue, t, z, ratio),
          driftPlan(blue, t, normalQuantile(1 - alpha / 2, 0, 1), ratio),
        ]
      : []),
  ];
  const ok = plans.filter((n): n is number => n !== undefined && Number.isFinite(n) && n > 0);
  return ok.length > 0 ? Math.max(t.minRequests, Math.ceil(Math.max(...ok))) : undefined;
}

/** 5xx: green at blue's rate p1 against clearly bad p0, σ0² = p0(1 − p0). */
function errorRatePlan(blue: RevisionMetrics, t: Thresholds, z: number): number | undefined {
  if (blue.requests.kind === 'no-data' || blue.requests.value.requests <= 0) return undefined;
  const { requests, errors5xx } = blue.requests.value;
  return proportionPlan(errors5xx / requests, t.clearlyBad.max5xxRate, z);
}

/**
 * p95: green's share above blue's clearly-bad threshold, at blue's own share p1, against 5 %,
 * at the two-sample effective sample n_g·ρ/(1 + ρ) (latency.ts) with ρ blue's requests per green.
 */
function latencyPlan(
  blue: RevisionMetrics,
  t: Thresholds,
  z: number,
  ratio: number | undefined,
): number | undefined {
  if (blue.latencyMs.kind === 'no-data' || ratio === undefined) return undefined;
  const h = blue.latencyMs.value;
  const nb = totalCount(h);
  const p95 = quantile(h, 1 - TAIL);
  if (nb <= 0 || p95 === undefined) return undefined;
  const passAt = p95 * (1 + t.clearlyBad.p95Increase) + t.p95SlackMs;
  const effective = proportionPlan(countAbove(h, passAt) / nb, TAIL, z);
  return effective === undefined ? undefined : (effective * (1 + ratio)) / ratio;
}

/**
 * Drift: green at blue's mean, against the nearer edge of the clearly-bad band μb ± r·|μb|: the
 * contrast μg − (1 + r)·μb sits at −r·|μb| with variance s²(1/n_g + (1 + r)²/n_b), tested at half
 * the α (drift.ts splits it over the two edges: `z` is z at α/2). Predictions per request from blue.
 */
function driftPlan(
  blue: RevisionMetrics,
  t: Thresholds,
  z: number,
  ratio: number | undefined,
): number | undefined {
  if (blue.prediction.kind === 'no-data' || blue.requests.kind === 'no-data') return undefined;
  if (ratio === undefined) return undefined;
  const m = blue.prediction.value;
  const s2 = variance(m);
  const perRequest = m.count / blue.requests.value.requests;
  if (s2 === undefined || !(perRequest > 0)) return undefined;
  const r = t.clearlyBad.predictionDrift;
  const d = m.mean === 0 ? r : r * Math.abs(m.mean);
  const predictions = ((z * z * s2) / (d * d)) * (1 + (1 + r) ** 2 / ratio);
  return predictions / perRequest;
}

function proportionPlan(p1: number, p0: number, z: number): number | undefined {
  const d = p0 - p1;
  if (!(d > 0)) return undefined;
  return (z * z * p0 * (1 - p0)) / (d * d);
}

/** Blue's requests per green request served so far, or undefined before green served any. */
function servedRatio(blue: RevisionMetrics, green: RevisionMetrics): number | undefined {
  if (blue.requests.kind === 'no-data' || green.requests.kind === 'no-data') return undefined;
  const g = green.requests.value.requests;
  const b = blue.requests.value.requests;
  return g > 0 && b > 0 ? b / g : undefined;
}
