import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { HttpSmokeProber } from '../../shared/adapters/http-smoke-prober.js';
import { parseConfig } from '../../shared/config/load.js';
import type { Transition } from '../../shared/domain/release-input.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import { applyDecision } from '../../shared/usecases/apply.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { FakeBus } from '../fakes/fake-bus.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeRegistry } from '../fakes/fake-registry.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const record: ServiceRecord = {
  stable: {
    revision: 'leakage-00001-abc',
    image: `${REPO}@sha256:${'1'.repeat(64)}`,
    color: 'blue',
  },
  release: null,
  failedImages: [],
  history: [],
};

function setup(): { deps: Deps; platform: FakePlatform; logs: ReturnType<typeof memoryLogger> } {
  const platform = new FakePlatform();
  platform.seed({
    name: SERVICE,
    revision: 'leakage-00001-abc',
    image: record.stable.image,
    record,
  });
  const logs = memoryLogger();
  const deps: Deps = {
    config: parseConfig({ services: [{ service: SERVICE, image: REPO }] }),
    clock: { now: () => new Date('2026-12-01T10:00:00Z') },
    logger: logs,
    platform: () => platform,
    registry: () => new FakeRegistry(),
    bus: () => new FakeBus(),
    metrics: () => new FakeMetrics(),
    prober: () => new HttpSmokeProber(),
    inferenceLogs: () => ({ list: async () => [], read: async () => '' }),
    replayer: () => ({ replay: async () => [] }),
    newId: () => 'w1',
  };
  return { deps, platform, logs };
}

const mark =
  (m: string) =>
  (r: ServiceRecord): Transition => ({
    record: { ...r, failedImages: [...r.failedImages, m] },
    commands: [],
    ignored: null,
    summary: `marked ${m}`,
  });
const delivery = { kind: 'message' as const, id: 'm-1' };

describe('a write another record landed over (found by the re-read after it)', () => {
  it('was built on (the other record acted on this delivery): it counts as applied, decided once', async () => {
    const { deps, platform, logs } = setup();
    platform.landAfterNextUpdate((landed) => ({
      ...landed,
      failedImages: [...landed.failedImages, 'b'],
    }));
    let decisions = 0;
    const applied = await applyDecision(
      deps,
      SERVICE,
      (r) => {
        decisions++;
        return mark('a')(r);
      },
      { delivery },
    );
    expect(applied.kind).toBe('applied');
    expect(decisions).toBe(1);
    expect((await platform.get(SERVICE)).record!.failedImages).toEqual(['a', 'b']);
    expect(logs.entries.map((e) => e.message)).not.toContain(
      'service changed while deciding; deciding again',
    );
  });

  it('was overwritten by a writer that never saw it: it is decided again on top of that record', async () => {
    const { deps, platform, logs } = setup();
    platform.landAfterNextUpdate(() => ({ ...record, failedImages: ['b'] }));
    const applied = await applyDecision(deps, SERVICE, mark('a'), { delivery });
    expect(applied.kind).toBe('applied');
    expect((await platform.get(SERVICE)).record!.failedImages).toEqual(['b', 'a']);
    expect(logs.entries).toContainEqual(
      expect.objectContaining({
        message: 'service changed while deciding; deciding again',
        why: 'another record landed over this write',
      }),
    );
  });
});
