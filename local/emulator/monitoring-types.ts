/**
 * Cloud Monitoring v3 shapes, twice: the wire shape exactly as the proto loader of `protos.ts` gives
 * and takes it (snake_case, enums as strings, int64 as strings, Timestamp/Duration as
 * `{seconds, nanos}`), and the emulator's own small internal shape (epoch ms, plain numbers).
 */

export interface WireTimestamp {
  seconds?: string | number;
  nanos?: number;
}

export type WireDuration = WireTimestamp;

export interface WireBucketOptions {
  linear_buckets?: { num_finite_buckets?: number; width?: number; offset?: number };
  exponential_buckets?: { num_finite_buckets?: number; growth_factor?: number; scale?: number };
  explicit_buckets?: { bounds?: number[] };
}

export interface WireDistribution {
  count?: string | number;
  mean?: number;
  sum_of_squared_deviation?: number;
  bucket_options?: WireBucketOptions;
  bucket_counts?: Array<string | number>;
}

export interface WireTypedValue {
  int64_value?: string | number;
  double_value?: number;
  bool_value?: boolean;
  string_value?: string;
  distribution_value?: WireDistribution;
}

export interface WirePoint {
  interval?: { start_time?: WireTimestamp; end_time?: WireTimestamp };
  value?: WireTypedValue;
}

export type MetricKind = 'GAUGE' | 'DELTA' | 'CUMULATIVE';
export type ValueType = 'INT64' | 'DOUBLE' | 'DISTRIBUTION';

/** `google.monitoring.v3.TimeSeries` on the wire (what CreateTimeSeries takes and ListTimeSeries returns). */
export interface TimeSeries {
  metric?: { type?: string; labels?: Record<string, string> };
  resource?: { type?: string; labels?: Record<string, string> };
  metric_kind?: string;
  value_type?: string;
  points?: WirePoint[];
  unit?: string;
}

/** A distribution inside the emulator; `counts` has numFiniteBuckets + 2 entries (underflow, overflow). */
export interface Dist {
  count: number;
  mean: number;
  /** Sum of squared deviations from the mean. */
  ssd: number;
  options: WireBucketOptions;
  counts: number[];
}

export type Value = number | Dist;

export interface Pt {
  startMs: number;
  endMs: number;
  value: Value;
}

export interface Labelled {
  type: string;
  labels: Record<string, string>;
}

/** One stored or computed series; `points` oldest-first inside the emulator. */
export interface Series {
  metric: Labelled;
  resource: Labelled;
  kind: MetricKind;
  valueType: ValueType;
  unit: string;
  points: Pt[];
}

export function isDist(value: Value): value is Dist {
  return typeof value === 'object';
}

export function toMs(ts: WireTimestamp | undefined): number | undefined {
  if (!ts || (ts.seconds === undefined && ts.nanos === undefined)) return undefined;
  return Number(ts.seconds ?? 0) * 1000 + Math.floor((ts.nanos ?? 0) / 1e6);
}

export function fromMs(ms: number): { seconds: string; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

/** Identity of a series: metric type and labels, resource type and labels (sorted). */
export function seriesKey(s: { metric: Labelled; resource: Labelled }): string {
  const sorted = (labels: Record<string, string>) =>
    Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([
    s.metric.type,
    sorted(s.metric.labels),
    s.resource.type,
    sorted(s.resource.labels),
  ]);
}
