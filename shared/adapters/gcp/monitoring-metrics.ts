import type { MetricServiceClient } from '@google-cloud/monitoring';
import { noData, value, type Measurement, type RevisionSummary } from '../../domain/measurement.js';
import type { MetricsSource, Window } from '../../ports/metrics-source.js';
import type { RetryPolicy } from './retry.js';
import { int64, listSeries, scalar, type SeriesQuery } from './monitoring-series.js';

export const REQUEST_COUNT = 'run.googleapis.com/request_count';
export const REQUEST_LATENCIES = 'run.googleapis.com/request_latencies';
export const DEFAULT_PREDICTION_METRIC = 'logging.googleapis.com/user/cutover-prediction';

export interface MonitoringMetricsOptions {
  client: MetricServiceClient;
  /** The log-based distribution metric of the model's predictions. */
  predictionMetric?: string;
  retry?: RetryPolicy;
}

const SERVICE_NAME = /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/;

/**
 * MetricsSource on Cloud Monitoring's ListTimeSeries, one query per figure, each over the whole
 * window as a single alignment period. "Nothing there" — no series, no points, zero requests, or
 * partial data (executionErrors) — is no-data with the reason, never 0.
 */
export class MonitoringMetrics implements MetricsSource {
  constructor(private readonly options: MonitoringMetricsOptions) {}

  async measure(service: string, revision: string, window: Window): Promise<RevisionSummary> {
    const m = SERVICE_NAME.exec(service);
    if (!m) throw new Error(`not a full Cloud Run service name: ${service}`);
    const base = {
      project: m[1] ?? '',
      location: m[2] ?? '',
      service: m[3] ?? '',
      revision,
      window,
    };
    const [counts, p95, prediction] = await Promise.all([
      this.requests(base),
      this.p95(base),
      this.prediction(base),
    ]);
    const p95LatencyMs =
      counts.requests.kind === 'no-data'
        ? counts.requests
        : p95 === null
          ? noData(`no ${REQUEST_LATENCIES} points for ${revision}`)
          : p95;
    return { ...counts, p95LatencyMs: withSamples(p95LatencyMs, counts.requests), prediction };
  }

  /** request_count summed per response_code_class: all classes → requests, `5xx` → errors. */
  private async requests(base: Base): Promise<Pick<RevisionSummary, 'requests' | 'errors5xx'>> {
    const result = await listSeries(
      this.options.client,
      {
        ...base,
        metricType: REQUEST_COUNT,
        aligner: 'ALIGN_DELTA',
        reducer: 'REDUCE_SUM',
        groupBy: ['metric.labels.response_code_class'],
      },
      this.options.retry,
    );
    if (result.partial)
      return both(noData(`partial data from Cloud Monitoring: ${result.partial}`));
    if (result.series.length === 0)
      return both(noData(`no ${REQUEST_COUNT} series for ${base.revision}`));
    let total = 0;
    let errors = 0;
    for (const s of result.series) {
      const sum = (s.points ?? []).reduce((acc, p) => acc + (scalar(p.value) ?? 0), 0);
      total += sum;
      if (s.metric?.labels?.response_code_class === '5xx') errors += sum;
    }
    if (total === 0) return both(noData(`zero requests to ${base.revision} in the window`));
    return { requests: value(total, total), errors5xx: value(errors, total) };
  }

  /**
   * ALIGN_PERCENTILE_95 + REDUCE_PERCENTILE_95 (upstream's REDUCE_PERCENTILE_50 is a bug). With one
   * alignment period there is one point; if several come back the highest is taken (conservative).
   */
  private async p95(base: Base): Promise<Measurement | null> {
    const result = await listSeries(
      this.options.client,
      {
        ...base,
        metricType: REQUEST_LATENCIES,
        aligner: 'ALIGN_PERCENTILE_95',
        reducer: 'REDUCE_PERCENTILE_95',
      },
      this.options.retry,
    );
    if (result.partial) return noData(`partial data from Cloud Monitoring: ${result.partial}`);
    const values = result.series
      .flatMap((s) => (s.points ?? []).map((p) => scalar(p.value)))
      .filter((v): v is number => v !== null);
    return values.length ? value(Math.max(...values), 0) : null;
  }

  /** The prediction distribution summed over the window: mean and count, points merged by count. */
  private async prediction(base: Base): Promise<Measurement> {
    const metricType = this.options.predictionMetric ?? DEFAULT_PREDICTION_METRIC;
    const result = await listSeries(
      this.options.client,
      { ...base, metricType, aligner: 'ALIGN_DELTA', reducer: 'REDUCE_SUM' },
      this.options.retry,
    );
    if (result.partial) return noData(`partial data from Cloud Monitoring: ${result.partial}`);
    let count = 0;
    let sum = 0;
    for (const s of result.series) {
      for (const p of s.points ?? []) {
        const d = p.value?.distributionValue;
        const n = int64(d?.count);
        count += n;
        sum += n * Number(d?.mean ?? 0);
      }
    }
    if (count === 0) return noData(`no ${metricType} predictions for ${base.revision}`);
    return value(sum / count, count);
  }
}

type Base = Omit<SeriesQuery, 'metricType' | 'aligner' | 'reducer' | 'groupBy'>;

function both(m: Measurement): Pick<RevisionSummary, 'requests' | 'errors5xx'> {
  return { requests: m, errors5xx: m };
}

/** The latency percentile carries the request count as its sample count. */
function withSamples(m: Measurement, requests: Measurement): Measurement {
  return m.kind === 'value' && requests.kind === 'value' ? value(m.value, requests.value) : m;
}
