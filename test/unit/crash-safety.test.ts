import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { HttpSmokeProber } from '../../shared/adapters/http-smoke-prober.js';
import { parseConfig } from '../../shared/config/load.js';
import { overdue } from '../../shared/domain/progress.js';
import { activeRelease, initialRecord, transition } from '../../shared/domain/release-machine.js';
import type { ServicePlatform } from '../../shared/ports/service-platform.js';
import { advanceService } from '../../shared/usecases/advance.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { provisionCandidate } from '../../shared/usecases/provision.js';
import { FakeBus } from '../fakes/fake-bus.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeRegistry } from '../fakes/fake-registry.js';
import { ManualClock } from '../fakes/manual-clock.js';
import { FakeLogStore } from '../fakes/fake-log-store.js';
import { FakeReplayer } from '../fakes/fake-replayer.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const V1 = `${REPO}@sha256:${'1'.repeat(64)}`;
const V2 = `${REPO}@sha256:${'2'.repeat(64)}`;
const config = parseConfig({
  services: [{ service: SERVICE, image: REPO, steps: [100], progressDeadlineSeconds: 600 }],
}).services[0]!;

class Crash extends Error {}

/** The platform of a function instance that dies right after its deploy write lands. */
function crashingAfterDeploy(platform: FakePlatform): ServicePlatform {
  return {
    get: (s) => platform.get(s),
    revision: (s, r) => platform.revision(s, r),
    update: async (view, change) => {
      if (!change.deploy) return platform.update(view, change);
      // The write lands; the instance dies before it hears how the revision fared.
      await platform.update(view, change).catch(() => null);
      throw new Crash('the function instance was stopped');
    },
  };
}

function setup() {
  const platform = new FakePlatform();
  platform.seed({ name: SERVICE, revision: 'leakage-00001-abc', image: V1, record: null });
  const clock = new ManualClock();
  let n = 0;
  const deps: Deps = {
    config: parseConfig({ services: [config] }),
    clock,
    logger: memoryLogger(),
    platform: () => platform,
    registry: () => new FakeRegistry(),
    bus: () => new FakeBus(),
    metrics: () => new FakeMetrics(),
    prober: () => new HttpSmokeProber(),
    inferenceLogs: () => new FakeLogStore(),
    replayer: () => new FakeReplayer(() => ({ status: 200, latencyMs: 1, json: {}, error: null })),
    newId: () => `r${++n}`,
  };
  return { deps, platform, clock };
}

describe('a crash during provisioning', () => {
  it('resumes on the next tick: the ready candidate is smoke tested, no image marked failed', async () => {
    const { deps, platform, clock } = setup();
    const crashed = { ...deps, platform: () => crashingAfterDeploy(platform) };
    await expect(
      provisionCandidate(crashed, { service: config, image: V2, tag: '2.0.0' }),
    ).rejects.toThrow(Crash);
    expect((await platform.get(SERVICE)).record?.release?.phase).toBe('provisioning');
    clock.advance(60_000);
    await advanceService(deps, config, {}, { kind: 'tick', slot: clock.now().toISOString() });
    const record = (await platform.get(SERVICE)).record!;
    expect(record.release?.phase).toBe('smoke-testing');
    expect(record.failedImages).toEqual([]);
  });

  it('whose candidate is gone ends aborted, all traffic on the stable, the image not marked failed', async () => {
    const { deps, platform, clock } = setup();
    platform.setStarter(() => ({ ready: false, message: 'instance stopped while starting' }));
    const crashed = { ...deps, platform: () => crashingAfterDeploy(platform) };
    await provisionCandidate(crashed, { service: config, image: V2, tag: '2.0.0' }).catch(
      () => null,
    );
    clock.advance(60_000);
    await advanceService(deps, config, {}, { kind: 'tick', slot: clock.now().toISOString() });
    const view = await platform.get(SERVICE);
    expect(view.record?.release).toMatchObject({ phase: 'aborted' });
    expect(view.record?.failedImages).toEqual([]);
    expect(view.traffic.filter((t) => t.percent > 0).map((t) => t.revision)).toEqual([
      'leakage-00001-abc',
    ]);
  });
});

describe('a tick while the provisioning delivery is between its deploy and its write', () => {
  it('waits: the new revision runs the candidate image though the record names it as asked', async () => {
    const { deps, platform, clock } = setup();
    // Provisioning as the Cloud Run adapter writes it: the deploy carries the record, which names
    // the candidate as asked; Cloud Run named the revision otherwise, and the write renaming it in
    // the record has not happened yet.
    const view = await platform.get(SERVICE);
    const started = transition(
      view.record ?? initialRecord({ revision: 'leakage-00001-abc', image: V1 }),
      { type: 'push', releaseId: 'r1', image: V2, tag: '2.0.0' },
      { config, now: clock.now() },
    );
    const asked = started.record.release!.candidate.revision;
    const command = started.commands.find((c) => c.kind === 'update-service')!;
    if (command.kind !== 'update-service' || !command.deploy) throw new Error('no deploy');
    await platform.update(view, {
      traffic: [{ revision: 'leakage-00001-abc', percent: 100, tag: 'blue' }],
      deploy: { ...command.deploy, revision: 'leakage-00002-xyz' },
      record: started.record,
    });
    clock.advance(60_000);
    await advanceService(deps, config, {}, { kind: 'tick', slot: clock.now().toISOString() });
    const record = (await platform.get(SERVICE)).record!;
    expect(record.release).toMatchObject({ phase: 'provisioning', candidate: { revision: asked } });
    expect(record.failedImages).toEqual([]);
  });
});

describe('the no-progress deadline', () => {
  const record = initialRecord({ revision: 'leakage-00001-abc', image: V1 });
  const T0 = new Date('2026-12-01T10:00:00Z');
  const at = (s: number) => new Date(T0.getTime() + s * 1000);
  const started = transition(
    record,
    { type: 'push', releaseId: 'r1', image: V2, tag: '2.0.0' },
    { config, now: T0 },
  ).record;

  it('is not overdue within the deadline, and is after it (saying for how long)', () => {
    const active = activeRelease(started)!;
    expect(overdue(active, 600, at(600))).toBeNull();
    expect(overdue(active, 600, at(601))).toMatch(/no progress for 601 s while provisioning/);
  });

  it('progress (a phase change) restarts it', () => {
    const ready = transition(
      started,
      { type: 'candidate-ready', releaseId: 'r1' },
      { config, now: at(500) },
    );
    expect(overdue(activeRelease(ready.record)!, 600, at(1000))).toBeNull();
  });

  it('ends the release aborted: 100% on the stable, a release.aborted event, the image retriable', () => {
    const t = transition(
      started,
      { type: 'abort', releaseId: 'r1', reason: 'no progress' },
      { config, now: at(700) },
    );
    expect(t.record.release).toMatchObject({ phase: 'aborted', reason: 'no progress' });
    expect(t.record.failedImages).toEqual([]);
    expect(t.commands[0]).toMatchObject({
      kind: 'update-service',
      traffic: [{ revision: 'leakage-00001-abc', percent: 100 }],
    });
    expect(t.commands.flatMap((c) => (c.kind === 'publish' ? [c.event.type] : []))).toEqual([
      'release.aborted',
    ]);
    expect(t.record.history[0]).toMatchObject({ phase: 'aborted' });
  });
});
