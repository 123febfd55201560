import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { HttpSmokeProber } from '../../shared/adapters/http-smoke-prober.js';
import { parseConfig } from '../../shared/config/load.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { provisionCandidate } from '../../shared/usecases/provision.js';
import { FakeBus } from '../fakes/fake-bus.js';
import { FakeLogStore } from '../fakes/fake-log-store.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeRegistry } from '../fakes/fake-registry.js';
import { FakeReplayer } from '../fakes/fake-replayer.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const V1 = `sha256:${'1'.repeat(64)}`;
const V2 = `sha256:${'2'.repeat(64)}`;

/** The use cases on the in-memory fakes: a service Terraform deployed by tag, never released. */
function setup() {
  const config = parseConfig({ services: [{ service: SERVICE, image: REPO, steps: [100] }] });
  const platform = new FakePlatform();
  platform.seed({
    name: SERVICE,
    revision: 'leakage-00001-abc',
    image: `${REPO}:1.0.0`,
    record: null,
  });
  const registry = new FakeRegistry();
  registry.seed(REPO, { '1.0.0': V1, '2.0.0': V2 });
  const bus = new FakeBus();
  const logger = memoryLogger();
  let n = 0;
  const deps: Deps = {
    config,
    clock: { now: () => new Date('2026-11-28T10:00:00Z') },
    logger,
    platform: () => platform,
    registry: () => registry,
    bus: () => bus,
    metrics: () => new FakeMetrics(),
    prober: () => new HttpSmokeProber(),
    inferenceLogs: () => new FakeLogStore(),
    replayer: () => new FakeReplayer(() => ({ status: 200, latencyMs: 1, json: {}, error: null })),
    newId: () => `r${++n}`,
  };
  return { deps, logger, platform, registry, bus, service: config.services[0]! };
}

describe('use cases on a service deployed by tag', () => {
  it('knows the stable image by digest: a push of the same digest under another tag is no release', async () => {
    const { deps, service } = setup();
    const outcome = await provisionCandidate(deps, {
      service,
      image: `${REPO}@${V1}`,
      tag: 'v1-again',
    });
    expect(outcome).toMatchObject({
      kind: 'ignored',
      reason: `${REPO}@${V1} is already the stable image`,
    });
  });

  it('records the stable by digest when a release starts', async () => {
    const { deps, platform, service } = setup();
    const outcome = await provisionCandidate(deps, {
      service,
      image: `${REPO}@${V2}`,
      tag: '2.0.0',
    });
    expect(outcome.kind).toBe('applied');
    const record = (await platform.get(SERVICE)).record!;
    expect(record.stable.image).toBe(`${REPO}@${V1}`);
    expect(record.release).toMatchObject({ phase: 'smoke-testing' });
  });

  it('keeps the tag reference when the registry cannot resolve it, and says so', async () => {
    const { deps, logger, service, platform } = setup();
    const other = new FakeRegistry();
    other.seed('us-central1-docker.pkg.dev/p/models/other', {});
    const outcome = await provisionCandidate(
      { ...deps, registry: () => other },
      { service, image: `${REPO}@${V2}`, tag: '2.0.0' },
    );
    expect(outcome.kind).toBe('applied');
    expect((await platform.get(SERVICE)).record!.stable.image).toBe(`${REPO}:1.0.0`);
    expect(logger.entries.map((e) => e.message)).toContain(
      'cannot resolve the stable image tag to a digest; keeping the tag',
    );
  });
});
