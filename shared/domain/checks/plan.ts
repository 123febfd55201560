import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { Thresholds } from '../../schemas/config.js';
import { countAbove, quantile, totalCount } from '../histogram.js';
import type { RevisionMetrics } from '../measurement.js';
import { variance } from '../stats/index.js';
import { TAIL } from './latency.js';

/** The chance that a green identical to blue passes every blocking check at look 1. */
export const PLANNED_POWER = 0.6;

/**
 * One check's pass test in the plan's normal approximation: after n green requests it has
 * `perGreen`·n effective samples, and it passes when its estimate is `d` short of the clearly-bad
 * boundary by more than z·sd0/√samples. A green identical to blue has the estimate at distance d
 * with standard deviation sd1 per sample.
 */
interface PlanTerm {
  d: number;
  sd0: number;
  sd1: number;
  perGreen: number;
  /** The z of the check's own α (drift tests each edge at half of it). */
  z: number;
}

/** The plan's chance that the term's check passes at n green requests. */
function termPower(term: PlanTerm, n: number): number {
  const samples = term.perGreen * n;
  return normalCdf((term.d * Math.sqrt(samples) - term.z * term.sd0) / term.sd1, 0, 1);
}

/**
 * Where a step's first planned pass look goes (stats/planned-looks.ts): the green requests at
 * which a green IDENTICAL TO BLUE would pass every blocking check with chance PLANNED_POWER, at
 * the look's α, in the normal approximation. Every input is blue's data or a request count, never
 * a green outcome, so the look it places is a stopping time of the counts and the test at it
 * keeps its level. The joint chance is the product of the checks' (they read different
 * statistics of the requests: 5xx counts, the latency tail, predictions — close to independent),
 * found by bisection, as it grows with n. A check that blue itself would not pass (d ≤ 0) or that
 * lacks blue data plans nothing; one whose blue estimate has no spread (p1 = 0) passes for certain
 * from the n where its bound reaches the boundary. Undefined when no check plans.
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
  const terms = [
    errorRateTerm(blue, t, z),
    ...(relative
      ? [
          latencyTerm(blue, t, z, ratio),
          driftTerm(blue, t, normalQuantile(1 - alpha / 2, 0, 1), ratio),
        ]
      : []),
  ].filter((p): p is PlanTerm => p !== undefined && p.d > 0 && p.perGreen > 0 && p.sd0 > 0);
  if (terms.length === 0) return undefined;
  const joint = (n: number) => terms.reduce((acc, term) => acc * termPower(term, n), 1);
  let hi = Math.max(1, t.minRequests);
  while (joint(hi) < PLANNED_POWER && hi < 1e12) hi *= 2;
  let lo = hi / 2;
  for (let i = 0; i < 100 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (joint(mid) >= PLANNED_POWER) hi = mid;
    else lo = mid;
  }
  return Math.max(t.minRequests, Math.ceil(hi));
}

/** 5xx: green at blue's rate p1 against clearly bad p0. */
function errorRateTerm(blue: RevisionMetrics, t: Thresholds, z: number): PlanTerm | undefined {
  if (blue.requests.kind === 'no-data' || blue.requests.value.requests <= 0) return undefined;
  const { requests, errors5xx } = blue.requests.value;
  return proportionTerm(errors5xx / requests, t.clearlyBad.max5xxRate, z, 1);
}

/**
 * p95: green's share above blue's clearly-bad threshold, at blue's own share p1, against 5 %,
 * at the two-sample effective sample n_g·ρ/(1 + ρ) (latency.ts) with ρ blue's requests per green.
 */
function latencyTerm(
  blue: RevisionMetrics,
  t: Thresholds,
  z: number,
  ratio: number | undefined,
): PlanTerm | undefined {
  if (blue.latencyMs.kind === 'no-data' || ratio === undefined) return undefined;
  const h = blue.latencyMs.value;
  const nb = totalCount(h);
  const p95 = quantile(h, 1 - TAIL);
  if (nb <= 0 || p95 === undefined) return undefined;
  const passAt = p95 * (1 + t.clearlyBad.p95Increase) + t.p95SlackMs;
  return proportionTerm(countAbove(h, passAt) / nb, TAIL, z, ratio / (1 + ratio));
}

/**
 * Drift: green at blue's mean, against the nearer edge of the clearly-bad band μb ± r·|μb|: the
 * contrast μg − (1 + r)·μb sits at −r·|μb| with variance s²(1/n_g + (1 + r)²/n_b), tested at half
 * the α (drift.ts splits it over the two edges: `z` is z at α/2). Predictions per request from blue.
 */
function driftTerm(
  blue: RevisionMetrics,
  t: Thresholds,
  z: number,
  ratio: number | undefined,
): PlanTerm | undefined {
  if (blue.prediction.kind === 'no-data' || blue.requests.kind === 'no-data') return undefined;
  if (ratio === undefined) return undefined;
  const m = blue.prediction.value;
  const s2 = variance(m);
  const perRequest = m.count / blue.requests.value.requests;
  if (s2 === undefined || !(perRequest > 0)) return undefined;
  const r = t.clearlyBad.predictionDrift;
  const d = m.mean === 0 ? r : r * Math.abs(m.mean);
  const s = Math.sqrt(s2);
  return { d, sd0: s, sd1: s, perGreen: perRequest / (1 + (1 + r) ** 2 / ratio), z };
}

function proportionTerm(p1: number, p0: number, z: number, perGreen: number): PlanTerm {
  return {
    d: p0 - p1,
    sd0: Math.sqrt(p0 * (1 - p0)),
    sd1: Math.sqrt(Math.max(p1 * (1 - p1), 1e-6)),
    perGreen,
    z,
  };
}

/** Blue's requests per green request served so far, or undefined before green served any. */
function servedRatio(blue: RevisionMetrics, green: RevisionMetrics): number | undefined {
  if (blue.requests.kind === 'no-data' || green.requests.kind === 'no-data') return undefined;
  const g = green.requests.value.requests;
  const b = blue.requests.value.requests;
  return g > 0 && b > 0 ? b / g : undefined;
}
