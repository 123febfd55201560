import type { BucketLayout, Histogram } from './measurement.js';

/**
 * Bucket arithmetic of a merged latency (or any) distribution. Values inside one bucket are not
 * known, so anything finer than a bucket is interpolated, and the functions say how:
 * exponential layouts interpolate uniformly in log space (a smooth density over a bucket 40 %
 * wide is close to log-uniform), linear and explicit layouts uniformly. The underflow bucket is
 * taken as [min(0, first bound), first bound); the overflow bucket has no width, so a position
 * inside it is its lower bound.
 */

export function finiteBuckets(layout: BucketLayout): number {
  return layout.kind === 'explicit'
    ? Math.max(0, layout.bounds.length - 1)
    : layout.numFiniteBuckets;
}

/** Lower bound of bucket i (0..N + 1); -Infinity for the underflow bucket. */
export function lowerBound(layout: BucketLayout, i: number): number {
  if (i <= 0) return -Infinity;
  const n = finiteBuckets(layout);
  const k = Math.min(i, n + 1);
  switch (layout.kind) {
    case 'exponential':
      return layout.scale * layout.growthFactor ** (k - 1);
    case 'linear':
      return layout.offset + layout.width * (k - 1);
    case 'explicit':
      return layout.bounds[k - 1] ?? Infinity;
    default: {
      const unknown: never = layout;
      throw new Error(`unknown bucket layout ${JSON.stringify(unknown)}`);
    }
  }
}

/** Upper bound of bucket i; +Infinity for the overflow bucket. */
export function upperBound(layout: BucketLayout, i: number): number {
  return i >= finiteBuckets(layout) + 1 ? Infinity : lowerBound(layout, i + 1);
}

/** Index of the bucket holding x (lower bounds inclusive). */
export function bucketOf(layout: BucketLayout, x: number): number {
  let lo = 0;
  let hi = finiteBuckets(layout) + 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (lowerBound(layout, mid) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function totalCount(h: Histogram): number {
  return h.counts.reduce((a, b) => a + b, 0);
}

/** Adds histograms over the same layout (REDUCE_SUM of distributions). */
export function mergeHistograms(hs: Histogram[]): Histogram {
  const [first] = hs;
  if (!first) throw new Error('mergeHistograms needs at least one histogram');
  const layout = JSON.stringify(first.layout);
  const counts: number[] = [];
  for (const h of hs) {
    if (JSON.stringify(h.layout) !== layout)
      throw new Error('cannot merge histograms with different bucket layouts');
    h.counts.forEach((c, i) => (counts[i] = (counts[i] ?? 0) + c));
  }
  return { layout: first.layout, counts: Array.from(counts, (c) => c ?? 0) };
}

/** The finite span used for interpolation inside bucket i. */
function span(layout: BucketLayout, i: number): { lo: number; hi: number; log: boolean } {
  const hi = upperBound(layout, i);
  const lo = i === 0 ? Math.min(0, hi) : lowerBound(layout, i);
  return { lo, hi, log: layout.kind === 'exponential' && i > 0 && lo > 0 };
}

/** Share of bucket i's span that lies at or above x (0..1), by the interpolation above. */
export function shareAbove(layout: BucketLayout, i: number, x: number): number {
  const { lo, hi, log } = span(layout, i);
  if (x <= lo) return 1;
  if (!Number.isFinite(hi)) return 0;
  if (x >= hi) return 0;
  return log ? Math.log(hi / x) / Math.log(hi / lo) : (hi - x) / (hi - lo);
}

/** How many values lie at or above x: whole buckets above it plus the interpolated part of the one holding it. */
export function countAbove(h: Histogram, x: number): number {
  const b = bucketOf(h.layout, x);
  let above = 0;
  h.counts.forEach((c, i) => {
    if (i > b) above += c;
    else if (i === b) above += c * shareAbove(h.layout, i, x);
  });
  return above;
}

/**
 * The value below which `rank` of the values lie (0 < rank ≤ total), interpolated inside the
 * bucket that holds that rank; undefined for an empty histogram or a rank outside (0, total].
 */
export function valueAtRank(h: Histogram, rank: number): number | undefined {
  const total = totalCount(h);
  if (total <= 0 || rank <= 0 || rank > total + 1e-9) return undefined;
  let before = 0;
  for (let i = 0; i < h.counts.length; i++) {
    const c = h.counts[i] ?? 0;
    if (c > 0 && before + c >= rank - 1e-9) {
      const { lo, hi, log } = span(h.layout, i);
      if (!Number.isFinite(hi)) return lo;
      const f = Math.min(1, Math.max(0, (rank - before) / c));
      return log ? lo * (hi / lo) ** f : lo + (hi - lo) * f;
    }
    before += c;
  }
  return undefined;
}

/** The q-quantile (0 < q ≤ 1) by interpolation: `valueAtRank(h, q · total)`. */
export function quantile(h: Histogram, q: number): number | undefined {
  return valueAtRank(h, q * totalCount(h));
}

/** Buckets raw values (for sources and simulators that see every value). */
export function histogramOfValues(layout: BucketLayout, values: readonly number[]): Histogram {
  const counts = new Array<number>(finiteBuckets(layout) + 2).fill(0);
  for (const v of values) counts[bucketOf(layout, v)]! += 1;
  return { layout, counts };
}
