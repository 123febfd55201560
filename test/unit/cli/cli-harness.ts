import type { CliEnv } from '../../../cli/act.js';
import type { Pacer } from '../../../cli/pacer.js';
import type { Target } from '../../../cli/target.js';
import { memoryLogger } from '../../../shared/adapters/json-logger.js';
import { HttpSmokeProber } from '../../../shared/adapters/http-smoke-prober.js';
import { parseConfig } from '../../../shared/config/load.js';
import { transition, type ReleaseInput } from '../../../shared/domain/release-machine.js';
import { parseRollbackRequest } from '../../../shared/schemas/inbound/rollback-request.js';
import type { ServiceRecord } from '../../../shared/schemas/release.js';
import { applyDecision } from '../../../shared/usecases/apply.js';
import { retryImage } from '../../../shared/usecases/retry.js';
import { rollbackContainer } from '../../../shared/usecases/revert.js';
import type { Deps } from '../../../shared/usecases/deps.js';
import { FakeBus } from '../../fakes/fake-bus.js';
import { FakeMetrics } from '../../fakes/fake-metrics.js';
import { FakePlatform } from '../../fakes/fake-platform.js';
import { FakeRegistry } from '../../fakes/fake-registry.js';

export const SERVICE = 'projects/p/locations/us-central1/services/leakage-model';
const REPO = 'us-central1-docker.pkg.dev/p/models/leakage-model';
export const V1 = `${REPO}@sha256:${'1'.repeat(64)}`;
export const V2 = `${REPO}@sha256:${'2'.repeat(64)}`;
export const config = parseConfig({
  services: [
    {
      service: SERVICE,
      image: REPO,
      steps: [10, 100],
      colors: { blue: { env: {} }, green: { env: {} } },
    },
  ],
});

/**
 * A service on the fake platform, the real domain and use cases behind it, a fake bus, and a
 * pacer whose sleeps advance a fake clock. `functionDelayMs` plays the functions: a published
 * request is applied once that much fake time has passed (null: the functions are down).
 */
export class CliHarness {
  readonly platform = new FakePlatform();
  readonly bus = new FakeBus();
  readonly out: string[] = [];
  readonly err: string[] = [];
  nowMs = Date.parse('2026-11-28T10:00:00Z');
  functionDelayMs: number | null = 3000;
  /** Called on each sleep with the fake time; a test can change the service from here. */
  onSleep: (nowMs: number) => Promise<void> = async () => undefined;
  private handled = 0;
  private readonly deps: Deps;

  constructor() {
    this.platform.seed({ name: SERVICE, revision: 'leakage-model-00001-abc', image: V1 });
    const registry = new FakeRegistry();
    registry.seed(REPO, {
      '1.0.0': `sha256:${'1'.repeat(64)}`,
      '2.0.0': `sha256:${'2'.repeat(64)}`,
    });
    this.deps = {
      config,
      clock: { now: () => new Date(this.nowMs) },
      logger: memoryLogger(),
      platform: () => this.platform,
      registry: () => registry,
      bus: () => this.bus,
      metrics: () => new FakeMetrics(),
      prober: () => new HttpSmokeProber(),
      inferenceLogs: () => ({ list: async () => [], read: async () => '' }),
      replayer: () => ({ replay: async () => [] }),
      newId: () => 'x1',
    };
  }

  /** Runs one input through the real use case path (read, decide, write). */
  async drive(input: ReleaseInput): Promise<void> {
    await applyDecision(this.deps, SERVICE, (record) =>
      transition(record, input, { config: config.services[0]!, now: new Date(this.nowMs) }),
    );
  }

  async shifting(): Promise<void> {
    await this.drive({ type: 'push', releaseId: 'r1', image: V2, tag: '2.0.0' });
    await this.drive({ type: 'candidate-ready', releaseId: 'r1' });
    await this.drive({
      type: 'smoke-result',
      releaseId: 'r1',
      smoke: { passed: true, checks: [] },
    });
  }

  async record(): Promise<ServiceRecord | null> {
    return (await this.platform.get(SERVICE)).record;
  }

  /** Applies what was published, as advanceRelease and rollback would. */
  private async runFunctions(): Promise<void> {
    for (const message of this.bus.published.slice(this.handled)) {
      this.handled++;
      const body = message.json as { type?: string; requestedBy?: string; image?: string };
      if (body.type === 'operator.retry') {
        const by = { requestedBy: body.requestedBy ?? 'unknown' };
        await retryImage(
          this.deps,
          config.services[0]!,
          body.image ? { ...by, image: body.image } : by,
        );
      } else if (body.type?.startsWith('operator.')) {
        const type = body.type.slice('operator.'.length) as 'promote' | 'pause' | 'resume';
        await this.drive({ type, requestedBy: body.requestedBy ?? 'unknown' });
      } else if (message.topic === 'cutover-rollback-requests') {
        const r = parseRollbackRequest(message.json);
        const who = { requestedBy: r.requestedBy, reason: r.reason };
        if (r.mode === 'container') await rollbackContainer(this.deps, config.services[0]!, who);
        else
          await this.drive(
            r.mode === 'undo' ? { type: 'undo', ...who } : { type: 'rollback-traffic', ...who },
          );
      }
    }
  }

  private readonly startMs = this.nowMs;
  readonly pacer: Pacer = {
    now: () => new Date(this.nowMs),
    sleep: async (ms) => {
      this.nowMs += ms;
      await this.onSleep(this.nowMs);
      if (this.functionDelayMs !== null && this.nowMs - this.startMs >= this.functionDelayMs)
        await this.runFunctions();
    },
  };

  get target(): Target {
    return {
      kind: 'emulator',
      service: SERVICE,
      config,
      adapters: {
        platform: () => this.platform,
        bus: () => this.bus,
        registry: this.deps.registry,
        metrics: this.deps.metrics,
        prober: this.deps.prober,
        inferenceLogs: () => ({ list: async () => [], read: async () => '' }),
        replayer: () => ({ replay: async () => [] }),
      },
      topics: config.topics,
    };
  }

  get env(): CliEnv {
    return {
      io: { out: (t) => void this.out.push(t), err: (t) => void this.err.push(t) },
      pacer: this.pacer,
      open: async () => this.target,
      defaults: { project: null, region: null, account: 'ana@example.com' },
    };
  }
}
