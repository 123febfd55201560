import { describe, expect, it } from 'vitest';
import { judgeReplay } from '../../../shared/domain/shadow/judge-replay.js';
import {
  pairedDistribution,
  pairedErrors,
  pairedFlips,
  pairedLatency,
  pairedMean,
} from '../../../shared/domain/shadow/paired-checks.js';
import { ksDistance, type ReplayPair } from '../../../shared/domain/shadow/pairs.js';
import type { ProbeResult } from '../../../shared/domain/smoke.js';
import { Thresholds } from '../../../shared/schemas/config.js';
import { ShadowConfig } from '../../../shared/schemas/shadow-config.js';

/**
 * The shadow replay's paired checks, pinned with exact numbers at α 0.01, minSamples 50 and the
 * default thresholds (5xx 2 %, critical ×4, latency × 0.1 + 5 ms, drift ±20 %, flips 5 %, KS 0.2).
 * Bounds: Clopper–Pearson for shares, order statistics (ranks 38 and 63 of 100) for the median
 * latency difference, Welch t for the mean difference, DKW–Massart (2 × 0.1731 at n 100) for KS.
 */
const ctx = { shadow: ShadowConfig.parse({ minSamples: 50 }), thresholds: Thresholds.parse({}) };
const REQUEST = {
  time: '2026-12-01T10:00:00.000Z',
  method: 'POST' as const,
  route: '/predict',
  body: {},
};

function probe(score: number | null, latencyMs = 100, status: number | null = 200): ProbeResult {
  return {
    status,
    latencyMs,
    json: score === null ? { error: 'x' } : { leakage_probability: score },
    error: status === null ? 'connection refused' : null,
  };
}

/** n pairs; `make(i)` gives blue's and green's probe of the i-th. */
function pairs(n: number, make: (i: number) => [ProbeResult, ProbeResult]): ReplayPair[] {
  return Array.from({ length: n }, (_, i) => {
    const [blue, green] = make(i);
    return {
      request: { ...REQUEST, time: `2026-12-01T10:00:${String(i % 60).padStart(2, '0')}.000Z` },
      blue,
      green,
    };
  });
}

describe('paired error rate (green-only failures, Clopper–Pearson)', () => {
  it.each([
    ['no failures', 100, () => [probe(0.6), probe(0.6)], 'pass', 0, '0.00%–4.50%'],
    [
      '10 green 503s',
      100,
      (i: number) => [probe(0.6), i < 10 ? probe(null, 100, 503) : probe(0.6)],
      'fail',
      0.1,
      '4.24%–19.13%',
    ],
    [
      '2 green 503s',
      100,
      (i: number) => [probe(0.6), i < 2 ? probe(null, 100, 503) : probe(0.6)],
      'inconclusive',
      0.02,
      '0.15%–8.14%',
    ],
    [
      '5 failures blue shares',
      100,
      (i: number) =>
        i < 5 ? [probe(null, 100, 503), probe(null, 100, 503)] : [probe(0.6), probe(0.6)],
      'pass',
      0,
      '0.00%–4.50%',
    ],
    [
      'no answer counts as a failure',
      100,
      (i: number) => [probe(0.6), i < 10 ? probe(null, 5000, null) : probe(0.6)],
      'fail',
      0.1,
      '4.24%–19.13%',
    ],
  ] as const)('%s', (_name, n, make, outcome, observed, bounds) => {
    const check = pairedErrors(pairs(n, make as (i: number) => [ProbeResult, ProbeResult]), ctx);
    expect(check.outcome).toBe(outcome);
    expect(check.observed).toBeCloseTo(observed, 10);
    expect(check.limit).toBe(0.02);
    expect(check.reason).toContain(`bounds ${bounds} at α 0.01`);
  });

  it('is inconclusive below the minimum sample, and says how many it had', () => {
    const check = pairedErrors(
      pairs(40, () => [probe(0.6), probe(null, 100, 503)]),
      ctx,
    );
    expect(check).toMatchObject({ outcome: 'inconclusive', samples: 40, observed: null });
    expect(check.reason).toBe('40 replayed pairs, fewer than the minimum of 50');
  });
});

describe('paired latency (median of green − blue, order-statistic bounds)', () => {
  it.each([
    ['equal', () => 0, 'pass', 0, '0–0'],
    ['+250 ms', () => 250, 'fail', 250, '250–250'],
    ['half +40 ms', (i: number) => (i % 2 ? 40 : 0), 'inconclusive', 20, '0–40'],
    ['one cold start of +5 s', (i: number) => (i === 0 ? 5000 : 0), 'pass', 0, '0–0'],
  ] as const)('%s', (_name, extra, outcome, observed, bounds) => {
    const check = pairedLatency(
      pairs(100, (i) => [probe(0.6, 100), probe(0.6, 100 + extra(i))]),
      ctx,
    );
    expect(check.outcome).toBe(outcome);
    expect(check.observed).toBe(observed);
    expect(check.baseline).toBe(100);
    expect(check.limit).toBe(15); // 100 ms × 0.1 + 5 ms
    expect(check.reason).toContain(`(bounds ${bounds} ms at α 0.01)`);
  });
});

