import type { RevisionMetrics, Window } from '../domain/measurement.js';

export type {
  BucketLayout,
  Histogram,
  Measured,
  Moments,
  RequestCounts,
  RevisionMetrics,
  Window,
} from '../domain/measurement.js';

/**
 * Measures one revision over one window. Sources return distributions (counts, merged latency
 * buckets, prediction moments), never summary numbers, and no-data with a reason rather than 0.
 */
export interface MetricsSource {
  /** `service` is the full name; `revision` the short revision name. */
  measure(service: string, revision: string, window: Window): Promise<RevisionMetrics>;
}
