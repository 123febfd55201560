/** A number with the count of samples behind it, or no data with the reason. Never 0 for "nothing". */
export type Measurement =
  { kind: 'value'; value: number; samples: number } | { kind: 'no-data'; reason: string };

export interface Window {
  start: Date;
  end: Date;
}

/** What Cloud Monitoring knows about one revision over one window. */
export interface RevisionMetrics {
  /** Requests served (value = count, samples = count). */
  requests: Measurement;
  /** Responses with a 5xx status (value = count, samples = requests). */
  errors5xx: Measurement;
  /** 95th percentile latency in ms (samples = requests measured). */
  p95LatencyMs: Measurement;
  /** Mean prediction score from the model's log-based metric (samples = predictions). */
  prediction: Measurement;
}

export const value = (v: number, samples: number): Measurement => ({
  kind: 'value',
  value: v,
  samples,
});
export const noData = (reason: string): Measurement => ({ kind: 'no-data', reason });
