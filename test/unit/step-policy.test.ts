import { describe, expect, it } from 'vitest';
import { decideStep, type StepPolicyInput } from '../../shared/domain/step-policy.js';
import { failLook } from '../../shared/domain/release-shifting.js';
import { Thresholds } from '../../shared/schemas/config.js';
import type { CheckResult, Verdict } from '../../shared/schemas/release.js';

// failureLimit 2 (the default is 1), so the count shows; maxInconclusiveSeconds 3600, minRequests 50
const thresholds = Thresholds.parse({ failureLimit: 2 });
const NOW = new Date('2026-03-01T10:10:00Z');

function check(
  name: CheckResult['check'],
  outcome: CheckResult['outcome'],
  over: Partial<CheckResult> = {},
): CheckResult {
  return {
    check: name,
    outcome,
    observed: 0.01,
    baseline: 0.01,
    limit: 0.02,
    samples: 500,
    critical: false,
    interval: { lower: 0.005, upper: 0.02 },
    boundary: null,
    needed: 600,
    blocking: true,
    reason: `${name} ${outcome}`,
    ...over,
  };
}

function verdict(...checks: CheckResult[]): Verdict {
  const outcome = checks.some((c) => c.outcome === 'fail')
    ? 'fail'
    : checks.some((c) => c.outcome === 'inconclusive' && c.blocking)
      ? 'inconclusive'
      : 'pass';
  return {
    outcome,
    critical: checks.some((c) => c.critical),
    checks,
    at: NOW.toISOString(),
    window: { start: NOW.toISOString(), end: NOW.toISOString() },
    looks: { fail: 1, pass: 1 },
    advice: null,
  };
}

const decide = (over: Partial<StepPolicyInput>) =>
  decideStep({
    verdict: verdict(check('error-rate', 'pass')),
    evidenceSeconds: 300,
    bakeSeconds: 300,
    consecutiveFailures: 0,
    previousVerdict: null,
    inconclusiveSince: null,
    now: NOW,
    thresholds,
    isLastStep: false,
    ...over,
  });

describe('bake counts evidence', () => {
  it.each([
    [299, false, 'hold'],
    [300, false, 'advance'],
    [300, true, 'promote'],
  ] as const)('%d s of evidence, last step %s → %s', (evidenceSeconds, isLastStep, decision) => {
    expect(decide({ evidenceSeconds, isLastStep }).decision).toBe(decision);
  });
});

describe('the failure count: consecutive failing verdicts of the same check', () => {
  const fail5xx = verdict(check('error-rate', 'fail'));
  const failP95 = verdict(check('p95-latency', 'fail'));
  it('at the default failureLimit 1, the first failing verdict rolls back', () => {
    expect(decide({ verdict: fail5xx, thresholds: Thresholds.parse({}) })).toMatchObject({
      decision: 'rollback',
      consecutiveFailures: 1,
    });
  });
  it('a first failure holds at 1 (failureLimit 2)', () => {
    expect(decide({ verdict: fail5xx })).toMatchObject({
      decision: 'hold',
      consecutiveFailures: 1,
    });
  });
  it('the same check failing again rolls back at failureLimit 2', () => {
    const r = decide({ verdict: fail5xx, consecutiveFailures: 1, previousVerdict: fail5xx });
    expect(r).toMatchObject({ decision: 'rollback', consecutiveFailures: 2 });
  });
  it('a different check failing restarts the count at 1', () => {
    const r = decide({ verdict: failP95, consecutiveFailures: 1, previousVerdict: fail5xx });
    expect(r).toMatchObject({ decision: 'hold', consecutiveFailures: 1 });
  });
  it.each([
    ['pass', verdict(check('error-rate', 'pass'))],
    ['inconclusive', verdict(check('error-rate', 'inconclusive'))],
  ])('a %s verdict resets it to 0', (_l, v) => {
    expect(decide({ verdict: v, consecutiveFailures: 1, previousVerdict: fail5xx })).toMatchObject({
      consecutiveFailures: 0,
    });
  });
  it('a critical failure rolls back at once', () => {
    const v = verdict(check('error-rate', 'fail', { critical: true }));
    expect(decide({ verdict: v }).decision).toBe('rollback');
  });
});

describe('stall, in evidence terms', () => {
  it('holds while the projected time to a decision fits maxInconclusiveSeconds', () => {
    // 500 requests in 5 min = 100/min; 600 needed → 6 min in all
    const r = decide({ verdict: verdict(check('error-rate', 'inconclusive')) });
    expect(r).toMatchObject({ decision: 'hold', advice: null });
  });
  it('stalls up front when the traffic cannot reach the decision in time, saying what to do', () => {
    // 60 requests in 5 min = 12/min: needing 4,900 takes ~408 min
    const v = verdict(check('error-rate', 'inconclusive', { samples: 60, needed: 4900 }));
    const r = decide({ verdict: v });
    expect(r.decision).toBe('stalled');
    expect(r.advice).toBe(
      'too little traffic: error-rate needs about 4,900 requests (has 60, 12.0/min → ~408 min at this step, over maxInconclusiveSeconds 3600 s) — raise traffic to the service, or decide by hand: cutover promote | cutover rollback',
    );
  });
  it('counts the minimum sample first', () => {
    const v = verdict(check('p95-latency', 'inconclusive', { samples: 2, needed: null }));
    expect(decide({ verdict: v }).advice).toContain('its minimum sample of 50 requests (has 2');
  });
  it('stalls when green sits between the limit and the clearly-bad margin', () => {
    const v = verdict(check('p95-latency', 'inconclusive', { samples: 900, needed: null }));
    expect(decide({ verdict: v }).advice).toContain(
      'sits between its limit and the clearly-bad margin',
    );
  });
  it('ignores non-blocking checks, and says nothing before a minute of evidence', () => {
    const idle = check('p95-latency', 'inconclusive', {
      samples: 0,
      needed: null,
      blocking: false,
    });
    expect(decide({ verdict: verdict(check('error-rate', 'pass'), idle) }).decision).toBe(
      'advance',
    );
    const early = verdict(check('error-rate', 'inconclusive', { samples: 1, needed: 99_999 }));
    expect(decide({ verdict: early, evidenceSeconds: 59 }).decision).toBe('hold');
  });
  it('projects only from 5 minutes of the step’s own evidence: earlier ones swing with every 5xx', () => {
    const v = verdict(check('error-rate', 'inconclusive', { samples: 60, needed: 4900 }));
    expect(decide({ verdict: v, evidenceSeconds: 299 }).decision).toBe('hold');
    expect(decide({ verdict: v, evidenceSeconds: 300 }).decision).toBe('stalled');
  });
});

