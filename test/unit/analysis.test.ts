import { describe, expect, it } from 'vitest';
import { judgeStep } from '../../shared/domain/analysis.js';
import {
  noData,
  value,
  type Measurement,
  type RevisionSummary,
} from '../../shared/domain/measurement.js';
import { Thresholds } from '../../shared/schemas/config.js';
import { Verdict, type CheckResult } from '../../shared/schemas/release.js';

const defaults = Thresholds.parse({});
const window = { start: new Date('2025-03-01T10:00:00Z'), end: new Date('2025-03-01T10:05:00Z') };
const now = new Date('2025-03-01T10:08:00Z');

/** Healthy metrics: 1,000 requests, no 5xx, p95 100 ms, mean prediction 0.5. */
function metrics(over: Partial<RevisionSummary> = {}): RevisionSummary {
  return {
    requests: value(1000, 1000),
    errors5xx: value(0, 1000),
    p95LatencyMs: value(100, 1000),
    prediction: value(0.5, 800),
    ...over,
  };
}

function judge(
  blue: Partial<RevisionSummary>,
  green: Partial<RevisionSummary>,
  t: Partial<Thresholds> = {},
) {
  return judgeStep({
    blue: metrics(blue),
    green: metrics(green),
    thresholds: { ...defaults, ...t },
    window,
    now,
  });
}

function check(verdict: Verdict, name: CheckResult['check']): CheckResult {
  const found = verdict.checks.find((c) => c.check === name);
  if (!found) throw new Error(`no ${name} check in the verdict`);
  return found;
}

/** Green traffic of `requests` requests with `errors` 5xx (counts; null = no data). */
function traffic(requests: number | null, errors: number | null): Partial<RevisionSummary> {
  return {
    requests: requests === null ? noData('no request series') : value(requests, requests),
    errors5xx: errors === null ? noData('no 5xx series') : value(errors, requests ?? 0),
  };
}

describe('judgeStep: 5xx rate (max 2%, minRequests 100, critical at 4 × 2% = 8%)', () => {
  it.each([
    // name, requests, errors, outcome, critical, observed, reason
    [
      'no request data',
      null,
      null,
      'inconclusive',
      false,
      null,
      /no green request data \(no request series\)/,
    ],
    [
      'zero requests',
      0,
      0,
      'inconclusive',
      false,
      null,
      /only 0 green requests, at least 100 needed/,
    ],
    [
      'minRequests − 1 with a critical rate',
      99,
      50,
      'inconclusive',
      false,
      50 / 99,
      /only 99 green requests/,
    ],
    [
      'exactly minRequests, exactly 2%',
      100,
      2,
      'pass',
      false,
      0.02,
      /^5xx rate 2\.00% ≤ 2\.00% over 100 requests$/,
    ],
    [
      'exactly minRequests, just above 2%',
      100,
      3,
      'fail',
      false,
      0.03,
      /^5xx rate 3\.00% > 2\.00% over 100 requests$/,
    ],
    ['exactly 2% of 1,000', 1000, 20, 'pass', false, 0.02, /2\.00% ≤ 2\.00%/],
    ['2.1% of 1,000', 1000, 21, 'fail', false, 0.021, /2\.10% > 2\.00% over 1,000 requests/],
    [
      '3.10% of 2,000',
      2000,
      62,
      'fail',
      false,
      0.031,
      /^5xx rate 3\.10% > 2\.00% over 2,000 requests$/,
    ],
    [
      '37 of 1,204',
      1204,
      37,
      'fail',
      false,
      37 / 1204,
      /^5xx rate 3\.07% > 2\.00% over 1,204 requests$/,
    ],
    ['7% (below critical)', 100, 7, 'fail', false, 0.07, /7\.00% > 2\.00%/],
    ['exactly critical 8%', 100, 8, 'fail', true, 0.08, /8\.00% ≥ 8\.00% \(critical: 4 × 2\.00%\)/],
    ['all requests failing', 500, 500, 'fail', true, 1, /critical/],
    [
      'no 5xx data beside enough requests',
      500,
      null,
      'inconclusive',
      false,
      null,
      /no green 5xx data \(no 5xx series\)/,
    ],
    ['no errors at all', 5000, 0, 'pass', false, 0, /0\.00% ≤ 2\.00% over 5,000 requests/],
  ] as const)('%s', (_name, requests, errors, outcome, critical, observed, reason) => {
    const verdict = judge({}, traffic(requests, errors));
    const c = check(verdict, 'error-rate');
    expect(c.outcome).toBe(outcome);
    expect(c.critical).toBe(critical);
    expect(c.observed).toBe(observed);
    expect(c.limit).toBe(0.02);
    expect(c.reason).toMatch(reason);
    expect(verdict.critical).toBe(critical);
  });

  it('reports blue rate as the baseline and the green request count as samples', () => {
    const c = check(judge(traffic(1000, 5), traffic(1204, 10)), 'error-rate');
    expect(c).toMatchObject({ baseline: 0.005, samples: 1204 });
  });

  it('never turns no data into 0', () => {
    const c = check(judge(traffic(null, null), traffic(null, null)), 'error-rate');
    expect(c).toMatchObject({ observed: null, baseline: null, samples: 0 });
  });

  it('honours a configured minRequests and criticalMultiple', () => {
    const t = { minRequests: 10, criticalMultiple: 2 };
    expect(check(judge({}, traffic(10, 1), t), 'error-rate')).toMatchObject({
      outcome: 'fail',
      critical: true,
    });
    expect(check(judge({}, traffic(9, 9), t), 'error-rate')).toMatchObject({
      outcome: 'inconclusive',
      critical: false,
    });
  });
});

