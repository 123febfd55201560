import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../shared/adapters/json-logger.js';
import { parseConfig } from '../../shared/config/load.js';
import type { ServiceChange, ServicePlatform } from '../../shared/ports/service-platform.js';
import type { SmokeProber } from '../../shared/ports/smoke-prober.js';
import { isTerminal, type ServiceRecord } from '../../shared/schemas/release.js';
import { advanceService } from '../../shared/usecases/advance.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { provisionCandidate } from '../../shared/usecases/provision.js';
import { applyInput } from '../../shared/usecases/revert.js';
import { FakeBus } from '../fakes/fake-bus.js';
import { FakeLogStore } from '../fakes/fake-log-store.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { FakePlatform } from '../fakes/fake-platform.js';
import { FakeRegistry } from '../fakes/fake-registry.js';
import { FakeReplayer } from '../fakes/fake-replayer.js';
import { ManualClock } from '../fakes/manual-clock.js';

const SERVICE = 'projects/p/locations/us-central1/services/leakage';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage';
const digest = (n: number) => `sha256:${String(n).repeat(64)}`;
const V1 = `${REPO}@${digest(1)}`;
const V2 = `${REPO}@${digest(2)}`;
const config = parseConfig({
  services: [
    {
      service: SERVICE,
      image: REPO,
      steps: [50, 100],
      bakeSeconds: 0,
      monitoringLagSeconds: 0,
      thresholds: { minRequests: 20 },
      smoke: { routes: [{ method: 'GET', path: '/', samples: 1 }] },
    },
  ],
}).services[0]!;

class Crash extends Error {}

/** Where the function instance dies: right after a write it matches (record before, after) lands. */
type CrashPoint = (before: ServiceRecord | null, after: ServiceRecord) => boolean;

const phaseOf = (r: ServiceRecord | null) => r?.release?.phase;
const CRASHES: Record<string, CrashPoint> = {
  provisioning: (b, a) => phaseOf(b) !== 'provisioning' && phaseOf(a) === 'provisioning',
  smoke: (b, a) => phaseOf(b) === 'smoke-testing' && phaseOf(a) === 'shifting',
  step: (b, a) =>
    b?.release?.phase === 'shifting' &&
    a.release?.phase === 'shifting' &&
    a.release.step.index > b.release.step.index,
  promotion: (b, a) => phaseOf(b) === 'shifting' && phaseOf(a) === 'promoted',
  rollback: (b, a) => phaseOf(b) === 'shifting' && phaseOf(a) === 'rolled-back',
};

/** The platform of an instance that is stopped right after the write `at` names lands. */
function crashing(platform: FakePlatform, at: CrashPoint, fired: { done: boolean }) {
  const crashable: ServicePlatform = {
    get: (s) => platform.get(s),
    revision: (s, r) => platform.revision(s, r),
    update: async (view, change: ServiceChange) => {
      const landed = await platform.update(view, change);
      if (!fired.done && at(view.record, landed.record ?? change.record)) {
        fired.done = true;
        throw new Crash('the function instance was stopped after its write landed');
      }
      return landed;
    },
  };
  return crashable;
}

const answers: SmokeProber = {
  probe: async () => ({ status: 200, latencyMs: 20, json: { ok: true }, error: null }),
};

