import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { finiteBuckets, lowerBound, upperBound } from '../../shared/domain/histogram.js';
import type { BucketLayout, Histogram, Moments } from '../../shared/domain/measurement.js';
import { CLOUD_RUN_LATENCY_LAYOUT } from './cloud-run-layout.js';

/** z of the 95th percentile of a standard normal. */
const Z95 = 1.6448536269514722;

/** Probability of each bucket under a lognormal latency with the given p95 (ms) and log-sd σ. */
export function lognormalBucketProbabilities(
  p95Ms: number,
  sigma: number,
  layout: BucketLayout = CLOUD_RUN_LATENCY_LAYOUT,
): number[] {
  const mu = Math.log(p95Ms) - Z95 * sigma;
  const cdf = (x: number) => (x <= 0 ? 0 : x === Infinity ? 1 : normalCdf(Math.log(x), mu, sigma));
  const probs: number[] = [];
  for (let i = 0; i <= finiteBuckets(layout) + 1; i++)
    probs.push(cdf(upperBound(layout, i)) - cdf(i === 0 ? 0 : lowerBound(layout, i)));
  return probs;
}

/**
 * A deterministic histogram of n lognormal latencies with the given p95: expected bucket counts,
 * rounded by largest remainder so they sum to n. For tests that need "a latency distribution".
 */
export function lognormalHistogram(n: number, p95Ms: number, sigma = 0.5): Histogram {
  const probs = lognormalBucketProbabilities(p95Ms, sigma);
  const raw = probs.map((p) => p * n);
  const counts = raw.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    counts[i]! += 1;
    left -= 1;
  }
  return { layout: CLOUD_RUN_LATENCY_LAYOUT, counts };
}

/** Moments of n predictions with this mean and standard deviation. */
export function predictionMoments(n: number, mean: number, sd = 0.1): Moments {
  return { count: n, mean, sumOfSquaredDeviation: Math.max(0, n - 1) * sd * sd };
}
