import { describe, expect, it } from 'vitest';
import { plannedPassRequests } from '../../shared/domain/checks/plan.js';
import {
  measured,
  silentRevision,
  type BucketLayout,
  type RevisionMetrics,
} from '../../shared/domain/measurement.js';
import { holdPasses, stepPassLook } from '../../shared/domain/pass-looks.js';
import { lookShare, passLookAt } from '../../shared/domain/stats/planned-looks.js';
import { Thresholds } from '../../shared/schemas/config.js';
import type { CheckResult, Verdict } from '../../shared/schemas/release.js';

// Expected sample sizes from scipy 1.17 (brentq): the n where the product over the checks of
// norm.cdf((d·√(n·perGreen) − z·σ0) / σ1) is 0.6, z = norm.ppf(1 − α).
const t = Thresholds.parse({});
const LAYOUT: BucketLayout = { kind: 'explicit', bounds: [0, 50, 100, 150, 200, 300, 1000] };

function side(requests: number, errors5xx: number): RevisionMetrics {
  return {
    requests: measured({ requests, errors5xx }),
    // p95 125 ms; the clearly-bad threshold 125 × 1.25 + 5 = 161.25 ms has nothing above it
    latencyMs: measured({ layout: LAYOUT, counts: [0, 0, 0.9 * requests, 0.1 * requests] }),
    prediction: measured({
      count: requests,
      mean: 0.3,
      sumOfSquaredDeviation: (requests - 1) * 0.01,
    }),
  };
}

describe('planned looks: where they are and what each spends', () => {
  it('look 1 spends 0.8 of the planned α, look j > 1 0.2·2^−(j−1); all of them spend it once', () => {
    [0.8, 0.1, 0.05].forEach((share, j) => expect(lookShare(j + 1)).toBeCloseTo(share, 15));
    let sum = 0;
    for (let j = 1; j <= 60; j++) sum += lookShare(j);
    expect(sum).toBeCloseTo(1, 12);
  });

  it.each([
    // first, taken, green requests → index, share
    [100, 0, 99, 0, 0],
    [100, 0, 100, 1, 0.8],
    [100, 1, 141, 0, 0], // look 2 is at 100·√2 = 141.42
    [100, 1, 142, 2, 0.1],
    [100, 0, 205, 3, 0.95], // 100, 141.4 and 200 reached at once: one look at their summed α
  ])(
    'first %d, %d taken, %d green requests: look %d, share %d',
    (first, taken, n, index, share) => {
      const look = passLookAt({ first, taken }, n);
      expect(look.index).toBe(index);
      expect(look.share).toBeCloseTo(share, 15);
      expect(look.looks.taken).toBe(index > 0 ? index : taken);
      expect(look.upcoming).toBe(lookShare(look.looks.taken + 1));
    },
  );
});

describe('plannedPassRequests: where a green identical to blue passes every check with chance 0.6', () => {
  it('blue 15 of 1000 5xx against 3% at α 0.04: 482.36 → 483 requests (5xx binds)', () => {
    // latency: p1 = 0 against 5 %, certain from effective 58.23 = 64.06 green at 10 blue per
    // green; drift: z at 0.02, s² 0.01, band 0.075: power 1.0 at 483. 5xx alone: 0.6 at 482.36.
    expect(plannedPassRequests(side(1000, 15), side(100, 1), t, 0.04, true)).toBe(483);
  });

  it('two checks that bind: the joint chance is 0.6 at 554.25 → 555, later than either alone', () => {
    // p95 150 ms exactly (85 % below 100, 95 % below 150); clearly bad above 192.5 ms: 3 % × the
    // linear share of [192.5, 200) in [150, 200) (an explicit layout) + 2 % = 2.45 % of blue,
    // against 5 % at effective 10/11 of green. At 555: 5xx 0.673 × latency 0.891 × drift 1.0 =
    // 0.6; alone they plan 483 and 300.
    const bounds = [0, 50, 100, 150, 200, 250, 300, 1000];
    const tail = (requests: number, errors5xx: number): RevisionMetrics => ({
      ...side(requests, errors5xx),
      latencyMs: measured({
        layout: { kind: 'explicit', bounds },
        counts: [0, 0, 0.85, 0.1, 0.03, 0.02].map((share) => share * requests),
      }),
    });
    expect(plannedPassRequests(tail(1000, 15), tail(100, 1), t, 0.04, true)).toBe(555);
  });

  it('blue 2% 5xx: 1116.32 → 1117; blue already clearly bad (3%): the 5xx check plans nothing', () => {
    expect(plannedPassRequests(side(1000, 20), side(100, 1), t, 0.04, true)).toBe(1117);
    // latency alone, certain from 64.06: 0.6 at 64.14
    expect(plannedPassRequests(side(1000, 30), side(100, 1), t, 0.04, true)).toBe(65);
  });

  it('never below minRequests; at 100% without blue to compare with, 5xx alone; no blue data, no plan', () => {
    // blue 0 % against 3 %: certain from 99.09, 0.6 at 99.27 → 100
    expect(plannedPassRequests(side(1000, 0), side(100, 0), t, 0.04, true)).toBe(100);
    const loose = Thresholds.parse({ clearlyBad: { max5xxRate: 0.1 } }); // 27.61 < 50
    expect(plannedPassRequests(side(1000, 0), side(100, 0), loose, 0.04, false)).toBe(50);
    expect(plannedPassRequests(side(1000, 30), side(100, 0), t, 0.04, false)).toBeUndefined();
    const silent = silentRevision('no points');
    expect(plannedPassRequests(silent, side(100, 0), t, 0.04, true)).toBeUndefined();
  });
});

