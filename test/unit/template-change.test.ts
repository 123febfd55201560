import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { HttpSmokeProber } from '../../shared/adapters/http-smoke-prober.js';
import { parseConfig } from '../../shared/config/load.js';
import { templateRevision } from '../../shared/domain/release-template.js';
import { transition } from '../../shared/domain/release-machine.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import { advanceService } from '../../shared/usecases/advance.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { FakeBus } from '../fakes/fake-bus.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeRegistry } from '../fakes/fake-registry.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const V1 = `${REPO}@sha256:${'1'.repeat(64)}`;
const V2 = `${REPO}@sha256:${'2'.repeat(64)}`;
const config = parseConfig({
  services: [
    {
      service: SERVICE,
      image: REPO,
      steps: [100],
      colors: {
        blue: { env: { BUCKET: 'b-blue' } },
        green: { env: { BUCKET: 'b-green' }, serviceAccount: 'green@p.iam.gserviceaccount.com' },
      },
    },
  ],
}).services[0]!;

const idle: ServiceRecord = {
  stable: { revision: 'leakage-00001-abc', image: V1, color: 'blue' },
  release: null,
  failedImages: [],
  history: [],
};
const rolledBack: ServiceRecord = {
  ...idle,
  release: {
    id: 'r1',
    phase: 'rolled-back',
    candidate: { revision: 'leakage-00002-xyz', image: V2, color: 'green' },
    tag: '2.0.0',
    startedAt: '2026-11-28T09:00:00Z',
    endedAt: '2026-11-28T09:10:00Z',
    trigger: 'manual-traffic',
    reason: 'r',
    requestedBy: 'u',
    lastVerdict: null,
  },
};
const serving = (created: string, ready = created, percent = 0) => ({
  latestCreatedRevision: created,
  latestReadyRevision: ready,
  traffic: [
    { revision: 'leakage-00001-abc', percent: 100 - percent },
    ...(created === 'leakage-00001-abc' ? [] : [{ revision: created, percent }]),
  ],
});

describe('which revision is a template change to release', () => {
  it.each([
    [
      'a new ready revision at 0 % between releases',
      idle,
      serving('leakage-00003-tfm'),
      'leakage-00003-tfm',
    ],
    ['the stable itself', idle, serving('leakage-00001-abc'), null],
    [
      'the last release’s candidate (after a rollback)',
      rolledBack,
      serving('leakage-00002-xyz'),
      null,
    ],
    ['a new revision not ready yet', idle, serving('leakage-00003-tfm', 'leakage-00001-abc'), null],
    [
      'a new revision that takes traffic (out of band, not a template change)',
      idle,
      serving('leakage-00003-tfm', 'leakage-00003-tfm', 10),
      null,
    ],
  ])('%s', (_name, record, service, expected) => {
    expect(templateRevision(record, service)).toBe(expected);
  });

  it('is not the revision of a container rollback whose deploy landed, before the write naming it', () => {
    // The deploy carries the record: the stable is named as cutover asked for it, and the traffic
    // still serves the old stable until the write after the deploy.
    const rolledBackTo = transition(
      idle,
      {
        type: 'rollback-container',
        id: 'op1',
        image: V2,
        tag: 'rollback-20261128T090000Z',
        revision: 'leakage-rb-op1',
        reason: 'bad model',
        requestedBy: 'ana',
      },
      { config, now: new Date('2026-11-28T10:00:00Z') },
    ).record;
    expect(rolledBackTo.stable.revision).toBe('leakage-rb-op1');
    expect(templateRevision(rolledBackTo, serving('leakage-00004-new'))).toBeNull();
  });

  it('waits while a release is active', () => {
    const started = transition(
      idle,
      { type: 'push', releaseId: 'r2', image: V2, tag: '2.0.0' },
      { config, now: new Date('2026-11-28T10:00:00Z') },
    ).record;
    expect(templateRevision(started, serving('leakage-00003-tfm'))).toBeNull();
  });
});

describe('releasing a template change', () => {
  it('starts a release in the other color with the stable image, never marks the image failed', () => {
    const ctx = { config, now: new Date('2026-11-28T10:00:00Z') };
    const started = transition(
      idle,
      { type: 'template-change', releaseId: 't1', revision: 'leakage-00003-tfm' },
      ctx,
    );
    expect(started.record.release).toMatchObject({
      phase: 'provisioning',
      candidate: { image: V1, color: 'green' },
      tag: 'leakage-00003-tfm',
    });
    expect(started.commands[0]).toMatchObject({
      kind: 'update-service',
      traffic: [
        { revision: 'leakage-00001-abc', percent: 100, tag: 'blue' },
        { percent: 0, tag: 'green' },
      ],
      deploy: { image: V1, env: { BUCKET: 'b-green' }, color: 'green' },
    });
    const failed = transition(
      started.record,
      { type: 'candidate-failed', releaseId: 't1', reason: 'memory too low' },
      ctx,
    );
    expect(failed.record.release).toMatchObject({ phase: 'rolled-back', reason: 'memory too low' });
    expect(failed.record.failedImages).toEqual([]);
  });

  it('on the next tick, from the template Terraform wrote: the candidate carries its memory', async () => {
    const platform = new FakePlatform();
    platform.seed({
      name: SERVICE,
      revision: 'leakage-00001-abc',
      image: V1,
      env: { BUCKET: 'b-blue', COMMON: 'a' },
      record: idle,
    });
    const tf = platform.applyTemplate(SERVICE, { limits: { cpu: '1000m', memory: '2Gi' } });
    const deps: Deps = {
      config: parseConfig({ services: [config] }),
      clock: { now: () => new Date('2026-11-28T10:00:00Z') },
      logger: memoryLogger(),
      platform: () => platform,
      registry: () => new FakeRegistry(),
      bus: () => new FakeBus(),
      metrics: () => new FakeMetrics(),
      prober: () => new HttpSmokeProber(),
      inferenceLogs: () => ({ list: async () => [], read: async () => '' }),
      replayer: () => ({ replay: async () => [] }),
      newId: () => 't1',
    };
    const outcome = await advanceService(deps, config);
    expect(outcome.kind).toBe('applied');
    const view = await platform.get(SERVICE);
    const candidate = view.record!.release!.candidate.revision;
    expect(platform.template(SERVICE, candidate)).toMatchObject({
      image: V1,
      env: { BUCKET: 'b-green', COMMON: 'a' },
      limits: { memory: '2Gi' },
      labels: { 'cutover-color': 'green' },
      serviceAccount: 'green@p.iam.gserviceaccount.com',
    });
    expect(view.traffic.find((t) => t.revision === tf)).toBeUndefined();
    expect(view.traffic).toContainEqual(
      expect.objectContaining({ revision: 'leakage-00001-abc', percent: 100 }),
    );
    // The next tick carries that release on (its candidate is ready); it deploys nothing new.
    await advanceService(deps, config);
    expect((await platform.get(SERVICE)).record!.release).toMatchObject({
      id: 't1',
      phase: 'smoke-testing',
    });
    expect(platform.updates.filter((u) => u.change.deploy)).toHaveLength(1);
  });
});
