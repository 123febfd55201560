import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../shared/config/load.js';
import { initialRecord, transition } from '../../shared/domain/release-machine.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import { advanceService } from '../../shared/usecases/advance.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { SimPlatform, silentLogger } from '../../local/sim/sim-ports.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';

const SERVICE = 'projects/p/locations/l/services/shop';
const REPO = 'sim-docker.pkg.dev/p/r/shop';
const full = parseConfig({ services: [{ service: SERVICE, image: REPO }] });
const config = full.services[0]!;
const T0 = Date.parse('2026-12-01T10:00:00Z');
const ctx = (ms: number) => ({ config, now: new Date(ms) });

/** A release shifting at its first step since T0. */
function shifting(): ServiceRecord {
  let record = initialRecord({ revision: 'shop-1', image: `${REPO}@sha256:${'1'.repeat(64)}` });
  const image = `${REPO}@sha256:${'2'.repeat(64)}`;
  record = transition(record, { type: 'push', releaseId: 'r1', image, tag: '2' }, ctx(T0)).record;
  record = transition(record, { type: 'candidate-ready', releaseId: 'r1' }, ctx(T0)).record;
  const smoke = { passed: true, checks: [] };
  return transition(record, { type: 'smoke-result', releaseId: 'r1', smoke }, ctx(T0)).record;
}

async function windowsAt(record: ServiceRecord, nowMs: number) {
  const metrics = new FakeMetrics();
  const deps = {
    config: full,
    clock: { now: () => new Date(nowMs) },
    logger: silentLogger,
    platform: () => SimPlatform.of(SERVICE, record),
    bus: () => ({ publish: async () => 'id' }),
    metrics: () => metrics,
    newId: () => 'id',
  } as unknown as Deps;
  await advanceService(deps, config);
  return metrics.calls.map((c) => [c.window.start.toISOString(), c.window.end.toISOString()]);
}

describe('the evidence a step judges', () => {
  it('pools green from the first step on; the bake counts the current step', async () => {
    const record = shifting();
    const release = record.release!;
    if (release.phase !== 'shifting') throw new Error('not shifting');
    expect(release.evidenceSince).toBe(new Date(T0).toISOString());
    // At the second step (started 9 min in), 12 min in: the window still opens at T0.
    const second = {
      ...record,
      release: {
        ...release,
        step: {
          index: 1,
          percent: 25,
          startedAt: new Date(T0 + 9 * 60_000).toISOString(),
          previousStartedAt: release.step.startedAt,
        },
      },
    };
    const now = T0 + 14 * 60_000;
    const end = new Date(now - config.monitoringLagSeconds * 1000).toISOString();
    expect(await windowsAt(second, now)).toEqual([
      [new Date(T0).toISOString(), end],
      [new Date(T0).toISOString(), end],
    ]);
    // A step younger than the lag is not measured, whatever was pooled before it.
    expect(await windowsAt(second, T0 + 12 * 60_000)).toEqual([]);
  });

  it('an older record without evidenceSince judges the step alone', async () => {
    const record = shifting();
    const release = record.release!;
    if (release.phase !== 'shifting') throw new Error('not shifting');
    const { evidenceSince: _, ...old } = release;
    const startedAt = new Date(T0 + 9 * 60_000).toISOString();
    const second = {
      ...record,
      release: { ...old, step: { ...old.step, index: 1, percent: 25, startedAt } },
    };
    const calls = await windowsAt(second, T0 + 15 * 60_000);
    expect(calls.map((c) => c[0])).toEqual([startedAt, startedAt]);
  });
});