describe('judgeStep: p95 latency (limit = blue × 1.1 + 5 ms)', () => {
  const p95 = (v: number | null, samples = 1000): Partial<RevisionSummary> => ({
    p95LatencyMs: v === null ? noData('no latency series') : value(v, samples),
  });
  it.each([
    // name, blue, green, thresholds, outcome, limit
    ['exactly at the limit', 100, 115, {}, 'pass', 115],
    ['just above the limit', 100, 115.01, {}, 'fail', 115],
    ['faster than blue', 100, 60, {}, 'pass', 115],
    [
      'exactly at a limit that floats below itself (× 1.15)',
      100,
      120,
      { p95Tolerance: 0.15 },
      'pass',
      120,
    ],
    ['blue p95 of 0: the limit is the slack', 0, 5, {}, 'pass', 5],
    ['blue p95 of 0: above the slack fails', 0, 6, {}, 'fail', 5],
    ['no tolerance, no slack, equal', 250, 250, { p95Tolerance: 0, p95SlackMs: 0 }, 'pass', 250],
  ] as const)('%s', (_name, blue, green, t, outcome, limit) => {
    const c = check(judge(p95(blue), p95(green), t), 'p95-latency');
    expect(c.outcome).toBe(outcome);
    expect(c.limit).toBeCloseTo(limit, 9);
    expect(c).toMatchObject({ observed: green, baseline: blue, samples: 1000, critical: false });
    expect(c.reason).toMatch(
      /^p95 latency .* ms (≤|>) .* ms \(blue .* ms × .* \+ .* ms\) over 1,000 requests$/,
    );
  });

  it.each([
    [
      'blue has no data',
      p95(null),
      p95(120),
      /no p95 latency data for blue \(no latency series\)/,
      120,
      null,
    ],
    [
      'green has no data',
      p95(100),
      p95(null),
      /no p95 latency data for green \(no latency series\)/,
      null,
      100,
    ],
    ['neither has data', p95(null), p95(null), /for green/, null, null],
    ['green p95 from 0 samples', p95(100), p95(0, 0), /for green \(no samples\)/, null, 100],
    [
      'green p95 is not a number',
      p95(100),
      { p95LatencyMs: value(NaN, 10) },
      /not a number/,
      null,
      100,
    ],
  ])('%s → inconclusive, never 0', (_name, blue, green, reason, observed, baseline) => {
    const c = check(judge(blue, green), 'p95-latency');
    expect(c).toMatchObject({ outcome: 'inconclusive', observed, baseline });
    expect(c.reason).toMatch(reason);
  });
});

