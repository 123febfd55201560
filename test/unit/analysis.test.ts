import { describe, expect, it } from 'vitest';
import {
  judgeErrorRate,
  judgeP95,
  judgePredictionDrift,
  judgeStep,
} from '../../shared/domain/analysis.js';
import {
  measured,
  noData,
  type BucketLayout,
  type RevisionMetrics,
} from '../../shared/domain/measurement.js';
import { Thresholds } from '../../shared/schemas/config.js';

// Every expected bound below was computed independently with scipy 1.17 (beta.ppf, binom.ppf,
// t.ppf) or, for the mixture evidence, with the formula in plain Python. The check tables run
// each check's exact side at 0.0025 to fail and 0.05 to pass (drift splits a look's α between
// its two edges: 0.00125 / 0.025); judgeStep's split of the configured alphas is tested last.
const t = Thresholds.parse({});
const WINDOW = { start: new Date('2026-03-01T10:00:00Z'), end: new Date('2026-03-01T10:05:00Z') };

/** Explicit buckets: 0 underflow (<0), 1 [0,50), 2 [50,100), 3 [100,150), 4 [150,200), 5 [200,300), 6 [300,1000), 7 ≥1000. */
const LAYOUT: BucketLayout = { kind: 'explicit', bounds: [0, 50, 100, 150, 200, 300, 1000] };
const latency = (...counts: number[]) => measured({ layout: LAYOUT, counts });
const BLUE_LATENCY = latency(0, 0, 900, 100); // p95 = 125 ms (rank 950, halfway into [100,150))

function side(over: Partial<RevisionMetrics> = {}): RevisionMetrics {
  return {
    requests: measured({ requests: 1000, errors5xx: 5 }),
    latencyMs: BLUE_LATENCY,
    prediction: measured({ count: 1000, mean: 0.3, sumOfSquaredDeviation: 999 * 0.01 }),
    ...over,
  };
}

const EXACT = { fail: 0.0025, pass: 0.05 };
const JUDGES = {
  'error-rate': judgeErrorRate,
  'p95-latency': judgeP95,
  'prediction-drift': judgePredictionDrift,
} as const;

function check(name: keyof typeof JUDGES, green: Partial<RevisionMetrics>, blue = side()) {
  return JUDGES[name](blue, side(green), t, EXACT);
}

const traffic = (requests: number, errors5xx: number) => ({
  requests: measured({ requests, errors5xx }),
});

describe('5xx rate: exact (Clopper–Pearson) bounds against 2% (fail), 3% (pass), 8% (critical)', () => {
  it.each([
    // label, requests, 5xx, outcome, critical, lower, upper
    ['0 requests', 0, 0, 'inconclusive', false, 0, 1],
    ['1 request, 0 errors', 1, 0, 'inconclusive', false, 0, 0.95],
    ['1 request, 1 error: lower 0.0025 proves nothing', 1, 1, 'inconclusive', false, 0.0025, 1],
    [
      '5 of 5 failing: lower 0.0025^(1/5) = 30.17% > 8%',
      5,
      5,
      'fail',
      true,
      0.30170881682725814,
      1,
    ],
    ['0 of 98: upper 3.0106% misses 3%', 98, 0, 'inconclusive', false, 0, 0.030106198694773108],
    ['0 of 99: upper 2.9807% < 3%', 99, 0, 'pass', false, 0, 0.029806673773350886],
    [
      '20 of 1000: upper 2.8930% < 3%',
      1000,
      20,
      'pass',
      false,
      0.009754025851213799,
      0.028930122851398708,
    ],
    [
      '21 of 1000: upper 3.0100%',
      1000,
      21,
      'inconclusive',
      false,
      0.010450063866915658,
      0.0301004713288804,
    ],
    [
      '33 of 1000: lower 1.9271% ≤ 2%',
      1000,
      33,
      'inconclusive',
      false,
      0.019271350780868782,
      0.043878620530371636,
    ],
    [
      '34 of 1000: lower 2.0037% > 2%',
      1000,
      34,
      'fail',
      false,
      0.02003673730422935,
      0.04500953572170077,
    ],
    [
      '105 of 1000: lower 7.9558% ≤ 8%',
      1000,
      105,
      'fail',
      false,
      0.07955767987124304,
      0.12231961422664744,
    ],
    [
      '106 of 1000: lower 8.0438% > 8%: critical',
      1000,
      106,
      'fail',
      true,
      0.0804384680873734,
      0.12338386791157334,
    ],
  ] as const)('%s', (_label, n, x, outcome, critical, lower, upper) => {
    const c = check('error-rate', traffic(n, x));
    expect(c).toMatchObject({ outcome, critical, samples: n });
    expect(c.interval?.lower).toBeCloseTo(lower, 9);
    expect(c.interval?.upper).toBeCloseTo(upper, 9);
    expect(c.observed).toBe(n === 0 ? null : x / n);
  });

  it('is inconclusive with no green data, saying why; blue served nothing is no baseline', () => {
    const c = check(
      'error-rate',
      { requests: noData('no request_count series') },
      side(traffic(0, 0)),
    );
    expect(c).toMatchObject({
      outcome: 'inconclusive',
      samples: 0,
      baseline: null,
      interval: null,
    });
    expect(c.reason).toContain('no request_count series');
  });

  it('records the boundary it crossed', () => {
    expect(check('error-rate', traffic(1000, 34)).boundary).toBe(
      'fail: lower bound 2.00% > limit 2.00%',
    );
    expect(check('error-rate', traffic(99, 0)).boundary).toBe(
      'pass: upper bound 2.98% < clearly bad 3.00%',
    );
  });
});

