import type { MetricServiceClient, protos } from '@google-cloud/monitoring';
import type { Window } from '../../ports/metrics-source.js';
import { NO_GAX_RETRY, withRetry, type RetryPolicy } from './retry.js';

type TimeSeries = protos.google.monitoring.v3.ITimeSeries;
type Aggregation = protos.google.monitoring.v3.IAggregation;
type TypedValue = protos.google.monitoring.v3.ITypedValue;

/** What one ListTimeSeries query found over all pages; `partial` holds executionErrors, if any. */
export interface SeriesResult {
  series: TimeSeries[];
  partial: string | null;
}

export interface SeriesQuery {
  project: string;
  metricType: string;
  service: string;
  location: string;
  revision: string;
  window: Window;
  aligner: string;
  reducer: string;
  groupBy?: string[];
}

/** The whole window as one alignment period: whole seconds, rounded up, and at least 60 s. */
export function alignmentSeconds(window: Window): number {
  return Math.max(60, Math.ceil((window.end.getTime() - window.start.getTime()) / 1000));
}

function timestamp(date: Date): { seconds: number; nanos: number } {
  const ms = date.getTime();
  return { seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1e6 };
}

/** The filter for one Cloud Run revision's metric. */
export function revisionFilter(
  q: Pick<SeriesQuery, 'metricType' | 'service' | 'location' | 'revision'>,
): string {
  return [
    `metric.type="${q.metricType}"`,
    'resource.type="cloud_run_revision"',
    `resource.labels.location="${q.location}"`,
    `resource.labels.service_name="${q.service}"`,
    `resource.labels.revision_name="${q.revision}"`,
  ].join(' AND ');
}

/** Runs one ListTimeSeries query and follows every page (by hand, to keep executionErrors). */
export async function listSeries(
  client: MetricServiceClient,
  q: SeriesQuery,
  policy?: RetryPolicy,
): Promise<SeriesResult> {
  const aggregation: Aggregation = {
    alignmentPeriod: { seconds: alignmentSeconds(q.window) },
    perSeriesAligner: q.aligner as Aggregation['perSeriesAligner'],
    crossSeriesReducer: q.reducer as Aggregation['crossSeriesReducer'],
    groupByFields: q.groupBy ?? [],
  };
  const series: TimeSeries[] = [];
  const errors: string[] = [];
  let pageToken = '';
  do {
    const request = {
      name: `projects/${q.project}`,
      filter: revisionFilter(q),
      interval: { startTime: timestamp(q.window.start), endTime: timestamp(q.window.end) },
      aggregation,
      view: 'FULL' as const,
      pageToken,
    };
    const options = { ...NO_GAX_RETRY, autoPaginate: false };
    const [page, , response] = await withRetry(
      'ListTimeSeries',
      () => client.listTimeSeries(request, options),
      policy ? { policy } : {},
    );
    series.push(...page);
    for (const e of response?.executionErrors ?? [])
      errors.push(e.message ?? `code ${e.code ?? '?'}`);
    pageToken = response?.nextPageToken ?? '';
  } while (pageToken);
  return { series, partial: errors.length ? errors.join('; ') : null };
}

/** An int64 as it arrives (string, number or Long) as a number. */
export function int64(value: unknown): number {
  if (value === null || value === undefined || value === '') return 0;
  const n = Number(typeof value === 'object' ? String(value) : value);
  return Number.isFinite(n) ? n : 0;
}

/** A point's value as a number: int64Value or doubleValue, whichever is set. */
export function scalar(value: TypedValue | null | undefined): number | null {
  if (!value) return null;
  const which = (value as { value?: string }).value;
  if (which === 'int64Value') return int64(value.int64Value);
  if (which === 'doubleValue') return Number(value.doubleValue);
  if (value.doubleValue !== null && value.doubleValue !== undefined)
    return Number(value.doubleValue);
  if (value.int64Value !== null && value.int64Value !== undefined) return int64(value.int64Value);
  return null;
}
