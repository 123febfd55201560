import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { HttpSmokeProber } from '../../shared/adapters/http-smoke-prober.js';
import { parseConfig } from '../../shared/config/load.js';
import { enqueue } from '../../shared/domain/outbox.js';
import { initialRecord, transition } from '../../shared/domain/release-machine.js';
import { DeployFailedError } from '../../shared/errors.js';
import { advanceService } from '../../shared/usecases/advance.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { applyContainerRollback } from '../../shared/usecases/revert.js';
import { FakeBus } from '../fakes/fake-bus.js';
import { FakeLogStore } from '../fakes/fake-log-store.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeRegistry } from '../fakes/fake-registry.js';
import { FakeReplayer } from '../fakes/fake-replayer.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const V1 = `${REPO}@sha256:${'1'.repeat(64)}`;
const V0 = `${REPO}@sha256:${'0'.repeat(64)}`;
const STABLE = 'leakage-00001-abc';

function setup() {
  const config = parseConfig({ services: [{ service: SERVICE, image: REPO }] });
  const platform = new FakePlatform();
  platform.seed({
    name: SERVICE,
    revision: STABLE,
    image: V1,
    tag: 'blue',
    record: initialRecord({ revision: STABLE, image: V1 }),
  });
  platform.setStarter(() => ({ ready: false, message: 'container exited with status 1' }));
  const bus = new FakeBus();
  let n = 0;
  const deps: Deps = {
    config,
    clock: { now: () => new Date('2026-11-28T10:00:00Z') },
    logger: memoryLogger(),
    platform: () => platform,
    registry: () => new FakeRegistry(),
    bus: () => bus,
    metrics: () => new FakeMetrics(),
    prober: () => new HttpSmokeProber(),
    inferenceLogs: () => new FakeLogStore(),
    replayer: () => new FakeReplayer(() => ({ status: 200, latencyMs: 1, json: {}, error: null })),
    newId: () => `id${++n}`,
  };
  const input = {
    type: 'rollback-container' as const,
    id: 'op1',
    image: V0,
    tag: 'rollback-20261101T000000Z',
    revision: 'leakage-rb-op1',
    reason: 'bad model',
    requestedBy: 'ana',
  };
  const events = () =>
    bus.events<{ type: string }>(config.topics.deploymentEvents).map((e) => e.type);
  return { deps, platform, service: config.services[0]!, input, events };
}

describe('a container rollback whose revision does not start', () => {
  it('puts the stable back before any of its success events go out', async () => {
    const { deps, platform, service, input, events } = setup();
    const outcome = await applyContainerRollback(deps, service, input);
    expect(outcome.kind).toBe('deploy-failed');
    const view = await platform.get(SERVICE);
    expect(view.record!.stable.revision).toBe(STABLE);
    expect(view.record!.outbox?.owed ?? []).toEqual([]);
    expect(view.traffic.map((t) => [t.revision, t.percent])).toEqual([[STABLE, 100]]);
    expect(events()).toEqual(['release.failed']);
  });

  it('is put right by the next tick when its invocation died after the failed deploy', async () => {
    const { deps, platform, service, input, events } = setup();
    // The invocation's write, then nothing: as if it crashed on the deploy's answer.
    const view = await platform.get(SERVICE);
    const decided = transition(view.record!, input, { config: service, now: deps.clock.now() });
    const update = decided.commands.find((c) => c.kind === 'update-service')!;
    const record = enqueue(decided.record, decided.commands, {
      owner: 'crashed',
      dueAt: new Date('2026-11-28T10:10:00Z'),
    });
    await expect(
      platform.update(view, {
        traffic: update.kind === 'update-service' ? update.traffic : [],
        record,
        ...(update.kind === 'update-service' && update.deploy && { deploy: update.deploy }),
      }),
    ).rejects.toBeInstanceOf(DeployFailedError);
    expect((await platform.get(SERVICE)).record!.stable.revision).toBe('leakage-rb-op1');

    await advanceService(deps, service);
    const after = await platform.get(SERVICE);
    expect(after.record!.stable.revision).toBe(STABLE);
    expect(after.record!.outbox?.owed ?? []).toEqual([]);
    expect(events()).toEqual(['release.failed']);
    // Settled: a later tick changes nothing.
    await advanceService(deps, service);
    expect(events()).toEqual(['release.failed']);
  });

  it('one that started is left alone by later ticks', async () => {
    const { deps, platform, service, input, events } = setup();
    platform.setStarter(null);
    await applyContainerRollback(deps, service, input);
    expect((await platform.get(SERVICE)).record!.stable.revision).toBe('leakage-rb-op1');
    await advanceService(deps, service);
    expect((await platform.get(SERVICE)).record!.stable.revision).toBe('leakage-rb-op1');
    expect(events()).toEqual(['release.rolled-back', 'terraform.sync-requested']);
  });
});
