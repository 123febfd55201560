import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.js';
import { initialRecord, transition } from '../../../shared/domain/release-machine.js';
import type { ReleaseInput } from '../../../shared/domain/release-input.js';
import { ServiceRecord, type Verdict } from '../../../shared/schemas/release.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const V1 = `${REPO}@sha256:${'1'.repeat(64)}`;
const V2 = `${REPO}@sha256:${'2'.repeat(64)}`;
const config = parseConfig({ services: [{ service: SERVICE, image: REPO, steps: [10, 100] }] })
  .services[0]!;
const at = (s: number) => new Date(Date.parse('2026-12-01T10:00:00Z') + s * 1000);

function verdict(outcome: Verdict['outcome']): Verdict {
  return {
    outcome,
    critical: false,
    looks: { fail: 1, pass: 1 },
    advice: null,
    at: at(3).toISOString(),
    window: { start: at(-60).toISOString(), end: at(-1).toISOString() },
    checks: [
      {
        check: 'shadow-error-rate',
        outcome,
        observed: 0.1,
        baseline: 0,
        limit: 0.02,
        samples: 100,
        critical: false,
        interval: null,
        boundary: null,
        needed: null,
        blocking: true,
        reason: 'green alone failed 10 of 100 replayed requests',
      },
    ],
  };
}

/** The record after push and readiness, then the smoke result with the given replay verdict. */
function smokeWith(shadow: Verdict | null, passed = true) {
  let record = initialRecord({ revision: 'leakage-00001-abc', image: V1 });
  const inputs: Array<[ReleaseInput, number]> = [
    [{ type: 'push', releaseId: 'r1', image: V2, tag: '2.0.0' }, 0],
    [{ type: 'candidate-ready', releaseId: 'r1' }, 1],
  ];
  for (const [input, s] of inputs)
    record = transition(record, input, { config, now: at(s) }).record;
  const smoke = { passed, checks: [{ name: 'shadow replay', passed, detail: 'x' }] };
  const t = transition(
    record,
    { type: 'smoke-result', releaseId: 'r1', smoke, shadow },
    { config, now: at(3) },
  );
  return { ...t, record: ServiceRecord.parse(t.record) };
}

describe('the shadow replay in the release machine', () => {
  it('a failing replay rolls back before any user traffic (trigger shadow), its verdict recorded', () => {
    const t = smokeWith(verdict('fail'));
    expect(t.record.release).toMatchObject({
      phase: 'rolled-back',
      trigger: 'shadow',
      reason:
        'shadow replay failed: shadow-error-rate: green alone failed 10 of 100 replayed requests',
      lastVerdict: verdict('fail'),
    });
    expect(t.record.failedImages).toEqual([V2]);
    const update = t.commands.find((c) => c.kind === 'update-service');
    expect(update).toMatchObject({
      traffic: expect.arrayContaining([
        { revision: 'leakage-00001-abc', percent: 100, tag: 'blue' },
        { revision: 'leakage-r1', percent: 0, tag: 'green' },
      ]) as unknown,
    });
    const event = t.commands.find((c) => c.kind === 'publish');
    expect(event).toMatchObject({
      event: {
        type: 'release.rolled-back',
        trigger: 'shadow',
        percent: 0,
        verdict: verdict('fail'),
        failedChecks: verdict('fail').checks,
      },
    });
  });

  it('the replay’s failure is the reason even when the smoke summary failed with it', () => {
    expect(smokeWith(verdict('fail'), false).record.release).toMatchObject({ trigger: 'shadow' });
    expect(smokeWith(null, false).record.release).toMatchObject({ trigger: 'smoke' });
  });

  it.each(['pass', 'inconclusive'] as const)(
    'a %s replay starts the first step and publishes its verdict with smoke-passed',
    (outcome) => {
      const t = smokeWith(verdict(outcome));
      expect(t.record.release).toMatchObject({ phase: 'shifting', step: { percent: 10 } });
      const passed = t.commands.find(
        (c) => c.kind === 'publish' && c.event.type === 'release.smoke-passed',
      );
      expect(passed).toMatchObject({ event: { verdict: verdict(outcome) } });
    },
  );

  it('no replay (null) shifts as before', () => {
    expect(smokeWith(null).record.release?.phase).toBe('shifting');
  });
});