/** One service, its release driven by ticks a minute apart; `crashAt` kills one invocation. */
async function release(opts: { crashAt?: CrashPoint; greenErrors?: number; person?: boolean }) {
  const platform = new FakePlatform();
  platform.seed({ name: SERVICE, revision: 'leakage-00001-abc', image: V1, record: null });
  const clock = new ManualClock();
  const bus = new FakeBus();
  const registry = new FakeRegistry();
  registry.seed(REPO, { '1.0.0': digest(1), '2.0.0': digest(2) });
  const metrics = new FakeMetrics();
  let n = 0;
  const fired = { done: false };
  const deps: Deps = {
    config: parseConfig({ services: [config] }),
    clock,
    logger: memoryLogger(),
    platform: () => platform,
    registry: () => registry,
    bus: () => bus,
    metrics: () => metrics,
    prober: () => answers,
    inferenceLogs: () => new FakeLogStore(),
    replayer: () => new FakeReplayer(() => ({ status: 200, latencyMs: 1, json: {}, error: null })),
    newId: () => `r${++n}`,
  };
  const instance = (): Deps =>
    opts.crashAt ? { ...deps, platform: () => crashing(platform, opts.crashAt!, fired) } : deps;
  const record = async () => (await platform.get(SERVICE)).record;
  /** A minute of traffic on both revisions, as Monitoring would show it. */
  const serve = async () => {
    const r = await record();
    const end = clock.now();
    const start = new Date(end.getTime() - 1000);
    const requests = (errors: number) =>
      Array.from({ length: 200 }, (_, i) => ({
        status: i < errors ? 503 : 200,
        latencyMs: 40 + (i % 10),
      }));
    const predictions = Array.from({ length: 200 }, (_, i) => 0.4 + (i % 5) / 100);
    if (!r) return;
    metrics.observe(SERVICE, r.stable.revision, { start, end, requests: requests(0), predictions });
    if (r.release && !isTerminal(r.release.phase))
      metrics.observe(SERVICE, r.release.candidate.revision, {
        start,
        end,
        requests: requests(opts.greenErrors ?? 0),
        predictions,
      });
  };
  /** One scheduled tick, redelivered (same slot) when the instance died, as Pub/Sub does. */
  const tick = async () => {
    clock.advance(60_000);
    await serve();
    const slot = { kind: 'tick' as const, slot: clock.now().toISOString() };
    const crashed = await advanceService(instance(), config, {}, slot).then(
      () => false,
      (error: unknown) => {
        if (error instanceof Crash) return true;
        throw error;
      },
    );
    if (crashed) await advanceService(deps, config, {}, slot);
  };

  const push = { service: config, image: V2, tag: '2.0.0' };
  const pushed = await provisionCandidate(instance(), push, { kind: 'message', id: 'push-1' }).then(
    () => false,
    (error: unknown) => {
      if (error instanceof Crash) return true;
      throw error;
    },
  );
  if (pushed) await provisionCandidate(deps, push, { kind: 'message', id: 'push-1' });
  for (let i = 0; i < 12; i++) {
    const r = await record();
    if (opts.person && r?.release?.phase === 'shifting') {
      const request = { type: 'rollback-traffic' as const, requestedBy: 'ana', reason: 'p95' };
      const delivery = { kind: 'message' as const, id: 'rb-1' };
      await applyInput(instance(), config, request, delivery).catch(async (error: unknown) => {
        if (!(error instanceof Crash)) throw error;
        await applyInput(deps, config, request, delivery); // Pub/Sub redelivers the request
      });
      opts.person = false;
    }
    await tick();
  }
  const last = (await record())!;
  return {
    crashed: fired.done,
    phase: last.release?.phase,
    stable: last.stable.image,
    failedImages: last.failedImages,
    owed: last.outbox?.owed ?? [],
    events: bus
      .events<{ type: string; id?: string }>('cutover-deployment-events')
      .map((e) => e.type)
      .sort(),
    ids: bus.events<{ id?: string }>('cutover-deployment-events').map((e) => e.id),
    rollbackTags: (await registry.listTags(REPO)).filter((t) => t.tag.startsWith('rollback-')),
  };
}

describe('a crash at each phase, then a restart, ends as the release would have without it', () => {
  it.each(['provisioning', 'smoke', 'step', 'promotion'])(
    'a healthy release, crashing right after its %s write: promoted, nothing marked failed, every event once',
    async (phase) => {
      const baseline = await release({});
      expect(baseline).toMatchObject({ crashed: false, phase: 'promoted', stable: V2 });
      const crashed = await release({ crashAt: CRASHES[phase] });
      expect(crashed.crashed).toBe(true);
      expect(crashed).toMatchObject({
        phase: baseline.phase,
        stable: baseline.stable,
        failedImages: [],
        events: baseline.events,
        owed: [],
      });
      expect(new Set(crashed.ids).size).toBe(crashed.ids.length);
      expect(crashed.rollbackTags.map((t) => t.digest)).toEqual([digest(1)]);
    },
  );

  it.each([
    ['judged (5xx on green)', { greenErrors: 120 }],
    ["person's", { person: true }],
  ])(
    'a %s rollback, crashing right after its write: rolled back, release.rolled-back published once',
    async (_what, how) => {
      const baseline = await release({ ...how });
      expect(baseline).toMatchObject({ phase: 'rolled-back', stable: V1, failedImages: [V2] });
      const crashed = await release({ ...how, crashAt: CRASHES.rollback });
      expect(crashed.crashed).toBe(true);
      expect(crashed).toMatchObject({
        phase: baseline.phase,
        stable: baseline.stable,
        failedImages: baseline.failedImages,
        events: baseline.events,
        owed: [],
      });
      expect(crashed.events.filter((t) => t === 'release.rolled-back')).toHaveLength(1);
    },
  );
});
