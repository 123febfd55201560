import { describe, expect, it } from 'vitest';
import {
  binomialAtLeast,
  binomialAtMost,
  contrastBounds,
  crosses,
  meanEvidence,
  meanSampleNeeded,
  meanSequenceLower,
  meanSequenceUpper,
  proportionEvidence,
  proportionSampleNeeded,
  lookAlpha,
  meanBounds,
  mergeMoments,
  momentsOf,
  proportionLower,
  proportionSequenceLower,
  proportionSequenceUpper,
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

// ln M of the mixtures (stats/mixture.ts), each computed independently from the formula in plain
// Python: the mean of the likelihood ratios of the alternatives at log-odds ±{0.15, 0.3, 0.5, 0.9,
// 1.6, 2.3} from p0 (binomial) or at {0.15, 0.3, 0.5, 1, 2} × scale (Gaussian).
describe('always-valid mixture evidence', () => {
  it.each([
    // x, n, p0, side, ln M
    [0, 100, 0.03, 'below', 1.8901876808868565],
    [0, 200, 0.03, 'below', 4.247509324030644],
    [10, 1000, 0.03, 'below', 7.662460244543717],
    [20, 1000, 0.03, 'below', 1.032273658709273],
    [34, 1000, 0.02, 'above', 2.8011673910906705],
    [40, 1000, 0.02, 'above', 6.13339084736473],
    [5, 5, 0.08, 'above', 7.1200137575578815],
    [23.25, 500, 0.05, 'below', -1.18745605181594],
    [2.5, 120, 0.05, 'above', -1.9025405352146283],
  ] as const)('binomial: %d of %d against %d (%s): ln M = %d', (x, n, p0, side, ln) => {
    expect(proportionEvidence(x, n, p0, side)).toBeCloseTo(ln, 10);
  });

  it('has no evidence without trials, and none toward an impossible side', () => {
    expect(proportionEvidence(0, 0, 0.02, 'above')).toBe(0);
    expect(proportionEvidence(3, 10, 1, 'above')).toBe(-Infinity);
    expect(proportionEvidence(0, 10, 0, 'below')).toBe(-Infinity);
  });

  it.each([
    // estimate, se, scale, side, ln M
    [0.02, 0.01, 0.06, 'above', 1.1481567955706469],
    [-0.05, 0.02, 0.075, 'below', 2.115512537253844],
    [0, 0.01, 0.06, 'above', -1.7418447699164163],
  ] as const)('Gaussian: ĉ %d, se %d, scale %d (%s): ln M = %d', (est, se, scale, side, ln) => {
    expect(meanEvidence(est, se, scale, side)).toBeCloseTo(ln, 10);
  });

  it('crosses at ln(1/α)', () => {
    expect(crosses(Math.log(20), 0.05)).toBe(true);
    expect(crosses(Math.log(19.99), 0.05)).toBe(false);
    expect(crosses(100, 0)).toBe(false);
  });

  it('is valid at every look (Ville): Bernoulli(p0) streams ever crossing stay below α', () => {
    // 200 streams of 2000 trials exactly at the boundary, looked at after every trial: the share
    // that EVER reaches ln(1/α) must be ≤ α (plus Monte Carlo room). A per-trial fixed-α test
    // would cross in most of them.
    let seed = 12345;
    const uniform = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const alpha = 0.05;
    const streams = 200;
    const check = (p0: number, side: 'above' | 'below') => {
      let crossed = 0;
      for (let s = 0; s < streams; s++) {
        let x = 0;
        for (let n = 1; n <= 2000; n++) {
          if (uniform() < p0) x += 1;
          if (crosses(proportionEvidence(x, n, p0, side), alpha)) {
            crossed += 1;
            break;
          }
        }
      }
      return crossed / streams;
    };
    expect(check(0.05, 'above')).toBeLessThanOrEqual(alpha + 0.02);
    expect(check(0.03, 'below')).toBeLessThanOrEqual(alpha + 0.02);
  });
});

// The roots of ln M(p0) = ln(1/α), found with scipy.optimize.brentq on the same mixtures.
describe('confidence sequences: the bounds the mixtures imply', () => {
  it.each([
    // x, n, α, lower, upper
    [10, 100, 0.05, 0.033952505512529714, 0.20727494192092166],
    [3, 3, 0.05, 0.15183815791864252, 1],
    [0.5, 20, 0.09, 0, 0.21956208667094204],
    [40, 1000, 0.0045, 0.02077505889776891, null],
    [0, 200, 0.09, 0, 0.018566842121159204],
  ] as const)('binomial: %d of %d at α %d: [%d, %d]', (x, n, alpha, lower, upper) => {
    expect(proportionSequenceLower(x, n, alpha)).toBeCloseTo(lower, 9);
    if (upper !== null) expect(proportionSequenceUpper(x, n, alpha)).toBeCloseTo(upper, 9);
  });

  it('is the boundary of the mixture test: evidence at the bound is ln(1/α), on the rejected side', () => {
    const lower = proportionSequenceLower(150, 3000, 0.0045);
    const atLower = proportionEvidence(150, 3000, lower, 'above');
    expect(atLower).toBeCloseTo(Math.log(1 / 0.0045), 6);
    expect(atLower).toBeGreaterThanOrEqual(Math.log(1 / 0.0045));
    const upper = proportionSequenceUpper(150, 3000, 0.09);
    const atUpper = proportionEvidence(150, 3000, upper, 'below');
    expect(atUpper).toBeCloseTo(Math.log(1 / 0.09), 6);
    expect(atUpper).toBeGreaterThanOrEqual(Math.log(1 / 0.09));
  });

  it('knows nothing without trials', () => {
    expect(proportionSequenceLower(0, 0, 0.05)).toBe(0);
    expect(proportionSequenceUpper(0, 0, 0.05)).toBe(1);
  });

  it.each([
    // ĉ, se, scale, α, lower, upper
    [0.05, 0.01, 0.057, 0.00225, 0.010311839352434713, 0.0896881606475653],
    [0, 0.02, 0.07, 0.045, -0.05831802718177801, 0.05831802718177801],
  ] as const)(
    'Gaussian: ĉ %d, se %d, scale %d, α %d: [%d, %d]',
    (est, se, scale, alpha, lower, upper) => {
      expect(meanSequenceLower(est, se, scale, alpha)).toBeCloseTo(lower, 9);
      expect(meanSequenceUpper(est, se, scale, alpha)).toBeCloseTo(upper, 9);
    },
  );
});

// (ln(1/α) + ln K) / KL(estimate ‖ p0) for the binomial, n · 2(ln(1/α) + ln K) · se² / ĉ² for the
// Gaussian; computed in plain Python.
describe('samples the mixture is projected to need', () => {
  it.each([
    // n, estimate, p0, side, α, needed
    [100, 0.015, 0.03, 'below', 0.09, 891],
    [100, 0.02, 0.03, 'below', 0.09, 2163],
    [100, 0.1, 0.02, 'above', 0.0045, 100],
    [5000, 0.015, 0.03, 'below', 0.09, 5000],
  ] as const)('binomial: n %d at %d against %d (%s, α %d): %d', (n, est, p0, side, a, want) => {
    expect(proportionSampleNeeded(n, est, p0, side, a)).toBe(want);
  });
  it('is infinite on the wrong side or without α', () => {
    expect(proportionSampleNeeded(100, 0.03, 0.03, 'below', 0.09)).toBe(Infinity);
    expect(proportionSampleNeeded(100, 0.01, 0.03, 'below', undefined)).toBe(Infinity);
    expect(meanSampleNeeded(100, 0.01, 0.02, 'below', 0.09)).toBe(Infinity);
  });
  it.each([
    [100, -0.05, 0.02, 'below', 0.09, 129],
    [100, 0.01, 0.02, 'above', 0.0045, 5611],
  ] as const)('Gaussian: n %d, ĉ %d, se %d (%s, α %d): %d', (n, est, se, side, a, want) => {
    expect(meanSampleNeeded(n, est, se, side, a)).toBe(want);
  });
});
