import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import { distPercentile, mergeDists } from './monitoring-distribution.js';
import { isDist } from './monitoring-types.js';
import type { Dist, MetricKind, Pt, Series, Value, ValueType } from './monitoring-types.js';

export const SUPPORTED_ALIGNERS = [
  'ALIGN_NONE',
  'ALIGN_DELTA',
  'ALIGN_SUM',
  'ALIGN_MEAN',
  'ALIGN_COUNT',
  'ALIGN_RATE',
  'ALIGN_PERCENTILE_99',
  'ALIGN_PERCENTILE_95',
  'ALIGN_PERCENTILE_50',
  'ALIGN_PERCENTILE_05',
] as const;
export type Aligner = (typeof SUPPORTED_ALIGNERS)[number];

/** The window being aligned: periods end at `endMs` and go backwards in steps of `periodMs`. */
export interface Alignment {
  startMs: number;
  endMs: number;
  periodMs: number;
}

/** Index of the period holding a point that ends at `ms`: period k spans (end − (k+1)·P, end − k·P]. */
export function periodIndex(a: Alignment, ms: number): number {
  return Math.floor((a.endMs - ms) / a.periodMs);
}

/**
 * Applies a per-series aligner (semantics of `Aggregation.Aligner` in common.proto): one point per
 * alignment period that holds data, stamped at the period's end. Periods with no data get no point
 * (the real API may interpolate DELTA gaps; a release controller must not see invented data).
 * Returns undefined when no period holds data.
 */
export function alignSeries(
  series: Series,
  aligner: Exclude<Aligner, 'ALIGN_NONE'>,
  a: Alignment,
): Series | undefined {
  const shape = alignedShape(series, aligner);
  const periods = new Map<number, Value[]>();
  for (const p of series.points) {
    const k = periodIndex(a, p.endMs);
    periods.set(k, [...(periods.get(k) ?? []), p.value]);
  }
  const points: Pt[] = [];
  for (const k of [...periods.keys()].sort((x, y) => y - x)) {
    const value = alignValues(periods.get(k)!, aligner, a.periodMs);
    if (value === undefined) continue;
    const endMs = a.endMs - k * a.periodMs;
    points.push({ startMs: shape.kind === 'GAUGE' ? endMs : endMs - a.periodMs, endMs, value });
  }
  if (points.length === 0) return undefined;
  return { ...series, ...shape, points };
}

function alignedShape(series: Series, aligner: Exclude<Aligner, 'ALIGN_NONE'>) {
  const { kind, valueType } = series;
  const dist = valueType === 'DISTRIBUTION';
  const refuse = (why: string) =>
    new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `${aligner} is not valid for ${kind} ${valueType} metric ${series.metric.type}: ${why}`,
    );
  const shape = (k: MetricKind, v: ValueType, unit = series.unit) => ({
    kind: k,
    valueType: v,
    unit,
  });
  switch (aligner) {
    case 'ALIGN_DELTA':
      if (kind !== 'DELTA') throw refuse('the emulator aligns DELTA metrics only');
      return shape('DELTA', valueType);
    case 'ALIGN_SUM':
      if (kind === 'CUMULATIVE') throw refuse('valid for GAUGE and DELTA metrics');
      return shape(kind, valueType);
    case 'ALIGN_MEAN':
      // common.proto says numeric only; the emulator also takes distributions (the mean of all
      // their values), which is what Metrics Explorer shows for "mean" of a distribution.
      if (kind === 'CUMULATIVE') throw refuse('valid for GAUGE and DELTA metrics');
      return shape(kind, 'DOUBLE');
    case 'ALIGN_COUNT':
      if (kind === 'CUMULATIVE') throw refuse('valid for GAUGE and DELTA metrics');
      return shape(kind, 'INT64', '1');
    case 'ALIGN_RATE':
      if (kind !== 'DELTA' || dist)
        throw refuse('the emulator computes rates of numeric DELTA metrics only');
      return shape('GAUGE', 'DOUBLE', series.unit ? `${series.unit}/s` : '1/s');
    default:
      if (!dist) throw refuse('percentile aligners need distribution values');
      return shape('GAUGE', 'DOUBLE');
  }
}

function alignValues(
  values: Value[],
  aligner: Exclude<Aligner, 'ALIGN_NONE'>,
  periodMs: number,
): Value | undefined {
  const nums = values.filter((v): v is number => !isDist(v));
  const dists = values.filter(isDist);
  switch (aligner) {
    case 'ALIGN_DELTA':
    case 'ALIGN_SUM':
      return dists.length ? mergeDists(dists) : nums.reduce((x, y) => x + y, 0);
    case 'ALIGN_MEAN':
      return dists.length ? distMean(dists) : nums.reduce((x, y) => x + y, 0) / nums.length;
    case 'ALIGN_COUNT':
      return values.length;
    case 'ALIGN_RATE':
      return nums.reduce((x, y) => x + y, 0) / (periodMs / 1000);
    default:
      return distPercentile(mergeDists(dists), Number(aligner.slice('ALIGN_PERCENTILE_'.length)));
  }
}

/** Mean of every value in the distributions, or undefined when they hold none. */
export function distMean(dists: Dist[]): number | undefined {
  const merged = mergeDists(dists);
  return merged.count > 0 ? merged.mean : undefined;
}
