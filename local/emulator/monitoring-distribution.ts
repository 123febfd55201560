import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import type { Dist, WireBucketOptions, WireDistribution } from './monitoring-types.js';

/**
 * Bucket maths of `google.api.Distribution`. There are N + 2 buckets: index 0 is the underflow
 * (-inf, first bound), 1..N the finite buckets, N + 1 the overflow [last bound, +inf).
 * Linear: bucket i spans [offset + width·(i−1), offset + width·i).
 * Exponential: bucket i spans [scale·g^(i−1), scale·g^i).
 * Explicit bounds b[0..N]: bucket i spans [b[i−1], b[i]).
 */
export function finiteBuckets(options: WireBucketOptions): number {
  if (options.linear_buckets) return options.linear_buckets.num_finite_buckets ?? 0;
  if (options.exponential_buckets) return options.exponential_buckets.num_finite_buckets ?? 0;
  if (options.explicit_buckets)
    return Math.max(0, (options.explicit_buckets.bounds ?? []).length - 1);
  return 0;
}

/** Lower bound of bucket `i` (1..N + 1); bucket 0 has -Infinity. */
export function lowerBound(options: WireBucketOptions, i: number): number {
  if (i <= 0) return -Infinity;
  if (options.linear_buckets) {
    const { width = 0, offset = 0 } = options.linear_buckets;
    return offset + width * (i - 1);
  }
  if (options.exponential_buckets) {
    const { growth_factor = 1, scale = 1 } = options.exponential_buckets;
    return scale * growth_factor ** (i - 1);
  }
  const bounds = options.explicit_buckets?.bounds ?? [];
  return bounds[i - 1] ?? Infinity;
}

/** Index of the bucket holding `x`. */
export function bucketOf(options: WireBucketOptions, x: number): number {
  const n = finiteBuckets(options);
  let lo = 0;
  let hi = n + 1; // invariant: lowerBound(lo) <= x, answer in [lo, hi]
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (lowerBound(options, mid) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** A distribution of raw values (count, mean, sum of squared deviation and bucket counts). */
export function distOf(values: number[], options: WireBucketOptions): Dist {
  const counts = new Array<number>(finiteBuckets(options) + 2).fill(0);
  for (const v of values) counts[bucketOf(options, v)]! += 1;
  const count = values.length;
  const mean = count ? values.reduce((a, b) => a + b, 0) / count : 0;
  const ssd = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { count, mean, ssd, options, counts };
}

/** Merges distributions with the same bucket options (Chan et al. for the squared deviation). */
export function mergeDists(dists: Dist[]): Dist {
  const [first] = dists;
  if (!first) throw new Error('mergeDists needs at least one distribution');
  const layout = JSON.stringify(first.options);
  let acc: Dist = { ...first, counts: [...first.counts] };
  for (const d of dists.slice(1)) {
    if (JSON.stringify(d.options) !== layout)
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        'cannot merge distributions with different bucket options',
      );
    const count = acc.count + d.count;
    const delta = d.mean - acc.mean;
    const mean = count ? acc.mean + (delta * d.count) / count : 0;
    const ssd = count ? acc.ssd + d.ssd + (delta * delta * acc.count * d.count) / count : 0;
    const counts = acc.counts.map((c, i) => c + (d.counts[i] ?? 0));
    acc = { count, mean, ssd, options: acc.options, counts };
  }
  return acc;
}

/**
 * The p-th percentile (0..100) of a distribution, or undefined when it is empty. Method: the
 * target rank is p/100 · count; walk the buckets to the one whose cumulative count reaches the
 * rank, then interpolate linearly inside it, assuming values spread evenly over the bucket.
 * The underflow bucket is taken as [min(0, upper), upper) and the overflow bucket answers its
 * lower bound, since neither has a finite width.
 */
export function distPercentile(d: Dist, p: number): number | undefined {
  if (d.count <= 0) return undefined;
  const rank = (p / 100) * d.count;
  let before = 0;
  const last = d.counts.length - 1;
  for (let i = 0; i <= last; i++) {
    const inBucket = d.counts[i] ?? 0;
    if (inBucket > 0 && before + inBucket >= rank) {
      const upper = lowerBound(d.options, i + 1);
      if (i === 0)
        return Math.min(0, upper) + (upper - Math.min(0, upper)) * ((rank - before) / inBucket);
      const lower = lowerBound(d.options, i);
      if (i === last || !Number.isFinite(upper)) return lower;
      return lower + (upper - lower) * ((rank - before) / inBucket);
    }
    before += inBucket;
  }
  return undefined;
}

/** Percentile of plain numbers: linear interpolation between closest ranks. */
export function numberPercentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (b - a) * (pos - lo);
}

export function distFromWire(w: WireDistribution): Dist {
  const options = w.bucket_options ?? {};
  const counts = new Array<number>(finiteBuckets(options) + 2).fill(0);
  (w.bucket_counts ?? []).forEach((c, i) => {
    if (i < counts.length) counts[i] = Number(c);
  });
  return {
    count: Number(w.count ?? 0),
    mean: w.mean ?? 0,
    ssd: w.sum_of_squared_deviation ?? 0,
    options,
    counts,
  };
}

/** Wire form; trailing zero bucket counts are omitted, as the real API does. */
export function distToWire(d: Dist): WireDistribution {
  let end = d.counts.length;
  while (end > 0 && d.counts[end - 1] === 0) end--;
  return {
    count: String(d.count),
    mean: d.mean,
    sum_of_squared_deviation: d.ssd,
    bucket_options: d.options,
    bucket_counts: d.counts.slice(0, end).map(String),
  };
}
