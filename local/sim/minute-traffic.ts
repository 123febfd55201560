import type { Histogram, Moments } from '../../shared/domain/measurement.js';
import { mergeMoments, momentsOf } from '../../shared/domain/stats/index.js';
import { CLOUD_RUN_LATENCY_LAYOUT } from './cloud-run-layout.js';
import { multinomial, type Random } from './random.js';

/** What one revision served in one minute: Cloud Run's one-minute DELTA point, in our shapes. */
export interface MinutePoint {
  endMs: number;
  requests: number;
  errors5xx: number;
  latency: Histogram;
  predictions: Moments;
}

export interface RevisionModel {
  /** Bucket probabilities of one request's latency. */
  latency: number[];
  errorRate: number;
  prediction: { a: number; b: number };
}

/** Above this many predictions a minute, their moments are drawn from the CLT instead of one by one. */
const EXACT_PREDICTIONS = 200;

/**
 * One minute of a revision at `rps` requests/s: Poisson arrivals, Bernoulli 5xx, latencies
 * multinomial over the buckets (the same as bucketing lognormal draws), one Beta prediction per
 * successful request. Beyond EXACT_PREDICTIONS the minute's mean and sum of squared deviation are
 * drawn from their normal approximations (mean ± σ/√m, ssd ≈ (m − 1)σ²(1 ± √(2/(m − 1)))),
 * which keeps 50 requests/s fast; below it every prediction is drawn.
 */
export function minuteOf(r: Random, model: RevisionModel, rps: number, endMs: number): MinutePoint {
  const requests = r.poisson(rps * 60);
  const errors5xx = r.binomial(requests, model.errorRate);
  const latency = {
    layout: CLOUD_RUN_LATENCY_LAYOUT,
    counts: multinomial(r, requests, model.latency),
  };
  const m = requests - errors5xx;
  const { a, b } = model.prediction;
  let predictions: Moments;
  if (m <= EXACT_PREDICTIONS) {
    const values: number[] = [];
    for (let i = 0; i < m; i++) values.push(r.beta(a, b));
    predictions = momentsOf(values);
  } else {
    const mean = a / (a + b);
    const variance = (a * b) / ((a + b) ** 2 * (a + b + 1));
    predictions = {
      count: m,
      mean: r.normal(mean, Math.sqrt(variance / m)),
      sumOfSquaredDeviation: Math.max(
        0,
        (m - 1) * variance * (1 + r.normal(0, Math.sqrt(2 / (m - 1)))),
      ),
    };
  }
  return { endMs, requests, errors5xx, latency, predictions };
}

/** A running DELTA + REDUCE_SUM over points, extended one point at a time. */
export interface PointSum {
  points: number;
  requests: number;
  errors5xx: number;
  latency: Histogram;
  predictions: Moments;
}

export function emptySum(): PointSum {
  return {
    points: 0,
    requests: 0,
    errors5xx: 0,
    latency: { layout: CLOUD_RUN_LATENCY_LAYOUT, counts: [] },
    predictions: { count: 0, mean: 0, sumOfSquaredDeviation: 0 },
  };
}

/** Adds one point to a running sum, in place. */
export function addPoint(sum: PointSum, p: MinutePoint): void {
  sum.points += 1;
  sum.requests += p.requests;
  sum.errors5xx += p.errors5xx;
  const counts = sum.latency.counts;
  const c = p.latency.counts;
  for (let i = 0; i < c.length; i++) counts[i] = (counts[i] ?? 0) + c[i]!;
  sum.predictions = mergeMoments([sum.predictions, p.predictions]);
}