describe('stall hysteresis', () => {
  // 500 requests in 5 min = 100/min: needing 4,500 → ~45 min, inside the 60 min horizon
  const hovering = verdict(check('error-rate', 'inconclusive', { samples: 500, needed: 4500 }));
  it('a step that was not stalled holds at a projection inside maxInconclusiveSeconds', () => {
    expect(decide({ verdict: hovering }).decision).toBe('hold');
  });
  it('a stalled step stays stalled until the projection is under half the horizon, and says so', () => {
    const r = decide({ verdict: hovering, wasStalled: true });
    expect(r.decision).toBe('stalled');
    expect(r.advice).toBe(
      'too little traffic: error-rate needs about 4,500 requests (has 500, 100.0/min → ~45 min at this step, still over half of maxInconclusiveSeconds 3600 s, where a stalled step clears) — raise traffic to the service, or decide by hand: cutover promote | cutover rollback',
    );
  });
  it('clears under half the horizon: 2,900 needed → ~29 min', () => {
    const near = verdict(check('error-rate', 'inconclusive', { samples: 500, needed: 2900 }));
    expect(decide({ verdict: near, wasStalled: true }).decision).toBe('hold');
  });
  it('a stalled step is projected from its first minute, not after five', () => {
    const v = verdict(check('error-rate', 'inconclusive', { samples: 60, needed: 4900 }));
    expect(decide({ verdict: v, evidenceSeconds: 120 }).decision).toBe('hold');
    expect(decide({ verdict: v, evidenceSeconds: 120, wasStalled: true }).decision).toBe('stalled');
  });
});

describe('stall with pooled evidence', () => {
  // 90 samples, ~420 needed, 10 min at this step.
  const slow = verdict(check('error-rate', 'inconclusive', { samples: 90, needed: 420 }));
  it('the rate is the pooled samples over the pooled minutes: 90 in 30 min → ~120 min, stalled', () => {
    const r = decide({ verdict: slow, evidenceSeconds: 600, pooledSeconds: 1800 });
    expect(r.decision).toBe('stalled');
    expect(r.advice).toContain('needs about 420 requests (has 90, 3.0/min → ~120 min at this step');
  });

  it('the same 90 in this step’s 10 min alone → ~47 min: holding', () => {
    expect(decide({ verdict: slow, evidenceSeconds: 600 }).decision).toBe('hold');
  });
});

describe('stall before the first planned pass look: the time to that look', () => {
  // a check whose own projection would stall: the estimate sits between limit and margin
  const between = verdict(check('error-rate', 'inconclusive', { samples: 300, needed: null }));
  const before = (nextAt: number, greenRequests = 300) => ({ taken: 0, nextAt, greenRequests });

  it('look 1 at 450, 300 so far at 30/min (10 min): ~15 min, within the hour: holding', () => {
    const r = decide({ verdict: between, evidenceSeconds: 600, passLooks: before(450) });
    expect(r.decision).toBe('hold');
  });

  it('look 1 at 3000, 300 so far at 30/min: ~100 min, over the hour: stalled, up front', () => {
    const r = decide({ verdict: between, evidenceSeconds: 600, passLooks: before(3000) });
    expect(r.decision).toBe('stalled');
    expect(r.advice).toContain(
      "too little traffic: the step's first planned pass look is at 3,000 green requests (has 300, 30.0/min → ~100 min at this step, over maxInconclusiveSeconds 3600 s)",
    );
  });

  it('in the first five minutes: nothing is projected yet', () => {
    const r = decide({ verdict: between, evidenceSeconds: 240, passLooks: before(30_000, 120) });
    expect(r.decision).toBe('hold');
  });

  it('from look 1 on, each check’s projection decides again', () => {
    const r = decide({
      verdict: between,
      evidenceSeconds: 600,
      passLooks: { taken: 1, nextAt: 636, greenRequests: 460 },
    });
    expect(r.decision).toBe('stalled');
    expect(r.advice).toContain('error-rate sits between its limit and the clearly-bad margin');
  });
});

describe('the fail side looks once a minute of pooled evidence', () => {
  it.each([
    // pooled, this step's: one look per started minute, across steps
    [0, 0, 1],
    [60, 60, 1],
    [61, 61, 2],
    [900, 120, 15],
    [1800, 600, 30],
  ])('%d s pooled, %d s at this step: look %d', (pooled, step, look) => {
    expect(failLook(pooled, step)).toBe(look);
  });
});
