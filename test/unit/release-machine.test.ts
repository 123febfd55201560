import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import type { Command } from '../../shared/domain/commands.js';
import { measured, silentRevision, type RevisionMetrics } from '../../shared/domain/measurement.js';
import { lognormalHistogram, predictionMoments } from '../../local/sim/synthetic.js';
import {
  activeRelease,
  initialRecord,
  transition,
  type ReleaseInput,
  type Transition,
} from '../../shared/domain/release-machine.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import { ServiceRecord as ServiceRecordSchema } from '../../shared/schemas/release.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const V1 = `${REPO}@sha256:${'1'.repeat(64)}`;
const V2 = `${REPO}@sha256:${'2'.repeat(64)}`;
const V3 = `${REPO}@sha256:${'3'.repeat(64)}`;

const config = (over: Record<string, unknown> = {}) =>
  parseConfig({
    services: [
      {
        service: SERVICE,
        image: REPO,
        steps: [10, 50, 100],
        bakeSeconds: 60,
        monitoringLagSeconds: 0,
        colors: {
          blue: { env: { BUCKET: 'logs-blue' } },
          green: { env: { BUCKET: 'logs-green' } },
        },
        ...over,
      },
    ],
  }).services[0]!;

const T0 = Date.parse('2026-11-28T10:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

function metrics(
  o: { requests?: number; errors?: number; p95?: number; prediction?: number } = {},
): RevisionMetrics {
  const requests = o.requests ?? 1000;
  return {
    requests: measured({ requests, errors5xx: o.errors ?? 0 }),
    latencyMs: measured(lognormalHistogram(requests, o.p95 ?? 100)),
    prediction: measured(predictionMoments(requests, o.prediction ?? 0.5)),
  };
}
const silent: RevisionMetrics = silentRevision('none');

/** Drives the machine step by step, keeping the record and every command, like the use cases do. */
class Scenario {
  record: ServiceRecord = initialRecord({ revision: 'leakage-00001-abc', image: V1 });
  last!: Transition;
  commands: Command[] = [];
  constructor(readonly cfg = config()) {}

  send(input: ReleaseInput, seconds: number): this {
    this.last = transition(this.record, input, { config: this.cfg, now: at(seconds) });
    // The record must always survive the persisted schema (it is written to annotations).
    this.record = ServiceRecordSchema.parse(this.last.record);
    this.commands.push(...this.last.commands);
    return this;
  }
  get phase() {
    return this.record.release?.phase ?? 'none';
  }
  get id() {
    return this.record.release!.id;
  }
  get step() {
    const r = this.record.release;
    return r?.phase === 'shifting' ? r.step.index : null;
  }
  traffic() {
    const updates = this.last.commands.filter((c) => c.kind === 'update-service');
    return updates.at(-1)?.kind === 'update-service' ? updates.at(-1)!.traffic : null;
  }
  events() {
    return this.last.commands.flatMap((c) => (c.kind === 'publish' ? [c.event.type] : []));
  }
  /** The evidence window opens at the step's start (monitoringLagSeconds is 0 here). */
  stepStart(): Date {
    const r = this.record.release;
    return r?.phase === 'shifting' ? new Date(r.step.startedAt) : at(0);
  }
  tick(seconds: number, green = metrics(), blue = metrics()): this {
    return this.send(
      {
        type: 'analysis',
        releaseId: this.id,
        step: this.step!,
        blue,
        green,
        window: { start: this.stepStart(), end: at(seconds) },
      },
      seconds,
    );
  }
  toShifting(image = V2, id = 'r1'): this {
    this.send({ type: 'push', releaseId: id, image, tag: '2.0.0' }, 0);
    this.send({ type: 'candidate-ready', releaseId: id }, 1);
    return this.send(
      { type: 'smoke-result', releaseId: id, smoke: { passed: true, checks: [] } },
      2,
    );
  }
}

describe('release state machine: a healthy release', () => {
  it('walks provisioning → smoke-testing → shifting(each step) → promoted', () => {
    const s = new Scenario();
    s.send({ type: 'push', releaseId: 'r1', image: V2, tag: '2.0.0' }, 0);
    expect(s.phase).toBe('provisioning');
    const deploy = s.last.commands[0];
    expect(deploy).toMatchObject({
      kind: 'update-service',
      traffic: [
        { revision: 'leakage-00001-abc', percent: 100, tag: 'blue' },
        { revision: 'leakage-r1', percent: 0, tag: 'green' },
        { revision: 'leakage-r1', percent: 0, tag: 'api-v2' },
      ],
      deploy: {
        revision: 'leakage-r1',
        from: 'leakage-00001-abc',
        image: V2,
        env: { BUCKET: 'logs-green' },
        color: 'green',
      },
    });

    s.send({ type: 'candidate-ready', releaseId: 'r1' }, 30);
    expect(s.phase).toBe('smoke-testing');
    expect(s.events()).toEqual(['release.provisioned']);

    s.send({ type: 'smoke-result', releaseId: 'r1', smoke: { passed: true, checks: [] } }, 40);
    expect([s.phase, s.step]).toEqual(['shifting', 0]);
    expect(s.traffic()).toEqual([
      { revision: 'leakage-00001-abc', percent: 90, tag: 'blue' },
      { revision: 'leakage-r1', percent: 10, tag: 'green' },
      { revision: 'leakage-r1', percent: 0, tag: 'api-v2' },
    ]);
    expect(s.events()).toEqual(['release.smoke-passed', 'release.step-started']);

    s.tick(70); // passing, but the step has baked 30 s of 60
    expect([s.phase, s.step, s.events()]).toEqual(['shifting', 0, ['release.verdict']]);
    s.tick(100);
    expect([s.step, s.traffic()?.[1]?.percent]).toEqual([1, 50]);
    s.tick(160);
    expect([s.step, s.traffic()?.[1]?.percent]).toEqual([2, 100]);
    s.tick(220);
    expect(s.phase).toBe('promoted');
    expect(s.record.stable).toEqual({
      revision: 'leakage-r1',
      image: V2,
      color: 'green',
      version: 'v2',
    });
    expect(s.traffic()).toEqual([
      { revision: 'leakage-r1', percent: 100, tag: 'green' },
      { revision: 'leakage-00001-abc', percent: 0, tag: 'blue' },
      { revision: 'leakage-r1', percent: 0, tag: 'api-v2' },
    ]);
    expect(s.last.commands).toContainEqual({
      kind: 'tag-image',
      image: V1,
      tag: 'rollback-20261128T100340Z',
    });
    expect(s.events()).toEqual(['release.promoted']);
    expect(s.record.history[0]).toMatchObject({ id: 'r1', phase: 'promoted' });
  });

  it('alternates colors: the next candidate after a promotion is blue', () => {
    const s = new Scenario(config({ steps: [100], bakeSeconds: 0 }));
    s.toShifting().tick(10);
    expect(s.phase).toBe('promoted');
    s.send({ type: 'push', releaseId: 'r2', image: V3, tag: '3.0.0' }, 20);
    expect(s.record.release?.candidate).toEqual({
      revision: 'leakage-r2',
      image: V3,
      color: 'blue',
      version: 'v3',
    });
    expect(s.last.commands[0]).toMatchObject({
      deploy: { env: { BUCKET: 'logs-blue' }, from: 'leakage-r1' },
    });
  });
});

describe('release state machine: every rollback trigger ends with 100% on the stable', () => {
  // The candidate keeps its color tag at 0%; its version tag (api-v2) now points at the stable.
  const stableOnly = [
    { revision: 'leakage-00001-abc', percent: 100, tag: 'blue' },
    { revision: 'leakage-r1', percent: 0, tag: 'green' },
    { revision: 'leakage-00001-abc', percent: 0, tag: 'api-v2' },
  ];

  it.each([
    [
      '5xx over the limit (failureLimit 1: the first failing verdict)',
      (s: Scenario) => s.tick(70, metrics({ errors: 60 })),
      'analysis',
    ],
    ['critical 5xx at once', (s: Scenario) => s.tick(70, metrics({ errors: 200 })), 'analysis'],
    ['p95 slower than blue', (s: Scenario) => s.tick(70, metrics({ p95: 200 })), 'analysis'],
    ['prediction drift', (s: Scenario) => s.tick(70, metrics({ prediction: 0.9 })), 'analysis'],
    [
      'an alert',
      (s: Scenario) =>
        s.send(
          { type: 'alert', incidentId: 'i-1', policy: 'p95', revision: null, startedAt: null },
          70,
        ),
      'alert',
    ],
    [
      'a manual traffic rollback',
      (s: Scenario) =>
        s.send({ type: 'rollback-traffic', reason: 'looks off', requestedBy: 'ana' }, 70),
      'manual-traffic',
    ],
  ])('%s', (_name, drive, trigger) => {
    const s = new Scenario().toShifting();
    drive(s);
    expect(s.phase).toBe('rolled-back');
    expect(s.record.release).toMatchObject({ trigger });
    expect(s.traffic()).toEqual(stableOnly);
    expect(s.record.failedImages).toEqual([V2]);
    expect(s.events()).toEqual(['release.rolled-back']);
  });

  it('a failed smoke test rolls back before any traffic moved', () => {
    const s = new Scenario();
    s.send({ type: 'push', releaseId: 'r1', image: V2, tag: '2.0.0' }, 0).send(
      { type: 'candidate-ready', releaseId: 'r1' },
      1,
    );
    s.send(
      {
        type: 'smoke-result',
        releaseId: 'r1',
        smoke: {
          passed: false,
          checks: [
            { name: 'shape /predict', passed: false, detail: 'missing key leakage_probability' },
          ],
        },
      },
      2,
    );
    expect(s.record.release).toMatchObject({
      phase: 'rolled-back',
      trigger: 'smoke',
      reason: 'smoke test failed: shape /predict: missing key leakage_probability',
    });
    expect(s.traffic()).toEqual(stableOnly);
  });

  it('a candidate that never becomes ready is rolled back without a traffic target', () => {
    const s = new Scenario();
    s.send({ type: 'push', releaseId: 'r1', image: V2, tag: '2.0.0' }, 0).send(
      { type: 'candidate-failed', releaseId: 'r1', reason: 'container exited 1' },
      5,
    );
    expect(s.record.release).toMatchObject({ phase: 'rolled-back', trigger: 'provision-failed' });
    expect(s.traffic()).toEqual([{ revision: 'leakage-00001-abc', percent: 100, tag: 'blue' }]);
  });

  it('a container rollback redeploys the rollback image at 100% as the new stable and asks Terraform to sync', () => {
    const s = new Scenario().toShifting();
    const image = `${REPO}@sha256:${'0'.repeat(64)}`;
    s.send(
      {
        type: 'rollback-container',
        id: 'op1',
        image,
        tag: 'rollback-20261101T000000Z',
        revision: 'leakage-rb-op1',
        reason: 'bad model',
        requestedBy: 'ana',
      },
      70,
    );
    expect(s.record.stable).toEqual({ revision: 'leakage-rb-op1', image, color: 'blue' });
    expect(s.record.release).toMatchObject({
      id: 'r1',
      phase: 'rolled-back',
      trigger: 'manual-container',
      requestedBy: 'ana',
    });
    expect(s.traffic()).toEqual([{ revision: 'leakage-rb-op1', percent: 100, tag: 'blue' }]);
    expect(s.last.commands[0]).toMatchObject({
      deploy: { revision: 'leakage-rb-op1', from: 'leakage-00001-abc', image },
    });
    expect(s.events()).toEqual(['release.rolled-back', 'terraform.sync-requested']);
  });

  it('a container rollback with no active release still restores the image', () => {
    const s = new Scenario();
    const image = `${REPO}@sha256:${'0'.repeat(64)}`;
    s.send(
      {
        type: 'rollback-container',
        id: 'op1',
        image,
        tag: 'rollback-x',
        revision: 'leakage-rb-op1',
        reason: 'r',
        requestedBy: 'ana',
      },
      1,
    );
    expect(s.record.stable.revision).toBe('leakage-rb-op1');
    expect(s.record.release).toMatchObject({
      id: 'op1',
      phase: 'rolled-back',
      trigger: 'manual-container',
    });
  });

  const containerRollback = (s: Scenario) =>
    s.send(
      {
        type: 'rollback-container',
        id: 'op1',
        image: `${REPO}@sha256:${'0'.repeat(64)}`,
        tag: 'rollback-x',
        revision: 'leakage-rb-op1',
        reason: 'bad model',
        requestedBy: 'ana',
      },
      70,
    );

  it('a container rollback whose revision does not start puts the stable back, and says so', () => {
    const s = new Scenario();
    const before = s.record.stable;
    containerRollback(s);
    expect(s.last.onDeployFailure).toEqual({
      type: 'container-rollback-failed',
      operationId: 'op1',
      revision: 'leakage-rb-op1',
    });
    s.send({ ...s.last.onDeployFailure!, reason: 'container exited 1' }, 75);
    expect(s.record.stable).toEqual(before);
    expect(s.record.previousStables ?? []).toEqual([]);
    expect(s.record.release).toMatchObject({ id: 'op1', phase: 'rolled-back' });
    expect(s.record.release).toMatchObject({
      container: { revision: 'leakage-rb-op1', failed: expect.stringMatching(/did not start/) },
    });
    // Traffic was not moved by the failed deploy: nothing to write; the person is told.
    expect(s.traffic()).toBeNull();
    expect(s.events()).toEqual(['release.failed']);
    const failed = s.last.commands[0];
    expect(failed).toMatchObject({ kind: 'publish', event: { type: 'release.failed' } });
    expect(failed?.kind === 'publish' && 'error' in failed.event && failed.event.error).toMatch(
      /revision leakage-rb-op1 did not start \(container exited 1\); leakage-00001-abc keeps serving\. Fix the image/,
    );
    // A second report of the same failure changes nothing.
    const again = { operationId: 'op1', revision: 'leakage-rb-op1', reason: 'again' };
    s.send({ type: 'container-rollback-failed', ...again }, 80);
    expect(s.last.ignored).toMatch(/not in flight/);
  });

  it('a failed container rollback during a release leaves that release rolled back onto the stable', () => {
    const s = new Scenario().toShifting();
    containerRollback(s);
    s.send({ ...s.last.onDeployFailure!, reason: 'container exited 1' }, 75);
    expect(s.record.stable.revision).toBe('leakage-00001-abc');
    expect(s.record.failedImages).toContain(V2);
    expect(s.traffic()).toEqual([{ revision: 'leakage-00001-abc', percent: 100, tag: 'blue' }]);
    expect(s.events()).toEqual(['release.rolled-back', 'release.failed']);
  });
});

describe('release state machine: judging holds', () => {
  it('inconclusive never promotes nor counts as a failure, and stalls after maxInconclusiveSeconds', () => {
    const s = new Scenario(config({ thresholds: { maxInconclusiveSeconds: 600 } })).toShifting();
    s.tick(100, silent, silent);
    expect([s.phase, s.step]).toEqual(['shifting', 0]);
    s.tick(700, silent, silent);
    expect(s.record.release).toMatchObject({
      phase: 'shifting',
      stalled: true,
      consecutiveFailures: 0,
    });
    expect(s.last.commands).toEqual([
      expect.objectContaining({
        kind: 'publish',
        event: expect.objectContaining({ type: 'release.verdict', decision: 'stalled' }),
      }),
    ]);
  });

  it('failureLimit 2: one failing tick then a passing one resets the failure count', () => {
    const s = new Scenario(config({ thresholds: { failureLimit: 2 } })).toShifting();
    s.tick(30, metrics({ errors: 60 }));
    expect(s.record.release).toMatchObject({ consecutiveFailures: 1 });
    s.tick(40);
    expect(s.record.release).toMatchObject({ phase: 'shifting', consecutiveFailures: 0 });
  });

  it('failureLimit 2: the second failing verdict in a row rolls back', () => {
    const s = new Scenario(config({ thresholds: { failureLimit: 2 } })).toShifting();
    s.tick(70, metrics({ p95: 200 }));
    expect(s.phase).toBe('shifting');
    s.tick(80, metrics({ p95: 200 }));
    expect(s.phase).toBe('rolled-back');
  });

  it('a pass holds for the rest of its step, but not across a pause: resume judges afresh', () => {
    const s = new Scenario().toShifting();
    s.tick(30); // every check passes; the 60 s bake is not done, so the step holds
    const step = () => (s.record.release?.phase === 'shifting' ? s.record.release.step : null);
    expect(step()).toMatchObject({
      index: 0,
      passed: ['error-rate', 'p95-latency', 'prediction-drift'],
    });
    s.send({ type: 'pause', requestedBy: 'ana' }, 40);
    expect(step()?.passed).toHaveLength(3);
    s.send({ type: 'resume', requestedBy: 'ana' }, 50);
    expect(step()?.passed).toBeUndefined();
  });

  it('pause stops judging; resume restarts the bake; promote ends it at once', () => {
    const s = new Scenario().toShifting();
    s.send({ type: 'pause', requestedBy: 'ana' }, 10);
    expect(s.events()).toEqual(['release.paused']);
    s.tick(100);
    expect(s.last.ignored).toBe('release r1 is paused');
    s.send({ type: 'resume', requestedBy: 'ana' }, 110);
    s.tick(150);
    expect(s.step).toBe(0);
    s.send({ type: 'promote', requestedBy: 'ana' }, 160);
    expect(s.phase).toBe('promoted');
  });
});

describe('release state machine: duplicates, stale and out-of-order events change nothing', () => {
  const run = () => new Scenario().toShifting();

  it.each<[string, (s: Scenario) => ReleaseInput]>([
    [
      'a duplicate push of the candidate',
      () => ({ type: 'push', releaseId: 'r9', image: V2, tag: '2.0.0' }),
    ],
    [
      'a push of the stable image',
      () => ({ type: 'push', releaseId: 'r9', image: V1, tag: '1.0.0' }),
    ],
    ['a duplicate candidate-ready', () => ({ type: 'candidate-ready', releaseId: 'r1' })],
    [
      'a duplicate candidate-failed',
      () => ({ type: 'candidate-failed', releaseId: 'r1', reason: 'x' }),
    ],
    [
      'a duplicate smoke result',
      () => ({ type: 'smoke-result', releaseId: 'r1', smoke: { passed: false, checks: [] } }),
    ],
    [
      'an analysis of another step',
      () => ({
        type: 'analysis',
        releaseId: 'r1',
        step: 2,
        blue: metrics(),
        green: metrics({ errors: 500 }),
        window: { start: at(0), end: at(1) },
      }),
    ],
    [
      'an event of another release',
      () =>
        ({
          type: 'alert',
          incidentId: 'i',
          policy: null,
          revision: null,
          startedAt: null,
          releaseId: 'r0',
        }) as ReleaseInput,
    ],
    [
      'an analysis of an older release',
      () => ({
        type: 'analysis',
        releaseId: 'r0',
        step: 0,
        blue: metrics(),
        green: metrics({ errors: 500 }),
        window: { start: at(0), end: at(1) },
      }),
    ],
  ])('%s', (_name, input) => {
    const s = run();
    const before = s.record;
    s.send(input(s), 50);
    expect(s.last.ignored).not.toBeNull();
    expect(s.last.commands).toEqual([]);
    expect(s.record).toEqual(before);
  });

  it('a second alert after the revert is ignored: traffic moved once', () => {
    const s = run();
    s.send({ type: 'alert', incidentId: 'i-1', policy: null, revision: null, startedAt: null }, 50);
    const moves = s.commands.filter((c) => c.kind === 'update-service').length;
    s.send({ type: 'alert', incidentId: 'i-1', policy: null, revision: null, startedAt: null }, 51);
    expect(s.last.ignored).toMatch(/no active release/);
    expect(s.commands.filter((c) => c.kind === 'update-service')).toHaveLength(moves);
  });

  it('a push of an image that failed before is ignored', () => {
    const s = run();
    s.send(
      { type: 'alert', incidentId: 'i', policy: null, revision: null, startedAt: null },
      50,
    ).send({ type: 'push', releaseId: 'r2', image: V2, tag: '2.0.1' }, 60);
    expect(s.last.ignored).toMatch(/failed an earlier release/);
  });

  it('an analysis arriving before the smoke result (out of order) waits for nothing and moves nothing', () => {
    const s = new Scenario();
    s.send({ type: 'push', releaseId: 'r1', image: V2, tag: '2' }, 0).send(
      { type: 'candidate-ready', releaseId: 'r1' },
      1,
    );
    s.send(
      {
        type: 'analysis',
        releaseId: 'r1',
        step: 0,
        blue: metrics(),
        green: metrics(),
        window: { start: at(0), end: at(1) },
      },
      2,
    );
    expect(s.last.ignored).toMatch(/not shifting/);
    expect(s.phase).toBe('smoke-testing');
  });
});

describe('release state machine: a push during a release', () => {
  it('supersedes it: the old release ends, the new candidate takes the candidate slot at 0%', () => {
    const s = new Scenario().toShifting();
    s.send({ type: 'push', releaseId: 'r2', image: V3, tag: '3.0.0' }, 50);
    expect(s.record.release).toMatchObject({
      id: 'r2',
      phase: 'provisioning',
      candidate: { revision: 'leakage-r2', color: 'green' },
    });
    expect(s.record.history[0]).toMatchObject({ id: 'r1', phase: 'superseded' });
    expect(s.traffic()).toEqual([
      { revision: 'leakage-00001-abc', percent: 100, tag: 'blue' },
      { revision: 'leakage-r2', percent: 0, tag: 'green' },
      { revision: 'leakage-r2', percent: 0, tag: 'api-v3' },
    ]);
    expect(s.events()).toEqual(['release.superseded']);
    expect(activeRelease(s.record)?.id).toBe('r2');
  });

  it('is rejected when configured so, and says so in an event', () => {
    const s = new Scenario(config({ onPushDuringRelease: 'reject' })).toShifting();
    s.send({ type: 'push', releaseId: 'r2', image: V3, tag: '3.0.0' }, 50);
    expect(s.last.ignored).toMatch(/rejected/);
    expect(s.events()).toEqual(['release.rejected']);
    expect(s.record.release?.id).toBe('r1');
  });
});

describe('release state machine: an incident is judged by the revision it names', () => {
  const BLUE = 'leakage-00001-abc';
  const GREEN = 'leakage-r1';
  const stableOnly = [
    { revision: BLUE, percent: 100, tag: 'blue' },
    { revision: GREEN, percent: 0, tag: 'green' },
  ];
  const alert = (revision: string | null, o: { id?: string; startedAt?: number | null } = {}) =>
    ({
      type: 'alert',
      incidentId: o.id ?? 'i-1',
      policy: 'p95',
      revision,
      startedAt: o.startedAt === null ? null : at(o.startedAt ?? 60),
    }) as const;

  it('on the candidate: rolls back, naming the revision', () => {
    const s = new Scenario().toShifting().send(alert(GREEN), 70);
    expect(s.record.release).toMatchObject({ phase: 'rolled-back', trigger: 'alert' });
    expect(s.record.release && 'reason' in s.record.release && s.record.release.reason).toContain(
      `candidate revision ${GREEN}`,
    );
    expect(s.traffic()?.slice(0, 2)).toEqual(stableOnly);
  });

  it('on the stable: holds the release; it passes every step but is not promoted until the incident closes', () => {
    const s = new Scenario().toShifting();
    s.send(alert(BLUE), 50);
    expect([s.phase, s.events()]).toEqual(['shifting', ['release.promotion-held']]);
    expect(s.traffic()).toBeNull();
    s.send(alert(BLUE), 55);
    expect(s.last.ignored).toMatch(/already held/);
    s.tick(100).tick(160); // both steps pass: 100% on the candidate
    expect([s.phase, s.step]).toEqual(['shifting', 2]);
    s.tick(220);
    expect([s.phase, s.events()]).toEqual(['shifting', ['release.verdict']]);
    expect(s.last.summary).toMatch(
      /not promoted: incident i-1 of policy p95 is open on the stable/,
    );
    s.send({ type: 'promote', requestedBy: 'ana' }, 225);
    expect(s.last.ignored).toMatch(/not promoted/);
    expect(s.phase).toBe('shifting');

    s.send({ type: 'incident-closed', incidentId: 'i-1' }, 230);
    expect(s.events()).toEqual(['release.promotion-hold-released']);
    s.tick(290);
    expect(s.phase).toBe('promoted');
  });

  it('a closed incident that held nothing changes nothing', () => {
    const s = new Scenario().toShifting();
    const before = s.record;
    s.send({ type: 'incident-closed', incidentId: 'i-9' }, 50);
    expect(s.last.ignored).toMatch(/held nothing/);
    expect(s.record).toEqual(before);
  });

  it.each<[string, ReturnType<typeof alert>, RegExp]>([
    ['another revision', alert('leakage-00007-old'), /neither the candidate leakage-r1 nor/],
    [
      'an incident that started before the release (a replay)',
      alert(GREEN, { startedAt: -3600 }),
      /before release r1 began .*a replay/,
    ],
  ])('%s: nothing happens, and the reason says why', (_name, input, why) => {
    const s = new Scenario().toShifting();
    const before = s.record;
    s.send(input, 70);
    expect(s.last.ignored).toMatch(why);
    expect(s.record).toEqual(before);
  });

  it('no revision: rolls back by default; incidents.withoutRevision "ignore" leaves it', () => {
    const rolled = new Scenario().toShifting().send(alert(null, { startedAt: null }), 70);
    expect(rolled.phase).toBe('rolled-back');
    const kept = new Scenario(config({ incidents: { withoutRevision: 'ignore' } }))
      .toShifting()
      .send(alert(null), 70);
    expect([kept.phase, kept.last.ignored]).toEqual([
      'shifting',
      expect.stringMatching(/withoutRevision is "ignore"/),
    ]);
  });
});
