import { describe, expect, it } from 'vitest';
import { classifyAnswer } from '../../local/demo/answers.js';
import { PLAIN, formatBar, formatCheck } from '../../local/demo/format.js';
import { problemsOf } from '../../local/demo/outcome.js';
import { ScenarioDriver } from '../../local/demo/scenario-driver.js';
import { SCENARIO_NAMES, SCENARIOS, scenarioFor } from '../../local/demo/scenarios.js';
import { emptySummary } from '../../local/demo/traffic.js';
import type { DeploymentEvent } from '../../shared/schemas/events.js';
import type { CheckResult } from '../../shared/schemas/release.js';

describe('classifyAnswer', () => {
  it.each([
    [200, '{"leakage_probability":0.6,"model_version":"2.0.0"}', { kind: 'ok', version: '2.0.0' }],
    [503, '{"error":"model temporarily unavailable"}', { kind: 'injected' }],
    [
      503,
      'revision r is not available',
      { kind: 'failed', detail: '503 revision r is not available' },
    ],
    [
      502,
      'upstream connect error: ECONNREFUSED',
      { kind: 'failed', detail: '502 upstream connect error: ECONNREFUSED' },
    ],
    [
      200,
      '{"status":"ok"}',
      { kind: 'failed', detail: '200 without model_version: {"status":"ok"}' },
    ],
  ])('%i %s', (status, body, answer) => {
    expect(classifyAnswer(status, body)).toEqual(answer);
  });
});

const check = (c: Partial<CheckResult> & Pick<CheckResult, 'check' | 'outcome'>): CheckResult => ({
  observed: null,
  baseline: null,
  limit: null,
  samples: 0,
  critical: false,
  interval: null,
  boundary: null,
  needed: null,
  blocking: true,
  reason: 'no data',
  ...c,
});

describe('formatCheck', () => {
  it.each([
    [
      check({ check: 'error-rate', outcome: 'pass', observed: 0, limit: 0.02, samples: 412 }),
      '✓ 5xx   0.00% ≤ 2.00% (412 req)',
    ],
    [
      check({
        check: 'p95-latency',
        outcome: 'fail',
        observed: 183.4,
        baseline: 110,
        limit: 121,
        samples: 40,
      }),
      '✗ p95   183 ms > 121 ms (blue 110 ms, 40 req)',
    ],
    [
      check({
        check: 'prediction-drift',
        outcome: 'pass',
        observed: 0.66,
        baseline: 0.6,
        limit: 0.12,
        samples: 9,
      }),
      '✓ drift 0.660 vs blue 0.600: +10.0% ≤ ±20.0%',
    ],
    [
      check({ check: 'error-rate', outcome: 'inconclusive', reason: 'only 6 green requests' }),
      '? 5xx   only 6 green requests',
    ],
  ])('%#', (input, line) => {
    expect(formatCheck(input, PLAIN)).toBe(line);
  });
});

describe('formatBar', () => {
  it('puts blue left and green right with their percents', () => {
    const bar = formatBar(
      { '1.0.0': 90, '2.0.0': 10 },
      { '1.0.0': 'blue', '2.0.0': 'green' },
      PLAIN,
      10,
    );
    expect(bar).toBe('blue 1.0.0   90% █████████░  10% 2.0.0  green');
  });
});

describe('problemsOf', () => {
  const base = {
    expected: { phase: 'rolled-back' as const, trigger: 'analysis' as const, serving: '1.0.0' },
    phase: 'rolled-back' as const,
    trigger: 'analysis' as const,
    superseded: false,
    injectsErrors: true,
  };
  it('has none when the phase, trigger, served version and failures are as expected', () => {
    const served = { ...emptySummary(), sent: 100, ok: 100, byVersion: { '1.0.0': 100 } };
    const traffic = {
      ...emptySummary(),
      sent: 300,
      ok: 290,
      injected: 10,
      byVersion: { '1.0.0': 290 },
    };
    expect(problemsOf({ ...base, served, traffic })).toEqual([]);
  });
  it('names a candidate that served users when the replay should have stopped it first', () => {
    const traffic = {
      ...emptySummary(),
      sent: 30,
      ok: 27,
      injected: 3,
      byVersion: { '1.0.0': 27 },
    };
    expect(
      problemsOf({
        ...base,
        expected: SCENARIOS.errors.expected,
        trigger: 'shadow',
        served: null,
        traffic,
        candidateUserRequests: 3,
      }),
    ).toEqual([
      'green served 3 user requests, expected at most 0',
      '3 injected 503s, but no candidate injects errors',
    ]);
  });
  it('names a wrong trigger, a wrong served version and a failure nobody injected', () => {
    const served = { ...emptySummary(), sent: 100, ok: 100, byVersion: { '2.0.0': 100 } };
    const traffic = {
      ...emptySummary(),
      sent: 10,
      failed: 1,
      failures: ['502 upstream connect error'],
    };
    expect(problemsOf({ ...base, trigger: 'alert', served, traffic })).toEqual([
      'ended rolled-back (alert), expected rolled-back (analysis)',
      'router serves 0 of 100 requests from 1.0.0 (others: 2.0.0 ×100)',
      '1 requests failed without an injected fault: 502 upstream connect error',
    ]);
  });
});