describe('judgeStep: prediction drift (max 20%)', () => {
  const mean = (v: number | null): Partial<RevisionSummary> => ({
    prediction: v === null ? noData('no prediction logs') : value(v, 800),
  });
  it.each([
    // name, blue, green, thresholds, outcome, limit
    ['exactly +20%', 0.5, 0.6, {}, 'pass', 0.1],
    ['exactly −20%', 0.5, 0.4, {}, 'pass', 0.1],
    ['+22%', 0.5, 0.61, {}, 'fail', 0.1],
    ['−22%', 0.5, 0.39, {}, 'fail', 0.1],
    ['equal means', 0.5, 0.5, {}, 'pass', 0.1],
    ['negative blue mean, exactly 20% away', -0.5, -0.6, {}, 'pass', 0.1],
    [
      'exactly 10% with float noise (0.33 vs 0.3)',
      0.3,
      0.33,
      { maxPredictionDrift: 0.1 },
      'pass',
      0.03,
    ],
    ['blue mean 0: absolute difference exactly 0.2', 0, 0.2, {}, 'pass', 0.2],
    ['blue mean 0: absolute difference 0.21', 0, 0.21, {}, 'fail', 0.2],
    ['blue mean 0: negative green beyond 0.2', 0, -0.21, {}, 'fail', 0.2],
    ['both means 0', 0, 0, {}, 'pass', 0.2],
  ] as const)('%s', (_name, blue, green, t, outcome, limit) => {
    const c = check(judge(mean(blue), mean(green), t), 'prediction-drift');
    expect(c.outcome).toBe(outcome);
    expect(c.limit).toBeCloseTo(limit, 12);
    expect(c).toMatchObject({ observed: green, baseline: blue, samples: 800, critical: false });
    expect(c.reason).toMatch(/^mean prediction .* vs blue .*: .* over 800 predictions$/);
  });

  it('writes the relative change into the reason', () => {
    const c = check(judge(mean(0.5), mean(0.62)), 'prediction-drift');
    expect(c.reason).toBe(
      'mean prediction 0.62 vs blue 0.5: change +24.00% > ±20.00% over 800 predictions',
    );
  });

  it('says when blue mean 0 switches to the absolute difference', () => {
    const c = check(judge(mean(0), mean(0.3)), 'prediction-drift');
    expect(c.reason).toMatch(/absolute change 0\.3 > 0\.2 \(blue mean is 0\)/);
  });

  it.each([
    ['blue', mean(null), mean(0.5), /for blue \(no prediction logs\)/],
    ['green', mean(0.5), mean(null), /for green \(no prediction logs\)/],
    ['either (both)', mean(null), mean(null), /no prediction data/],
  ])('no data on %s → inconclusive', (_name, blue, green, reason) => {
    const c = check(judge(blue, green), 'prediction-drift');
    expect(c).toMatchObject({ outcome: 'inconclusive', limit: null });
    expect(c.reason).toMatch(reason);
  });
});

describe('judgeStep: the overall verdict', () => {
  const slow: Partial<RevisionSummary> = { p95LatencyMs: value(500, 1000) };
  const few: Partial<RevisionSummary> = traffic(10, 0);
  const critical: Partial<RevisionSummary> = traffic(1000, 200);
  const noPredictions: Partial<RevisionSummary> = { prediction: noData('no logs') };
  it.each([
    ['all checks pass', {}, 'pass', false],
    ['one inconclusive, others pass', few, 'inconclusive', false],
    ['one fails, one inconclusive', { ...few, ...slow }, 'fail', false],
    ['one fails, others pass', slow, 'fail', false],
    ['a critical 5xx breach', critical, 'fail', true],
    [
      'a critical breach with an inconclusive check',
      { ...critical, ...noPredictions },
      'fail',
      true,
    ],
    [
      'inconclusive everywhere',
      { ...few, p95LatencyMs: noData('x'), ...noPredictions },
      'inconclusive',
      false,
    ],
  ] as const)('%s', (_name, green, outcome, isCritical) => {
    const verdict = judge({}, green);
    expect(verdict.outcome).toBe(outcome);
    expect(verdict.critical).toBe(isCritical);
    expect(verdict.checks.map((c) => c.check)).toEqual([
      'error-rate',
      'p95-latency',
      'prediction-drift',
    ]);
  });

  it('records when and over which window, and satisfies the persisted schema', () => {
    const verdict = judge({}, traffic(1204, 37));
    expect(verdict.at).toBe('2025-03-01T10:08:00.000Z');
    expect(verdict.window).toEqual({
      start: '2025-03-01T10:00:00.000Z',
      end: '2025-03-01T10:05:00.000Z',
    });
    expect(Verdict.parse(verdict)).toEqual(verdict);
  });

  it('keeps a value measured as no-data distinct from a measured 0', () => {
    const zero: Measurement = value(0, 1000);
    const verdict = judge({ p95LatencyMs: zero }, { p95LatencyMs: zero });
    expect(check(verdict, 'p95-latency')).toMatchObject({
      outcome: 'pass',
      observed: 0,
      baseline: 0,
      limit: 5,
    });
  });
});
