import { describe, expect, it } from 'vitest';
import {
  binomialAtLeast,
  binomialAtMost,
  contrastBounds,
  lookAlpha,
  meanBounds,
  mergeMoments,
  momentsOf,
  proportionLower,
  proportionUpper,
  quantileRankBounds,
} from '../../shared/domain/stats/index.js';

// Every expected number below was computed independently with scipy 1.17 (scipy.stats.beta.ppf,
// binom.sf/cdf/ppf, t.ppf), not with the code under test.
describe('Clopper–Pearson bounds', () => {
  it.each([
    // x, n, alpha, upper, lower
    [0, 100, 0.05, 0.029513049607039925, 0],
    [3, 100, 0.05, 0.07571079374983004, 0.008225829107652688],
    [0, 1, 0.05, 0.95, 0],
    [1, 1, 0.05, 1, 0.05],
    [0, 0, 0.05, 1, 0],
  ])('x=%d of n=%d at α=%d: upper %d, lower %d', (x, n, alpha, upper, lower) => {
    expect(proportionUpper(x, n, alpha)).toBeCloseTo(upper, 12);
    expect(proportionLower(x, n, alpha)).toBeCloseTo(lower, 12);
  });
});

describe('binomial tails', () => {
  it('P(X ≥ 5 | n=100, p=2%) = 0.0508304453695', () => {
    expect(binomialAtLeast(5, 100, 0.02)).toBeCloseTo(0.05083044536950036, 12);
  });
  it('P(X ≤ 1 | n=150, p=3%) = 0.0584757407499', () => {
    expect(binomialAtMost(1, 150, 0.03)).toBeCloseTo(0.05847574074986479, 12);
  });
  it('has the trivial ends', () => {
    expect(binomialAtLeast(0, 10, 0.5)).toBe(1);
    expect(binomialAtLeast(11, 10, 0.5)).toBe(0);
    expect(binomialAtMost(10, 10, 0.5)).toBe(1);
  });
});

describe('order-statistic bounds on the 95th percentile', () => {
  it.each([
    [100, 0.05, 91, 99],
    [1000, 0.01, 933, 966],
    [20, 0.05, 17, null], // rank 21 does not exist: no upper bound from 20 samples
    [0, 0.05, null, null],
  ])('n=%d α=%d: ranks %s..%s', (n, alpha, lower, upper) => {
    expect(quantileRankBounds(n, 0.95, alpha)).toEqual({ lower, upper });
  });
});

describe('t bounds', () => {
  const a = { count: 30, mean: 0.3, sumOfSquaredDeviation: 29 * 0.04 };
  it('one mean: 0.3 − t(0.95, 29)·0.2/√30 = 0.2379566533', () => {
    expect(meanBounds(a, 0.05)?.lower).toBeCloseTo(0.23795665330006163, 12);
  });
  it('Welch contrast μa − 1.2·μb: half-width 0.0649166437 on 35.48 df', () => {
    const b = { count: 100, mean: 0.25, sumOfSquaredDeviation: 99 * 0.01 };
    const c = contrastBounds(a, b, 1.2, 0.05)!;
    expect(c.estimate).toBeCloseTo(0, 12);
    expect(c.upper).toBeCloseTo(0.06491664373962083, 12);
  });
  it('needs two values', () => {
    expect(meanBounds({ count: 1, mean: 0.3, sumOfSquaredDeviation: 0 }, 0.05)).toBeUndefined();
  });
});

describe('moments', () => {
  it('merges like one pass over all values', () => {
    const all = momentsOf([0.1, 0.2, 0.4, 0.8, 0.9]);
    const merged = mergeMoments([momentsOf([0.1, 0.2]), momentsOf([0.4, 0.8, 0.9])]);
    expect(merged.count).toBe(5);
    expect(merged.mean).toBeCloseTo(all.mean, 12);
    expect(merged.sumOfSquaredDeviation).toBeCloseTo(all.sumOfSquaredDeviation, 12);
  });
});

describe('alpha spending over looks', () => {
  it('spends α/(k(k+1)), which sums to α', () => {
    expect(lookAlpha(0.01, 1)).toBe(0.005);
    expect(lookAlpha(0.01, 10)).toBeCloseTo(0.01 / 110, 15);
    let sum = 0;
    for (let k = 1; k <= 100_000; k++) sum += lookAlpha(0.01, k);
    expect(sum).toBeLessThan(0.01);
    expect(sum).toBeGreaterThan(0.00999);
  });
});
