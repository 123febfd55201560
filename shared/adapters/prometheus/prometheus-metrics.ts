import {
  measured,
  noData,
  type Histogram,
  type Measured,
  type Moments,
  type RequestCounts,
  type RevisionMetrics,
} from '../../domain/measurement.js';
import type { MetricsSource, Window } from '../../ports/metrics-source.js';
import type { PrometheusQueries } from '../../schemas/metrics-config.js';
import type { PrometheusApi, Sample } from './prometheus-api.js';

export interface PrometheusMetricsOptions {
  api: PrometheusApi;
  queries: PrometheusQueries;
}

/**
 * MetricsSource over PromQL: the same distributions Cloud Monitoring gives (request counts, the
 * merged latency histogram, prediction moments), so the judge decides the same way whichever source
 * measured. `increase()` extrapolates to the window's edges, so counts are rounded to whole
 * requests. A query without series is no-data with the query named, never 0.
 */
export class PrometheusMetrics implements MetricsSource {
  constructor(private readonly options: PrometheusMetricsOptions) {}

  measure(service: string, revision: string, window: Window): Promise<RevisionMetrics> {
    return this.distributions(service, revision, window);
  }

  async distributions(service: string, revision: string, window: Window): Promise<RevisionMetrics> {
    const q = this.options.queries;
    const run = (template: string) =>
      this.options.api.query(render(template, service, revision, window), window.end);
    const [requests, buckets, count, sum, squares] = await Promise.all([
      run(q.requests),
      run(q.latencyBuckets),
      run(q.predictionCount),
      run(q.predictionSum),
      run(q.predictionSquares),
    ]);
    return {
      requests: requestCounts(requests, q.statusLabel, revision),
      latencyMs: latencyHistogram(buckets, q.latencyUnitMs, revision),
      prediction: predictionMoments(count, sum, squares, revision),
    };
  }
}

/** The template with `{service}` (the id), `{revision}` and `{window}` (whole seconds, at least 1). */
export function render(
  template: string,
  service: string,
  revision: string,
  window: Window,
): string {
  const seconds = Math.max(1, Math.round((window.end.getTime() - window.start.getTime()) / 1000));
  return template
    .replaceAll('{service}', service.slice(service.lastIndexOf('/') + 1))
    .replaceAll('{revision}', revision)
    .replaceAll('{window}', `${seconds}s`);
}

function requestCounts(
  samples: Sample[],
  statusLabel: string,
  revision: string,
): Measured<RequestCounts> {
  let requests = 0;
  let errors5xx = 0;
  for (const s of samples) {
    const n = Math.round(s.value);
    requests += n;
    if ((s.labels[statusLabel] ?? '').startsWith('5')) errors5xx += n;
  }
  if (samples.length === 0) return noData(`no request series for ${revision} in the window`);
  if (requests === 0) return noData(`zero requests to ${revision} in the window`);
  return measured({ requests, errors5xx });
}

/**
 * Cumulative `le` buckets → an explicit layout in ms: bounds are the finite `le`s, bucket 0 counts
 * up to the first bound, the last the overflow past the last one. (Prometheus buckets are upper-
 * inclusive, Monitoring's lower-inclusive: the difference is a value exactly on a bound.)
 */
function latencyHistogram(
  samples: Sample[],
  unitMs: number,
  revision: string,
): Measured<Histogram> {
  const points = samples
    .map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), n: s.value }))
    .filter((p) => !Number.isNaN(p.le))
    .sort((a, b) => a.le - b.le);
  const finite = points.filter((p) => Number.isFinite(p.le));
  const total = points.at(-1)?.le === Infinity ? (points.at(-1)?.n ?? 0) : (finite.at(-1)?.n ?? 0);
  if (finite.length === 0 || Math.round(total) === 0)
    return noData(`no latency buckets for ${revision} in the window`);
  const cumulative = [...finite.map((p) => p.n), total];
  const counts = cumulative.map((c, i) =>
    Math.max(0, Math.round(c - (i === 0 ? 0 : (cumulative[i - 1] ?? 0)))),
  );
  return measured({
    layout: { kind: 'explicit', bounds: finite.map((p) => p.le * unitMs) },
    counts,
  });
}

function predictionMoments(
  count: Sample[],
  sum: Sample[],
  squares: Sample[],
  revision: string,
): Measured<Moments> {
  // The unrounded count for the moments: the three counters are extrapolated alike, so
  // Σx² − (Σx)²/n stays exact; only the reported count is rounded to whole predictions.
  const raw = count.reduce((a, s) => a + s.value, 0);
  if (Math.round(raw) === 0) return noData(`no predictions by ${revision} in the window`);
  const total = sum.reduce((a, s) => a + s.value, 0);
  if (squares.length === 0)
    return noData(`no prediction squares for ${revision} (its spread is unknown)`);
  const sumOfSquares = squares.reduce((a, s) => a + s.value, 0);
  return measured({
    count: Math.round(raw),
    mean: total / raw,
    sumOfSquaredDeviation: Math.max(0, sumOfSquares - (total * total) / raw),
  });
}
