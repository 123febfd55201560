/**
 * What a metrics source measures about one revision over one window, as distributions rather than
 * summary numbers, so the judge can put an interval on every figure (DESIGN.md §3). Cloud Monitoring
 * and Prometheus sources return these same shapes.
 *
 * "No data" is a value with its reason, never 0 (STYLE.md §4). A source that KNOWS a revision served
 * nothing may say `{ requests: 0, errors5xx: 0 }`; a source that cannot tell "nothing served" from
 * "not in the metrics yet" (Cloud Monitoring writes no series for a revision without requests) says
 * no-data.
 */
export type Measured<T> = { kind: 'value'; value: T } | { kind: 'no-data'; reason: string };

/**
 * `google.api.Distribution.BucketOptions` in our own words. There are N + 2 buckets: 0 is the
 * underflow (-inf, first bound), 1..N the finite ones, N + 1 the overflow [last bound, +inf).
 * - exponential: bucket i (1..N) spans [scale·growthFactor^(i−1), scale·growthFactor^i)
 * - linear: bucket i spans [offset + width·(i−1), offset + width·i)
 * - explicit: bounds b[0..N]; bucket i spans [b[i−1], b[i])
 */
export type BucketLayout =
  | { kind: 'exponential'; numFiniteBuckets: number; growthFactor: number; scale: number }
  | { kind: 'linear'; numFiniteBuckets: number; width: number; offset: number }
  | { kind: 'explicit'; bounds: number[] };

/**
 * Bucket counts over one layout: `counts[i]` is bucket i (underflow first). Trailing zero buckets
 * may be missing, as Cloud Monitoring omits them; a missing bucket counts 0.
 */
export interface Histogram {
  layout: BucketLayout;
  counts: number[];
}

/** Requests served and how many of them answered 5xx, over the window. */
export interface RequestCounts {
  requests: number;
  errors5xx: number;
}

/** A distribution's count, mean and sum of squared deviation (what Monitoring keeps besides buckets). */
export interface Moments {
  count: number;
  mean: number;
  sumOfSquaredDeviation: number;
}

export interface Window {
  start: Date;
  end: Date;
}

/** What a metrics source knows about one revision over one window. */
export interface RevisionMetrics {
  /** Request and 5xx counts (from `request_count`, summed per response code class). */
  requests: Measured<RequestCounts>;
  /** Every request's latency in ms, merged into one distribution (never a percentile of percentiles). */
  latencyMs: Measured<Histogram>;
  /** The model's prediction scores (the log-based distribution metric). */
  prediction: Measured<Moments>;
}

export const measured = <T>(value: T): Measured<T> => ({ kind: 'value', value });
/** No data with its reason; fits every Measured<T> (and the old Measurement). */
export const noData = (reason: string): { kind: 'no-data'; reason: string } => ({
  kind: 'no-data',
  reason,
});

/** Requests a revision served over the window, or null when the source has no data. */
export function requestsOf(m: RevisionMetrics): number | null {
  return m.requests.kind === 'value' ? m.requests.value.requests : null;
}

/** Every figure no-data for the same reason. */
export function silentRevision(reason: string): RevisionMetrics {
  return { requests: noData(reason), latencyMs: noData(reason), prediction: noData(reason) };
}
