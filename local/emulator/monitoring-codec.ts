import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import { distFromWire, distToWire } from './monitoring-distribution.js';
import { fromMs, isDist, toMs } from './monitoring-types.js';
import type {
  MetricKind,
  Pt,
  Series,
  TimeSeries,
  ValueType,
  WirePoint,
} from './monitoring-types.js';

const KINDS: readonly string[] = ['GAUGE', 'DELTA', 'CUMULATIVE'];

/**
 * A written TimeSeries as the emulator stores it. Accepts INT64, DOUBLE and DISTRIBUTION values;
 * metric_kind defaults to GAUGE and value_type to the type of the first value (as the API does
 * when it auto-creates a descriptor). A DELTA or CUMULATIVE point needs a start_time.
 */
export function seriesFromWire(ts: TimeSeries): Series {
  const metricType = ts.metric?.type;
  const resourceType = ts.resource?.type;
  if (!metricType) throw invalid('time_series.metric.type is required');
  if (!resourceType) throw invalid(`time_series.resource.type is required (metric ${metricType})`);
  const kindName =
    !ts.metric_kind || ts.metric_kind === 'METRIC_KIND_UNSPECIFIED' ? 'GAUGE' : ts.metric_kind;
  if (!KINDS.includes(kindName))
    throw invalid(`unsupported metric_kind ${kindName} for ${metricType}`);
  const kind = kindName as MetricKind;
  const points = (ts.points ?? []).map((p) => pointFromWire(p, kind, metricType));
  if (points.length === 0) throw invalid(`time series ${metricType} has no points`);
  const declared =
    ts.value_type && ts.value_type !== 'VALUE_TYPE_UNSPECIFIED' ? ts.value_type : undefined;
  const valueType = (declared ?? points[0]!.type) as ValueType;
  if (points.some((p) => p.type !== valueType))
    throw invalid(`points of ${metricType} do not all have value_type ${valueType}`);
  return {
    metric: { type: metricType, labels: { ...(ts.metric?.labels ?? {}) } },
    resource: { type: resourceType, labels: { ...(ts.resource?.labels ?? {}) } },
    kind,
    valueType,
    unit: ts.unit ?? '',
    points: points.map((p) => p.point).sort((a, b) => a.endMs - b.endMs),
  };
}

function pointFromWire(
  p: WirePoint,
  kind: MetricKind,
  metric: string,
): { type: ValueType; point: Pt } {
  const endMs = toMs(p.interval?.end_time);
  if (endMs === undefined) throw invalid(`a point of ${metric} has no interval.end_time`);
  const start = toMs(p.interval?.start_time);
  if (kind !== 'GAUGE' && (start === undefined || start >= endMs))
    throw invalid(`a ${kind} point of ${metric} needs a start_time before its end_time`);
  const startMs = start ?? endMs;
  const v = p.value ?? {};
  if (v.distribution_value)
    return {
      type: 'DISTRIBUTION',
      point: { startMs, endMs, value: distFromWire(v.distribution_value) },
    };
  if (v.int64_value !== undefined)
    return { type: 'INT64', point: { startMs, endMs, value: Number(v.int64_value) } };
  if (v.double_value !== undefined)
    return { type: 'DOUBLE', point: { startMs, endMs, value: v.double_value } };
  throw invalid(
    `a point of ${metric} has no INT64, DOUBLE or DISTRIBUTION value (the emulator stores only those)`,
  );
}

/** Wire form with points newest-first, int64 values as strings; `headersOnly` drops the points. */
export function seriesToWire(s: Series, headersOnly = false): TimeSeries {
  const points = headersOnly
    ? []
    : [...s.points]
        .sort((a, b) => b.endMs - a.endMs)
        .map((p) => ({
          interval: { start_time: fromMs(p.startMs), end_time: fromMs(p.endMs) },
          value: isDist(p.value)
            ? { distribution_value: distToWire(p.value) }
            : s.valueType === 'INT64'
              ? { int64_value: String(Math.round(p.value)) }
              : { double_value: p.value },
        }));
  return {
    metric: { type: s.metric.type, labels: s.metric.labels },
    resource: { type: s.resource.type, labels: s.resource.labels },
    metric_kind: s.kind,
    value_type: s.valueType,
    points,
    unit: s.unit,
  };
}

function invalid(message: string): RpcError {
  return new RpcError(grpc.status.INVALID_ARGUMENT, message);
}