describe('p95: share of green above blue-p95-derived thresholds against 5%', () => {
  // Blue 1000 requests, p95 125 ms: fail threshold 125 × 1.1 + 5 = 142.5 ms, pass threshold
  // 125 × 1.25 + 5 = 161.25 ms. Green 1000 too, so the effective sample (blue's p95 is estimated)
  // is 1000 · 1000 / 2000 = 500, and green's share × 500 is the bounds' count. One test per side:
  // look 1 spends 0.0025 to fail, 0.05 to pass.
  it('identical to blue: 0 above 161.25 ms, upper 1 − 0.05^(1/500) = 0.5974% < 5%: pass', () => {
    const c = check('p95-latency', { latencyMs: BLUE_LATENCY });
    expect(c).toMatchObject({ outcome: 'pass', observed: 125, baseline: 125, limit: 142.5 });
    expect(c.interval?.upper).toBeCloseTo(0.005973551516349557, 9);
    expect(c.boundary).toBe('pass: share of green above 161.3 ms ≤ 0.60% < 5%');
    expect(c.reason).toContain('over 1,000 / 1,000 requests (effective 500)');
  });

  it('all in [150,200): all above 142.5 ms, lower 0.0025^(1/500) = 98.81% > 5%: fail', () => {
    const c = check('p95-latency', { latencyMs: latency(0, 0, 0, 0, 1000) });
    expect(c.outcome).toBe('fail');
    expect(c.interval?.lower).toBeCloseTo(0.9880885802850193, 9);
  });

  it('60 in [150,200): 6.6% above 142.5 (lower 3.88%), 4.65% above 161.25 (upper 6.51%): inconclusive', () => {
    // 40 × 7.5/50 + 60 = 66 above 142.5 → 33 of 500; 60 × 38.75/50 = 46.5 above 161.25 → 23.25 of 500
    const c = check('p95-latency', { latencyMs: latency(0, 0, 900, 40, 60) });
    expect(c.outcome).toBe('inconclusive');
    expect(c.interval?.lower).toBeCloseTo(0.03879857640169002, 9);
    expect(c.interval?.upper).toBeCloseTo(0.06511899080752191, 9);
  });

  it.each([
    ['1 green request', latency(0, 0, 1)],
    ['49 green requests', latency(0, 0, 49)],
  ])('%s is below the minimum of 50 per side: inconclusive', (_l, g) => {
    const c = check('p95-latency', { latencyMs: g });
    expect(c).toMatchObject({ outcome: 'inconclusive', interval: null });
    expect(c.reason).toContain('from 50 on each side');
  });

  it('no data on either side is inconclusive and says which', () => {
    expect(check('p95-latency', { latencyMs: noData('no points') }).reason).toContain(
      'no green latency data (no points)',
    );
    const c = check('p95-latency', {}, side({ latencyMs: noData('blue idle') }));
    expect(c.reason).toContain('no blue latency data');
  });

  it('blue at 0 ms (all in the underflow bucket): the threshold is the 5 ms slack', () => {
    const c = check(
      'p95-latency',
      { latencyMs: latency(0, 1000) },
      side({ latencyMs: latency(1000) }),
    );
    expect(c).toMatchObject({ outcome: 'fail', baseline: 0, limit: 5 });
    // 1000 × (50 − 5)/50 = 900 of green above 5 ms
    expect(c.boundary).toContain('above 5 ms');
  });
});

