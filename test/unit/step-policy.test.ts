import { describe, expect, it } from 'vitest';
import { decideStep, type StepPolicyInput } from '../../shared/domain/step-policy.js';
import { Thresholds } from '../../shared/schemas/config.js';
import type { Outcome, Verdict } from '../../shared/schemas/release.js';

const thresholds = Thresholds.parse({}); // failureLimit 2, maxInconclusiveSeconds 1800
const stepStartedAt = new Date('2025-03-01T10:00:00.000Z');
const at = (seconds: number): Date => new Date(stepStartedAt.getTime() + seconds * 1000);

function verdict(outcome: Outcome, critical = false): Verdict {
  return {
    outcome,
    critical,
    checks: [
      {
        check: 'error-rate',
        outcome,
        observed: 0.03,
        baseline: 0,
        limit: 0.02,
        samples: 500,
        critical,
        reason: `error-rate came out ${outcome}`,
      },
    ],
    at: stepStartedAt.toISOString(),
    window: { start: stepStartedAt.toISOString(), end: stepStartedAt.toISOString() },
  };
}

function decide(over: Partial<StepPolicyInput> & { verdict: Verdict }) {
  return decideStep({
    stepStartedAt,
    now: at(60),
    bakeSeconds: 300,
    consecutiveFailures: 0,
    inconclusiveSince: null,
    thresholds,
    isLastStep: false,
    ...over,
  });
}

describe('decideStep: failing verdicts', () => {
  it.each([
    ['first failure of 2', 0, false, 2, 'hold', 1],
    ['second consecutive failure reaches the limit', 1, false, 2, 'rollback', 2],
    ['a critical breach rolls back at once', 0, true, 2, 'rollback', 1],
    ['failureLimit 1 rolls back on the first failure', 0, false, 1, 'rollback', 1],
    ['third failure of 3 reaches the limit', 2, false, 3, 'rollback', 3],
    ['second failure of 3 holds', 1, false, 3, 'hold', 2],
  ] as const)('%s', (_name, failuresBefore, critical, failureLimit, decision, failuresAfter) => {
    const result = decide({
      verdict: verdict('fail', critical),
      consecutiveFailures: failuresBefore,
      thresholds: { ...thresholds, failureLimit },
      now: at(3600), // bake time long passed: a failure never advances
      isLastStep: true,
    });
    expect(result).toMatchObject({
      decision,
      consecutiveFailures: failuresAfter,
      inconclusiveSince: null,
    });
    expect(result.reason).toContain('error-rate came out fail');
  });

  it('says why it rolls back', () => {
    expect(decide({ verdict: verdict('fail', true) }).reason).toMatch(
      /^critical breach, rolling back at once/,
    );
    expect(decide({ verdict: verdict('fail'), consecutiveFailures: 1 }).reason).toMatch(
      /^2 consecutive failing verdicts \(limit 2\)/,
    );
    expect(decide({ verdict: verdict('fail') }).reason).toMatch(
      /^failing verdict 1 of 2 before rollback/,
    );
  });

  it('ends an inconclusive run', () => {
    const result = decide({ verdict: verdict('fail'), inconclusiveSince: at(0) });
    expect(result.inconclusiveSince).toBeNull();
  });
});

describe('decideStep: passing verdicts and bake time (300 s)', () => {
  it.each([
    ['before the bake time', 299.999, false, 'hold'],
    ['bake time exactly elapsed', 300, false, 'advance'],
    ['bake time long passed', 900, false, 'advance'],
    ['bake time exactly elapsed on the last step', 300, true, 'promote'],
    ['before the bake time on the last step', 120, true, 'hold'],
    ['a clock behind the step start', -5, false, 'hold'],
  ] as const)('%s → %s', (_name, elapsed, isLastStep, decision) => {
    const result = decide({ verdict: verdict('pass'), now: at(elapsed), isLastStep });
    expect(result).toMatchObject({ decision, consecutiveFailures: 0, inconclusiveSince: null });
  });

  it('advances at once with a bake time of 0', () => {
    expect(decide({ verdict: verdict('pass'), now: at(0), bakeSeconds: 0 }).decision).toBe(
      'advance',
    );
  });

  it('resets failures and the inconclusive run', () => {
    const result = decide({
      verdict: verdict('pass'),
      consecutiveFailures: 1,
      inconclusiveSince: at(10),
    });
    expect(result).toMatchObject({
      decision: 'hold',
      consecutiveFailures: 0,
      inconclusiveSince: null,
    });
    expect(result.reason).toBe('passed; baking 60 of 300 s');
  });
});

