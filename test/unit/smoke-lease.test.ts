import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { parseConfig } from '../../shared/config/load.js';
import type { ProbeResult } from '../../shared/domain/smoke.js';
import { advanceService } from '../../shared/usecases/advance.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { provisionCandidate } from '../../shared/usecases/provision.js';
import { SMOKE_LEASE_SECONDS } from '../../shared/usecases/smoke-lease.js';
import { FakeBus } from '../fakes/fake-bus.js';
import { FakeLogStore } from '../fakes/fake-log-store.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeRegistry } from '../fakes/fake-registry.js';
import { FakeReplayer } from '../fakes/fake-replayer.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const V1 = `${REPO}@sha256:${'1'.repeat(64)}`;
const V2 = `${REPO}@sha256:${'2'.repeat(64)}`;

/** A smoke-testing release whose probes wait on `gate` (the first phase's), counting each. */
async function smokeTesting() {
  const config = parseConfig({
    services: [
      {
        service: SERVICE,
        image: REPO,
        smoke: { requireMonitoring: false },
        shadow: { enabled: false },
      },
    ],
  });
  const platform = new FakePlatform();
  platform.seed({
    name: SERVICE,
    revision: 'leakage-00001-abc',
    image: V1,
    tag: 'blue',
    record: null,
  });
  let open = (): void => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let arrived = (): void => undefined;
  const probing = new Promise<void>((resolve) => (arrived = resolve));
  let probes = 0;
  let now = Date.parse('2026-11-28T10:00:00Z');
  let n = 0;
  const deps: Deps = {
    config,
    clock: { now: () => new Date(now) },
    logger: memoryLogger(),
    platform: () => platform,
    registry: () => new FakeRegistry(),
    bus: () => new FakeBus(),
    metrics: () => new FakeMetrics(),
    prober: () => ({
      probe: async (): Promise<ProbeResult> => {
        probes += 1;
        arrived();
        await gate;
        return { status: 200, latencyMs: 5, json: null, error: null };
      },
    }),
    inferenceLogs: () => new FakeLogStore(),
    replayer: () => new FakeReplayer(() => ({ status: 200, latencyMs: 1, json: {}, error: null })),
    newId: () => `id${++n}`,
  };
  const service = config.services[0]!;
  await provisionCandidate(deps, { service, image: V2, tag: '2.0.0' });
  const phase = async () => (await platform.get(SERVICE)).record?.release?.phase;
  expect(await phase()).toBe('smoke-testing');
  return {
    deps,
    service,
    open,
    /** Settles once a phase is probing (and so holds the lease). */
    probing,
    phase,
    probes: () => probes,
    later: (seconds: number) => (now += seconds * 1000),
    lease: async () => (await platform.get(SERVICE)).record?.smokeLease,
  };
}

describe('one smoke phase at a time', () => {
  it('a second invocation during a running smoke phase waits instead of probing again', async () => {
    const s = await smokeTesting();
    const first = advanceService(s.deps, s.service);
    // The first holds the phase (its probes wait on the gate) when the second arrives.
    await s.probing;
    const second = await advanceService(s.deps, s.service, { releaseId: 'id1' });
    expect(second).toMatchObject({
      kind: 'ignored',
      reason: expect.stringMatching(/smoke phase of .* runs in another invocation/),
    });
    s.open();
    expect((await first).kind).toBe('applied');
    // One phase's probes: the default route, 3 samples, on blue and green.
    expect(s.probes()).toBe(6);
    expect(await s.phase()).toBe('shifting');
    expect(await s.lease()).toBeUndefined();
  });

  it('a claim whose owner died is taken over once it has run out', async () => {
    const s = await smokeTesting();
    const dead = advanceService(s.deps, s.service);
    await s.probing;
    // That invocation never finishes: its claim stands until SMOKE_LEASE_SECONDS pass.
    s.later(SMOKE_LEASE_SECONDS - 1);
    expect((await advanceService(s.deps, s.service)).kind).toBe('ignored');
    s.later(2);
    s.open();
    const next = await advanceService(s.deps, s.service);
    expect(next.kind).toBe('applied');
    expect(await s.phase()).toBe('shifting');
    await dead;
  });
});