describe('prediction drift: Welch t bounds on μg − k·μb against blue ± 20% (fail) / ± 25% (pass)', () => {
  const green = (mean: number, count = 100) => ({
    prediction: measured({ count, mean, sumOfSquaredDeviation: (count - 1) * 0.01 }),
  });
  it('same mean: μg − 1.25μb ≤ −0.05373 and μg − 0.75μb ≥ 0.05463: pass', () => {
    const c = check('prediction-drift', green(0.3));
    expect(c.outcome).toBe('pass');
    expect(c.interval?.lower).toBeCloseTo(-0.02076626601848983, 9);
    expect(c.interval?.upper).toBeCloseTo(0.02076626601848983, 9);
  });
  it('+33%: μg − 1.2μb ≥ 0.007017 > 0: fail', () => {
    expect(check('prediction-drift', green(0.4)).outcome).toBe('fail');
  });
  it('+23%: μg − 1.2μb ≥ −0.02298, μg − 1.25μb ≤ 0.01627: inconclusive', () => {
    const c = check('prediction-drift', green(0.37));
    expect(c.outcome).toBe('inconclusive');
    expect(c.interval?.lower).toBeCloseTo(0.04923373398151018, 9);
  });
  it('29 predictions is below the minimum of 30: inconclusive', () => {
    expect(check('prediction-drift', green(0.3, 29))).toMatchObject({
      outcome: 'inconclusive',
      interval: null,
    });
  });
  it('blue mean 0: the band is absolute (±0.2 / ±0.25)', () => {
    const blue = side({ prediction: measured({ count: 1000, mean: 0, sumOfSquaredDeviation: 0 }) });
    expect(check('prediction-drift', green(0.05), blue).outcome).toBe('pass');
    expect(check('prediction-drift', green(0.3), blue).outcome).toBe('fail');
  });
  it('no blue predictions is inconclusive', () => {
    const c = check('prediction-drift', green(0.3), side({ prediction: noData('no logs') }));
    expect(c.reason).toContain('no blue prediction data to compare with (no logs)');
  });
});

describe('the overall verdict', () => {
  const judge = (green: RevisionMetrics, blue = side(), compareWithBlue = true) =>
    judgeStep({
      blue,
      green,
      thresholds: t,
      window: WINDOW,
      now: WINDOW.end,
      looks: { fail: 1, pass: { index: 1, share: 0.5, upcoming: 0.25 } },
      compareWithBlue,
    });
  it('passes only when every blocking check passes', () => {
    expect(judge(side()).outcome).toBe('pass');
    expect(judge(side(traffic(1000, 21))).outcome).toBe('inconclusive');
  });
  it('fails when any check fails, critical when that one is', () => {
    const v = judge(side(traffic(1000, 130)));
    expect([v.outcome, v.critical]).toEqual(['fail', true]);
  });
  it('at 100% without a blue baseline: latency and drift do not block; 5xx decides', () => {
    const blue = side({ requests: noData('x'), latencyMs: noData('x'), prediction: noData('x') });
    const v = judge(side(), blue, false);
    expect(v.outcome).toBe('pass');
    expect(v.checks.map((c) => [c.check, c.outcome, c.blocking])).toEqual([
      ['error-rate', 'pass', true],
      ['p95-latency', 'inconclusive', false],
      ['prediction-drift', 'inconclusive', false],
    ]);
  });
});

