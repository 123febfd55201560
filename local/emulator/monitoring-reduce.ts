import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import { distMean } from './monitoring-align.js';
import { distPercentile, mergeDists, numberPercentile } from './monitoring-distribution.js';
import { isDist, seriesKey } from './monitoring-types.js';
import type { Labelled, Pt, Series, Value, ValueType } from './monitoring-types.js';

export const SUPPORTED_REDUCERS = [
  'REDUCE_NONE',
  'REDUCE_SUM',
  'REDUCE_MEAN',
  'REDUCE_MAX',
  'REDUCE_MIN',
  'REDUCE_COUNT',
  'REDUCE_PERCENTILE_99',
  'REDUCE_PERCENTILE_95',
  'REDUCE_PERCENTILE_50',
  'REDUCE_PERCENTILE_05',
] as const;
export type Reducer = (typeof SUPPORTED_REDUCERS)[number];

/** A `group_by_fields` entry: `metric.labels.K`, `metric.label.K`, `resource.labels.K`, `resource.label.K`, or a type. */
type GroupField = { scope: 'metric' | 'resource'; label: string } | { scope: 'type' };

export function parseGroupBy(fields: string[]): GroupField[] {
  return fields.map((f) => {
    if (f === 'resource.type' || f === 'metric.type') return { scope: 'type' };
    const m = /^(metric|resource)\.labels?\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(f.trim());
    if (!m)
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `cannot parse group_by_fields entry '${f}'`);
    return { scope: m[1] as 'metric' | 'resource', label: m[2]! };
  });
}

/**
 * Reduces aligned series across series (semantics of `Aggregation.Reducer` in common.proto).
 * Series are partitioned by resource.type (always) and the group-by fields; each output series
 * keeps only the grouped labels. All inputs are aligned to the same period ends, so points are
 * combined by end time.
 */
export function reduceSeries(
  series: Series[],
  reducer: Exclude<Reducer, 'REDUCE_NONE'>,
  groupBy: GroupField[],
): Series[] {
  const groups = new Map<string, Series[]>();
  for (const s of series) {
    const head = groupHead(s, groupBy);
    const key = seriesKey(head);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const out: Series[] = [];
  for (const members of groups.values()) {
    const first = members[0]!;
    const valueType = reducedType(first, reducer);
    const byEnd = new Map<number, Pt[]>();
    for (const p of members.flatMap((m) => m.points))
      byEnd.set(p.endMs, [...(byEnd.get(p.endMs) ?? []), p]);
    const points: Pt[] = [];
    for (const [endMs, pts] of [...byEnd.entries()].sort(([a], [b]) => a - b)) {
      const value = reduceValues(
        pts.map((p) => p.value),
        reducer,
      );
      if (value !== undefined) points.push({ startMs: pts[0]!.startMs, endMs, value });
    }
    if (points.length === 0) continue;
    const unit = reducer === 'REDUCE_COUNT' ? '1' : first.unit;
    out.push({ ...groupHead(first, groupBy), kind: first.kind, valueType, unit, points });
  }
  return out;
}

function groupHead(s: Series, groupBy: GroupField[]): { metric: Labelled; resource: Labelled } {
  const pick = (scope: 'metric' | 'resource') => {
    const labels: Record<string, string> = {};
    for (const g of groupBy) {
      if (g.scope !== scope) continue;
      const value = s[scope].labels[g.label];
      if (value !== undefined) labels[g.label] = value;
    }
    return labels;
  };
  return {
    metric: { type: s.metric.type, labels: pick('metric') },
    resource: { type: s.resource.type, labels: pick('resource') },
  };
}

function reducedType(s: Series, reducer: Exclude<Reducer, 'REDUCE_NONE'>): ValueType {
  const dist = s.valueType === 'DISTRIBUTION';
  switch (reducer) {
    case 'REDUCE_SUM':
      return s.valueType;
    case 'REDUCE_MAX':
    case 'REDUCE_MIN':
      if (dist)
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          `${reducer} is not valid for distribution values`,
        );
      return s.valueType;
    case 'REDUCE_COUNT':
      return 'INT64';
    default:
      return 'DOUBLE';
  }
}

function reduceValues(
  values: Value[],
  reducer: Exclude<Reducer, 'REDUCE_NONE'>,
): Value | undefined {
  const nums = values.filter((v): v is number => !isDist(v));
  const dists = values.filter(isDist);
  switch (reducer) {
    case 'REDUCE_SUM':
      return dists.length ? mergeDists(dists) : nums.reduce((a, b) => a + b, 0);
    case 'REDUCE_MEAN':
      return dists.length ? distMean(dists) : nums.reduce((a, b) => a + b, 0) / nums.length;
    case 'REDUCE_MAX':
      return Math.max(...nums);
    case 'REDUCE_MIN':
      return Math.min(...nums);
    case 'REDUCE_COUNT':
      return values.length;
    default: {
      const p = Number(reducer.slice('REDUCE_PERCENTILE_'.length));
      return dists.length ? distPercentile(mergeDists(dists), p) : numberPercentile(nums, p);
    }
  }
}