describe('decideStep: inconclusive verdicts (stall after 1800 s)', () => {
  it.each([
    ['first inconclusive: the run starts now', null, 60, 'hold', 60],
    ['inconclusive for 1,799 s', 0, 1799, 'hold', 0],
    ['inconclusive for exactly 1,800 s', 0, 1800, 'stalled', 0],
    ['inconclusive for an hour', 0, 3600, 'stalled', 0],
  ] as const)('%s → %s', (_name, since, now, decision, sinceAfter) => {
    const result = decide({
      verdict: verdict('inconclusive'),
      inconclusiveSince: since === null ? null : at(since),
      now: at(now),
      consecutiveFailures: 1,
      isLastStep: true,
    });
    expect(result).toMatchObject({
      decision,
      consecutiveFailures: 1,
      inconclusiveSince: at(sinceAfter),
    });
  });

  it('stalls at once with maxInconclusiveSeconds 0', () => {
    const t = { ...thresholds, maxInconclusiveSeconds: 0 };
    expect(decide({ verdict: verdict('inconclusive'), thresholds: t }).decision).toBe('stalled');
  });

  it('never counts as a failure, and never promotes even after the bake time on the last step', () => {
    const result = decide({ verdict: verdict('inconclusive'), now: at(900), isLastStep: true });
    expect(result).toMatchObject({ decision: 'hold', consecutiveFailures: 0 });
  });

  it('never rolls back by itself when stalled, even one failure below the limit', () => {
    const result = decide({
      verdict: verdict('inconclusive'),
      consecutiveFailures: 1,
      inconclusiveSince: at(0),
      now: at(7200),
    });
    expect(result.decision).toBe('stalled');
    expect(result.reason).toMatch(
      /^stalled: inconclusive for 7200 s since 2025-03-01T10:00:00\.000Z/,
    );
  });
});

describe('decideStep: sequences of ticks', () => {
  /** Folds verdicts one minute apart from the step start, as the state machine does. */
  function run(outcomes: Array<Outcome | 'critical'>): string[] {
    let failures = 0;
    let since: Date | null = null;
    return outcomes.map((o, i) => {
      const r = decide({
        verdict: o === 'critical' ? verdict('fail', true) : verdict(o),
        consecutiveFailures: failures,
        inconclusiveSince: since,
        now: at(60 * (i + 1)),
      });
      failures = r.consecutiveFailures;
      since = r.inconclusiveSince;
      return `${r.decision}:${failures}`;
    });
  }

  it.each([
    [
      'one failure, then a pass, then a failure',
      ['fail', 'pass', 'fail'],
      ['hold:1', 'hold:0', 'hold:1'],
    ],
    ['two failures in a row', ['pass', 'fail', 'fail'], ['hold:0', 'hold:1', 'rollback:2']],
    [
      'inconclusive between failures keeps the count',
      ['fail', 'inconclusive', 'fail'],
      ['hold:1', 'hold:1', 'rollback:2'],
    ],
    [
      'inconclusive never counts',
      ['inconclusive', 'inconclusive', 'inconclusive'],
      ['hold:0', 'hold:0', 'hold:0'],
    ],
    ['critical after passes', ['pass', 'pass', 'critical'], ['hold:0', 'hold:0', 'rollback:1']],
    [
      'bake reached while passing',
      ['pass', 'pass', 'pass', 'pass', 'pass'],
      ['hold:0', 'hold:0', 'hold:0', 'hold:0', 'advance:0'],
    ],
  ] as const)('%s', (_name, outcomes, decisions) => {
    expect(run([...outcomes])).toEqual(decisions);
  });
});