describe('judgeStep: fail a tenth per minute look, pass at planned looks, the rest always-valid', () => {
  // failAlpha 0.005 (set here; the default is 0.05) → exact 0.0005/(k(k + 1)), mixture 0.0045
  // (crosses at ln M ≥ ln 222.2);
  // passAlpha 0.1 → planned looks exact at 0.09 × their share (look 1: 0.8 → 0.072), mixture
  // 0.01 (ln 100); promoteAlpha 0.01 → look 1 at 0.0072, mixture 0.001.
  const LOOK_1 = { index: 1, share: 0.8, upcoming: 0.1 };
  const NO_LOOK = { index: 0, share: 0, upcoming: 0.8 };
  type PassLook = typeof LOOK_1;
  const strict = Thresholds.parse({ failAlpha: 0.005 });
  const judge = (
    green: RevisionMetrics,
    looks: { fail: number; pass: PassLook },
    lastStep = false,
  ) =>
    judgeStep({
      blue: side(),
      green,
      thresholds: strict,
      window: WINDOW,
      now: WINDOW.end,
      looks,
      lastStep,
    });
  const first = (
    green: RevisionMetrics,
    looks: { fail: number; pass: PassLook },
    lastStep = false,
  ) => judge(green, looks, lastStep).checks[0]!;

  it('look 1, 34 of 1000: exact lower 1.7442% at 0.00025 ≤ 2%, evidence ×16.5 < 222: inconclusive', () => {
    const c = first(side(traffic(1000, 34)), { fail: 1, pass: NO_LOOK });
    expect(c.outcome).toBe('inconclusive');
    expect(c.interval?.lower).toBeCloseTo(0.01744161377764334, 9);
  });

  it('look 1, 60 of 1000: exact lower 3.7087% at 0.00025 > 2%: fail on the exact bound', () => {
    const c = first(side(traffic(1000, 60)), { fail: 1, pass: NO_LOOK });
    expect(c.outcome).toBe('fail');
    expect(c.interval?.lower).toBeCloseTo(0.03708727527998325, 9);
    expect(c.boundary).toBe('fail: lower bound 3.71% > limit 2.00%');
  });

  it('look 30, 40 of 1000: exact lower 1.6516% (at 0.0005/930) misses, evidence ×461 ≥ 222 fails', () => {
    const c = first(side(traffic(1000, 40)), { fail: 30, pass: NO_LOOK });
    expect(c.outcome).toBe('fail');
    // the interval is the one that decided: the mixture's confidence-sequence bound, 2.0775 %
    // (root of ln M(p0) = ln 222.2, scipy brentq), tighter than the exact 1.6516 %
    expect(c.interval?.lower).toBeCloseTo(0.02077505889776891, 9);
    expect(c.boundary).toBe(
      'fail: always-valid evidence ×461 ≥ 222 (1/α 0.0045) against p ≤ 2.00%',
    );
  });

  it('planned look 1, 3 of 300: exact upper 2.3827% at 0.072 < 3%: pass on the exact bound', () => {
    const c = first(side(traffic(300, 3)), { fail: 5, pass: LOOK_1 });
    expect(c.outcome).toBe('pass');
    expect(c.interval?.upper).toBeCloseTo(0.02382659599712407, 9);
    expect(c.boundary).toBe('pass: upper bound 2.38% < clearly bad 3.00%');
    expect(judge(side(traffic(300, 3)), { fail: 5, pass: LOOK_1 }).looks).toEqual({
      fail: 5,
      pass: 1,
    });
  });

  it('the same 3 of 300 at no planned look: the exact bound does not decide, evidence ×7.4 < 100', () => {
    const c = first(side(traffic(300, 3)), { fail: 5, pass: NO_LOOK });
    expect(c.outcome).toBe('inconclusive');
    // only the confidence sequence at 0.01 bounds it: 4.2709 % (scipy brentq), above 3 %
    expect(c.interval?.upper).toBeCloseTo(0.04270940243292413, 9);
    expect(judge(side(traffic(300, 3)), { fail: 5, pass: NO_LOOK }).looks.pass).toBe(0);
  });

  it('0 of 200 at no planned look: evidence ×69.9 < 100; 0 of 220: ×115.3 ≥ 100 passes on the mixture', () => {
    expect(first(side(traffic(200, 0)), { fail: 10, pass: NO_LOOK }).outcome).toBe('inconclusive');
    const c = first(side(traffic(220, 0)), { fail: 10, pass: NO_LOOK });
    expect(c.outcome).toBe('pass');
    // the confidence sequence's 2.9235 % (scipy): below 3 %, as decided
    expect(c.interval?.upper).toBeCloseTo(0.0292352520371358, 9);
    expect(c.boundary).toBe(
      'pass: always-valid evidence ×115.3 ≥ 100 (1/α 0.01) against p ≥ 3.00%',
    );
  });

  it('at the last step (promoteAlpha), look 1, 0 of 100: upper 1 − 0.0072^(1/100) = 4.81%: inconclusive', () => {
    const c = first(side(traffic(100, 0)), { fail: 1, pass: LOOK_1 }, true);
    expect(c.outcome).toBe('inconclusive');
    // exact 4.81 %, tighter than the confidence sequence at 0.001 (8.89 %, scipy)
    expect(c.interval?.upper).toBeCloseTo(0.04813945620326521, 9);
  });
});
