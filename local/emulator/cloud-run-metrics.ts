import { distOf, distToWire } from './monitoring-distribution.js';
import { fromMs } from './monitoring-types.js';
import type { TimeSeries, WireBucketOptions } from './monitoring-types.js';

/**
 * Bucket layout for `request_latencies` (ms): 100 exponential buckets, growth 1.4, scale 1 ms,
 * covering 1 ms to ~4·10^14 ms. Cloud Run does not document its layout; this one is chosen to
 * look like the exponential layouts Google's serving metrics use (each bucket 40 % wider).
 */
export const LATENCY_BUCKETS: WireBucketOptions = {
  exponential_buckets: { num_finite_buckets: 100, growth_factor: 1.4, scale: 1 },
};

/** Bucket layout for prediction scores in [0, 1]: 50 linear buckets of width 0.02. */
export const PREDICTION_BUCKETS: WireBucketOptions = {
  linear_buckets: { num_finite_buckets: 50, width: 0.02, offset: 0 },
};

export const DEFAULT_PREDICTION_METRIC = 'logging.googleapis.com/user/cutover-prediction';

export interface CloudRunObservations {
  project: string;
  location: string;
  /** Short service name, or the full `projects/…/services/S` name. */
  service: string;
  /** Short revision name. */
  revision: string;
  /** Defaults to the service name, as Cloud Run names a service's configuration. */
  configuration?: string;
  start: Date;
  end: Date;
  requests: Array<{ status: number; latencyMs: number }>;
  /** Prediction scores logged by the model in the window. */
  predictions?: number[];
  predictionMetric?: string;
}

/**
 * The DELTA series Cloud Run (and a log-based distribution metric) would write for one revision
 * over [start, end]: `run.googleapis.com/request_count` (INT64) and
 * `run.googleapis.com/request_latencies` (DISTRIBUTION, ms), one series per response code with
 * metric labels `response_code` and `response_code_class` ("2xx"…), and the prediction
 * distribution. Nothing observed means no series at all (a metric is absent, not zero).
 */
export function cloudRunSeries(o: CloudRunObservations): TimeSeries[] {
  const service = o.service.split('/').pop() ?? o.service;
  const resource = {
    type: 'cloud_run_revision',
    labels: {
      project_id: o.project,
      service_name: service,
      revision_name: o.revision,
      location: o.location,
      configuration_name: o.configuration ?? service,
    },
  };
  const interval = { start_time: fromMs(o.start.getTime()), end_time: fromMs(o.end.getTime()) };
  const byCode = new Map<number, number[]>();
  for (const r of o.requests) byCode.set(r.status, [...(byCode.get(r.status) ?? []), r.latencyMs]);

  const out: TimeSeries[] = [];
  for (const [status, latencies] of [...byCode.entries()].sort(([a], [b]) => a - b)) {
    const metricLabels = {
      response_code: String(status),
      response_code_class: `${Math.floor(status / 100)}xx`,
    };
    out.push({
      metric: { type: 'run.googleapis.com/request_count', labels: metricLabels },
      resource,
      metric_kind: 'DELTA',
      value_type: 'INT64',
      unit: '1',
      points: [{ interval, value: { int64_value: String(latencies.length) } }],
    });
    out.push({
      metric: { type: 'run.googleapis.com/request_latencies', labels: metricLabels },
      resource,
      metric_kind: 'DELTA',
      value_type: 'DISTRIBUTION',
      unit: 'ms',
      points: [
        { interval, value: { distribution_value: distToWire(distOf(latencies, LATENCY_BUCKETS)) } },
      ],
    });
  }
  if (o.predictions?.length) {
    out.push({
      metric: { type: o.predictionMetric ?? DEFAULT_PREDICTION_METRIC, labels: {} },
      resource,
      metric_kind: 'DELTA',
      value_type: 'DISTRIBUTION',
      unit: '1',
      points: [
        {
          interval,
          value: { distribution_value: distToWire(distOf(o.predictions, PREDICTION_BUCKETS)) },
        },
      ],
    });
  }
  return out;
}
