import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import { alignSeries, SUPPORTED_ALIGNERS } from './monitoring-align.js';
import { matches, parseFilter } from './monitoring-filter.js';
import { parseGroupBy, reduceSeries, SUPPORTED_REDUCERS } from './monitoring-reduce.js';
import { seriesKey, toMs } from './monitoring-types.js';
import type { Series, WireDuration, WireTimestamp } from './monitoring-types.js';

/** The parts of `ListTimeSeriesRequest` that select and shape data (paging and view are separate). */
export interface QueryRequest {
  filter?: string;
  interval?: { start_time?: WireTimestamp; end_time?: WireTimestamp };
  aggregation?: {
    alignment_period?: WireDuration;
    per_series_aligner?: string;
    cross_series_reducer?: string;
    group_by_fields?: string[];
  };
}

/**
 * Runs a ListTimeSeries query over `stored`: filter, interval (start exclusive, end inclusive; a
 * missing start means the instant `end_time`), per-series alignment, cross-series reduction.
 * Series left without points are dropped, so an empty window yields no series — never a zero.
 * Output is ordered by series identity, so paging is stable.
 */
export function runQuery(stored: Series[], req: QueryRequest): Series[] {
  const clauses = parseFilter(req.filter ?? '');
  const endMs = toMs(req.interval?.end_time);
  if (endMs === undefined) throw invalid('interval.end_time is required');
  const startMs = toMs(req.interval?.start_time);
  if (startMs !== undefined && startMs > endMs)
    throw invalid('interval.start_time is after interval.end_time');
  const inWindow = (ms: number) =>
    startMs === undefined ? ms === endMs : ms > startMs && ms <= endMs;

  const aligner = enumValue(
    req.aggregation?.per_series_aligner,
    SUPPORTED_ALIGNERS,
    'ALIGN_NONE',
    'per_series_aligner',
  );
  const reducer = enumValue(
    req.aggregation?.cross_series_reducer,
    SUPPORTED_REDUCERS,
    'REDUCE_NONE',
    'cross_series_reducer',
  );
  if (reducer !== 'REDUCE_NONE' && aligner === 'ALIGN_NONE')
    throw invalid(
      `cross_series_reducer ${reducer} needs a per_series_aligner other than ALIGN_NONE`,
    );

  let series = stored
    .filter((s) => matches(clauses, s))
    .map((s) => ({ ...s, points: s.points.filter((p) => inWindow(p.endMs)) }))
    .filter((s) => s.points.length > 0);

  if (aligner !== 'ALIGN_NONE') {
    // The real API requires alignment_period >= 60 s; the emulator takes any positive duration
    // so the local demo can judge short windows.
    const periodMs = toMs(req.aggregation?.alignment_period) ?? 0;
    if (periodMs <= 0) throw invalid(`${aligner} needs a positive aggregation.alignment_period`);
    const alignment = { startMs: startMs ?? endMs - periodMs, endMs, periodMs };
    series = series.flatMap((s) => alignSeries(s, aligner, alignment) ?? []);
    if (reducer !== 'REDUCE_NONE')
      series = reduceSeries(series, reducer, parseGroupBy(req.aggregation?.group_by_fields ?? []));
  }
  return series.sort((a, b) => seriesKey(a).localeCompare(seriesKey(b)));
}

function enumValue<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
  field: string,
): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw invalid(
    `${field} ${value} is not supported by the emulator (supported: ${allowed.join(', ')})`,
  );
}

function invalid(message: string): RpcError {
  return new RpcError(grpc.status.INVALID_ARGUMENT, message);
}