describe('paired mean prediction (relative change, Welch t on the differences)', () => {
  it.each([
    ['identical', () => 0.6, 'pass', 0.6, 'mean change 0.00% (bounds 0.00% to 0.00%'],
    ['−0.30 (−50 %)', () => 0.3, 'fail', 0.3, 'mean change -50.00% (bounds -50.00% to -50.00%'],
    ['+0.10 (+16.7 %)', () => 0.7, 'pass', 0.7, 'mean change 16.67% (bounds 16.67% to 16.67%'],
    [
      'noisy +33 %',
      (i: number) => (i % 2 ? 1.1 : 0.5),
      'fail',
      0.8,
      'mean change 33.33% (bounds 21.45% to 45.22%',
    ],
    [
      'noisier +33 %',
      (i: number) => (i % 2 ? 1.6 : 0),
      'inconclusive',
      0.8,
      'mean change 33.33% (bounds 1.65% to 65.02%',
    ],
  ] as const)('%s', (_name, green, outcome, observed, reason) => {
    const check = pairedMean(
      pairs(100, (i) => [probe(0.6), probe(green(i))]),
      ctx,
    );
    expect(check.outcome).toBe(outcome);
    expect(check.observed).toBeCloseTo(observed, 10);
    expect(check.baseline).toBe(0.6);
    expect(check.limit).toBeCloseTo(0.12, 10);
    expect(check.reason).toContain(reason);
  });

  it('counts only pairs where both answered with a score', () => {
    const check = pairedMean(
      pairs(100, (i) => [probe(0.6), i < 60 ? probe(null, 100, 503) : probe(0.6)]),
      ctx,
    );
    expect(check.reason).toBe('40 pairs with scores, fewer than the minimum of 50');
  });
});

describe('decision flips at the threshold 0.5 (Clopper–Pearson)', () => {
  it.each([
    [0, 'pass', '0.00%–4.50%'],
    [2, 'pass', '0.15%–8.14%'],
    [10, 'inconclusive', '4.24%–19.13%'],
    [20, 'fail', '11.56%–30.92%'],
  ] as const)('%i of 100 flipped → %s', (flips, outcome, bounds) => {
    const check = pairedFlips(
      pairs(100, (i) => [probe(0.6), probe(i < flips ? 0.4 : 0.6)]),
      ctx,
    );
    expect(check.outcome).toBe(outcome);
    expect(check.observed).toBe(flips / 100);
    expect(check.reason).toBe(
      `${flips} of 100 decisions flip at threshold 0.5 (${flips.toFixed(2)}%, bounds ${bounds} at α 0.01); limit 5.00%`,
    );
  });
});

describe('score distribution (two-sample KS with a DKW band)', () => {
  it('measures the KS distance of two samples', () => {
    expect(ksDistance([1, 2, 3, 4], [1, 2, 3, 4])).toBe(0);
    expect(ksDistance([1, 2], [3, 4])).toBe(1);
    expect(ksDistance([1, 2, 3, 4], [3, 4, 5, 6])).toBe(0.5);
  });

  it.each([
    ['the same scores', (i: number) => i / 100, 'pass', 0, 'bounds 0–0.346'],
    ['all shifted by −0.3', (i: number) => i / 100 - 0.3 - 1, 'fail', 1, 'bounds 0.654–1'],
    [
      '30 % moved above all',
      (i: number) => (i < 30 ? 2 + i : i / 100),
      'inconclusive',
      0.3,
      'bounds 0–0.646',
    ],
  ] as const)('%s', (_name, green, outcome, observed, bounds) => {
    const check = pairedDistribution(
      pairs(100, (i) => [probe(i / 100), probe(green(i))]),
      ctx,
    );
    expect(check.outcome).toBe(outcome);
    expect(check.observed).toBeCloseTo(observed, 10);
    expect(check.reason).toContain(bounds);
  });
});

describe('the replay verdict', () => {
  const now = new Date('2026-12-01T10:05:00.000Z');

  it('passes when every check passes, and spans the replayed requests’ log times', () => {
    const verdict = judgeReplay(
      pairs(100, () => [probe(0.6), probe(0.6)]),
      { ...ctx, now },
    );
    expect(verdict.outcome).toBe('pass');
    expect(verdict.checks.map((c) => c.check)).toEqual([
      'shadow-error-rate',
      'shadow-latency',
      'shadow-prediction-mean',
      'shadow-decision-flips',
      'shadow-distribution',
    ]);
    expect(verdict.window).toEqual({
      start: '2026-12-01T10:00:00.000Z',
      end: '2026-12-01T10:00:59.000Z',
    });
    expect(verdict.at).toBe(now.toISOString());
  });

  it('fails when one check fails, whatever the others say', () => {
    const verdict = judgeReplay(
      pairs(100, () => [probe(0.6, 100), probe(0.6, 400)]),
      { ...ctx, now },
    );
    expect(verdict.outcome).toBe('fail');
    expect(verdict.checks.filter((c) => c.outcome === 'fail').map((c) => c.check)).toEqual([
      'shadow-latency',
    ]);
  });

  it('is inconclusive with too few pairs (it never rolls back on that)', () => {
    const verdict = judgeReplay(
      pairs(10, () => [probe(0.6), probe(0.1)]),
      { ...ctx, now },
    );
    expect(verdict.outcome).toBe('inconclusive');
  });
});