describe('ScenarioDriver', () => {
  const slot = (revision: string, digest: string, color: 'blue' | 'green') => ({
    revision,
    image: `host/p/r/m@${digest}`,
    color,
  });
  const common = {
    service: 's',
    step: null,
    percent: 0,
    at: '2026-01-01T00:00:00Z',
    verdict: null,
  };

  it('waits for the step, asks for the rollback, and ends with the release of its push', async () => {
    const done: string[] = [];
    const driver = new ScenarioDriver(SCENARIOS.manual, {
      push: async (tag) => (done.push(`push ${tag}`), { digest: 'sha256:2' }),
      requestRollback: async (mode) => void done.push(`rollback ${mode}`),
    });
    await driver.advance();
    expect(done).toEqual(['push 2.0.0']);
    const events: DeploymentEvent[] = [
      {
        ...common,
        type: 'release.provisioned',
        releaseId: 'r2',
        candidate: slot('g', 'sha256:2', 'green'),
        stable: slot('b', 'sha256:1', 'blue'),
      },
      { ...common, type: 'release.step-started', releaseId: 'r2', step: 0, percent: 10 },
    ];
    for (const e of events) driver.observe(e);
    await driver.advance();
    expect(done).toEqual(['push 2.0.0', 'rollback traffic']);
    expect(driver.finished).toBe(false);
    driver.observe({
      ...common,
      type: 'release.rolled-back',
      releaseId: 'other',
      trigger: 'analysis',
      reason: '',
      requestedBy: null,
      stable: slot('b', 'sha256:1', 'blue'),
      smoke: null,
      failedChecks: [],
    });
    expect(driver.finished).toBe(false);
    driver.observe({
      ...common,
      type: 'release.rolled-back',
      releaseId: 'r2',
      trigger: 'manual-traffic',
      reason: 'demo',
      requestedBy: 'cutover-demo',
      stable: slot('b', 'sha256:1', 'blue'),
      smoke: null,
      failedChecks: [],
    });
    expect(driver.end?.type).toBe('release.rolled-back');
  });

  it('ends early when the release ends before the event the script waits for', async () => {
    const driver = new ScenarioDriver(SCENARIOS.manual, {
      push: async () => ({ digest: 'sha256:2' }),
      requestRollback: async () => undefined,
    });
    await driver.advance();
    driver.observe({
      ...common,
      type: 'release.provisioned',
      releaseId: 'r2',
      candidate: slot('g', 'sha256:2', 'green'),
      stable: slot('b', 'sha256:1', 'blue'),
    });
    driver.observe({
      ...common,
      type: 'release.rolled-back',
      releaseId: 'r2',
      trigger: 'smoke',
      reason: 'shape',
      requestedBy: null,
      stable: slot('b', 'sha256:1', 'blue'),
      smoke: null,
      failedChecks: [],
    });
    expect(driver.end).toMatchObject({ trigger: 'smoke' });
  });
});

describe('scenarioFor', () => {
  it('with Prometheus, turns the replay off where it would decide, so the analysis does', () => {
    for (const name of ['errors', 'latency', 'drift'] as const) {
      expect(SCENARIOS[name].expected.trigger).toBe('shadow');
      expect(scenarioFor(name, 'prometheus')).toMatchObject({
        shadow: false,
        expected: { phase: 'rolled-back', trigger: 'analysis', serving: '1.0.0' },
      });
    }
    for (const name of SCENARIO_NAMES) {
      expect(scenarioFor(name)).toBe(SCENARIOS[name]);
      if (SCENARIOS[name].expected.trigger !== 'shadow')
        expect(scenarioFor(name, 'prometheus')).toBe(SCENARIOS[name]);
    }
  });
});