describe('stepPassLook: a step plans look 1 until it takes it, then keeps the places', () => {
  const step = {
    index: 0,
    percent: 10,
    startedAt: '2026-03-01T10:00:00.000Z',
    previousStartedAt: null,
  };
  const input = { step, blue: side(1000, 15), thresholds: t, firstAlpha: 0.04, relative: true };

  it('before the bake is done: no look, nothing spent', () => {
    const look = stepPassLook({ ...input, green: side(500, 0), baked: false });
    expect([look.index, look.share, look.upcoming]).toEqual([0, 0, 0.8]);
  });

  it('baked with fewer green requests than planned (483): no look yet', () => {
    expect(stepPassLook({ ...input, green: side(480, 0), baked: true }).index).toBe(0);
  });

  it('baked with 500: look 1, its place the requests it was taken at', () => {
    const look = stepPassLook({ ...input, green: side(500, 0), baked: true });
    expect([look.index, look.share, look.looks]).toEqual([1, 0.8, { first: 500, taken: 1 }]);
  });

  it('a later step, which pools more than planned: look 1 at once', () => {
    const look = stepPassLook({ ...input, green: side(5000, 0), baked: true });
    expect([look.index, look.looks]).toEqual([1, { first: 5000, taken: 1 }]);
  });

  it('once taken, the places stay where they were, whatever blue does', () => {
    const taken = { ...step, passLooks: { first: 400, taken: 1 } };
    const blue = side(1000, 25); // would now plan far later
    expect(
      stepPassLook({ ...input, step: taken, blue, green: side(566, 0), baked: true }).index,
    ).toBe(2);
    expect(
      stepPassLook({ ...input, step: taken, blue, green: side(565, 0), baked: true }).index,
    ).toBe(0);
  });
});

describe('holdPasses: a pass holds for the rest of the step, a fail still counts', () => {
  const check = (name: CheckResult['check'], outcome: CheckResult['outcome']): CheckResult => ({
    check: name,
    outcome,
    observed: null,
    samples: 100,
    limit: null,
    baseline: null,
    critical: false,
    interval: null,
    boundary: null,
    needed: null,
    blocking: true,
    reason: outcome,
  });
  const verdict = (...checks: CheckResult[]): Verdict => ({
    outcome: 'inconclusive',
    critical: false,
    checks,
    at: '2026-03-01T10:10:00.000Z',
    window: { start: '2026-03-01T10:00:00.000Z', end: '2026-03-01T10:06:00.000Z' },
    looks: { fail: 6, pass: 0 },
    advice: null,
  });

  it('an inconclusive check that passed earlier is pass, and says so; the step passes', () => {
    const held = holdPasses(
      verdict(check('error-rate', 'inconclusive'), check('p95-latency', 'pass')),
      ['error-rate'],
    );
    expect(held.verdict.outcome).toBe('pass');
    expect(held.verdict.checks[0]!.reason).toBe(
      'passed earlier in this step, held (a fail would still count): now inconclusive',
    );
    expect(held.passed.sort()).toEqual(['error-rate', 'p95-latency']);
  });

  it('a check that passed earlier and fails now fails', () => {
    const held = holdPasses(verdict(check('error-rate', 'fail')), ['error-rate']);
    expect(held.verdict.outcome).toBe('fail');
  });

  it('nothing passed yet: the verdict is unchanged', () => {
    const v = verdict(check('error-rate', 'inconclusive'));
    expect(holdPasses(v, []).verdict).toEqual({ ...v, outcome: 'inconclusive' });
  });
});
