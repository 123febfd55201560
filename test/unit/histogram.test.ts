import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  countAbove,
  lowerBound,
  mergeHistograms,
  quantile,
  upperBound,
  valueAtRank,
} from '../../shared/domain/histogram.js';
import type { BucketLayout, Histogram } from '../../shared/domain/measurement.js';

const exp: BucketLayout = {
  kind: 'exponential',
  numFiniteBuckets: 100,
  growthFactor: 1.4,
  scale: 1,
};
const lin: BucketLayout = { kind: 'linear', numFiniteBuckets: 10, width: 0.1, offset: 0 };

describe('bucket bounds', () => {
  it('exponential: bucket i spans [1.4^(i−1), 1.4^i)', () => {
    expect(lowerBound(exp, 0)).toBe(-Infinity);
    expect(lowerBound(exp, 1)).toBe(1);
    expect(upperBound(exp, 14)).toBeCloseTo(1.4 ** 14, 9);
    expect(bucketOf(exp, 100)).toBe(14); // 1.4^13 = 79.4 ≤ 100 < 1.4^14 = 111.1
    expect(bucketOf(exp, 0.5)).toBe(0);
    expect(upperBound(exp, 101)).toBe(Infinity);
  });
  it('explicit', () => {
    const e: BucketLayout = { kind: 'explicit', bounds: [0, 10, 50] };
    expect(bucketOf(e, 10)).toBe(2);
    expect(bucketOf(e, 60)).toBe(3);
  });
});

describe('interpolation inside a bucket', () => {
  // 100 values in bucket 14 = [79.37, 111.12): log-uniform inside it.
  const h: Histogram = { layout: exp, counts: [...Array<number>(14).fill(0), 100] };
  it('counts above 100 ms: 100 · ln(111.12/100)/ln 1.4 = 31.3372', () => {
    expect(countAbove(h, 100)).toBeCloseTo((100 * Math.log(1.4 ** 14 / 100)) / Math.log(1.4), 9);
    expect(countAbove(h, 100)).toBeCloseTo(31.3372, 4);
  });
  it('the median is the bucket’s geometric middle, 1.4^13.5 = 93.9136', () => {
    expect(quantile(h, 0.5)).toBeCloseTo(1.4 ** 13.5, 9);
    expect(quantile(h, 0.5)).toBeCloseTo(93.9136, 4);
  });
  it('linear layouts interpolate linearly', () => {
    const l: Histogram = { layout: lin, counts: [0, 0, 0, 10] }; // [0.2, 0.3)
    expect(countAbove(l, 0.25)).toBeCloseTo(5, 12);
    expect(valueAtRank(l, 2.5)).toBeCloseTo(0.225, 12);
  });
  it('the overflow bucket answers its lower bound; empty has no quantile', () => {
    const o: Histogram = { layout: lin, counts: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4] };
    expect(quantile(o, 0.95)).toBeCloseTo(1, 12);
    expect(quantile({ layout: lin, counts: [] }, 0.95)).toBeUndefined();
  });
});

describe('merging', () => {
  it('adds counts bucket by bucket, missing trailing buckets as 0', () => {
    const m = mergeHistograms([
      { layout: lin, counts: [0, 1, 2] },
      { layout: lin, counts: [1, 0, 0, 5] },
    ]);
    expect(m.counts).toEqual([1, 1, 2, 5]);
  });
  it('refuses different layouts', () => {
    expect(() =>
      mergeHistograms([
        { layout: lin, counts: [] },
        { layout: exp, counts: [] },
      ]),
    ).toThrow(/different bucket layouts/);
  });
});
