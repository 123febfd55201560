import type { Clock } from '../../shared/ports/clock.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { CloudRunState, ServiceSnapshot } from '../emulator/cloud-run.js';
import { defaultUrl } from '../emulator/cloud-run-names.js';
import { cloudRunSeries } from '../emulator/cloud-run-metrics.js';
import { Recorder, type RevisionBatch } from './recorder.js';
import { launchOf, type RecipeSource } from './revision-launch.js';
import { RevisionPool } from './revision-pool.js';
import { tagOfVersion } from '../../shared/domain/version-tag.js';
import { startRouter, type Router, type RouterOptions, type RoutingTable } from './router.js';

export type { Recipe } from './revision-process.js';

/** The parts of a running emulator the platform drives (see local/emulator/index.ts). */
export interface PlatformEmulator {
  run: Pick<
    CloudRunState,
    'setRevisionStarter' | 'setUrlResolver' | 'onChange' | 'snapshot' | 'listRevisions'
  >;
  registry: RecipeSource;
  monitoring: { write(series: ReturnType<typeof cloudRunSeries>): void };
}

export interface PlatformOptions {
  emulator: PlatformEmulator;
  /**
   * Full service names the platform serves; revisions of other services are ready at once, without
   * a process. With `apiPrefix` (`/api`) the router also serves versioned paths like the load balancer.
   */
  services: Array<{ name: string; apiPrefix?: string }>;
  /** Base of a recipe's relative `cwd`. */
  rootDir: string;
  clock?: Clock;
  /** How often request and prediction observations become DELTA points (default 1000 ms). */
  flushIntervalMs?: number;
  /** Log-based metric type of the prediction scores (default `logging.googleapis.com/user/cutover-prediction`). */
  predictionMetric?: string;
  /** Field of a model log line holding the score (default `leakage_probability`). */
  predictionField?: string;
  startupTimeoutMs?: number;
  /**
   * Env every revision process gets under its own (the revision's env wins), as the local stand-in
   * for what the environment provides: e.g. STORAGE_EMULATOR_HOST for the model's inference logs.
   */
  revisionEnv?: Record<string, string>;
  /** Every line a revision writes, for a demo or a debugging session. */
  onOutput?: (revision: string, stream: 'stdout' | 'stderr', line: string) => void;
  /** Metrics that could not be written (they are retried on the next flush). */
  onError?: (error: unknown) => void;
}

export interface Platform {
  /** The service's router URL, `http://127.0.0.1:PORT`. */
  serviceUrl(name: string): string;
  /** The tag's own URL (stable for the platform's life). */
  tagUrl(name: string, tag: string): string;
  /** Running revision processes (full revision name and pid). */
  processes(): Array<{ revision: string; pid: number }>;
  /** Each running revision's `/metrics` URL (full revision name), for a Prometheus collector. */
  metricsTargets(): Array<{ revision: string; url: string }>;
  /** Writes the buffered observations now. */
  flush(): Promise<void>;
  /** Closes every listener, stops every revision process, writes the last metrics; resolves when all children have exited. */
  stop(): Promise<void>;
}

const split = (service: string) => {
  const [, project = '', , location = ''] = service.split('/');
  return { project, location };
};

function tableOf(snapshot: ServiceSnapshot | null): RoutingTable {
  if (!snapshot || snapshot.deleted) return { split: [], tags: {} };
  return {
    split: snapshot.serving
      .filter((t) => t.percent > 0)
      .map((t) => ({ revision: t.revision, percent: t.percent })),
    tags: Object.fromEntries(snapshot.serving.flatMap((t) => (t.tag ? [[t.tag, t.revision]] : []))),
  };
}

function apiOption(prefix: string | undefined): Pick<RouterOptions, 'api'> {
  return prefix === undefined ? {} : { api: { prefix, tagOf: tagOfVersion } };
}

/**
 * The local stand-in for Cloud Run's data plane: each revision of a served service is a real child
 * process started from its image's recipe, and each service gets a router on loopback that follows
 * the emulator's traffic. Requests and prediction logs become Cloud Run series in the emulator's
 * Monitoring store. Restarting over persisted emulator state resumes serving what the state says.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const { emulator } = options;
  const clock = options.clock ?? systemClock;
  const field = options.predictionField ?? 'leakage_probability';
  const served = new Set(options.services.map((s) => s.name));
  const apiPrefix = new Map(options.services.map((s) => [s.name, s.apiPrefix]));

  const toSeries = (b: RevisionBatch) =>
    cloudRunSeries({
      ...split(b.service),
      ...b,
      ...(options.predictionMetric ? { predictionMetric: options.predictionMetric } : {}),
    });
  const recorder = new Recorder({
    clock,
    flushIntervalMs: options.flushIntervalMs ?? 1000,
    sink: (batches) => emulator.monitoring.write(batches.flatMap(toSeries)),
    ...(options.onError ? { onError: options.onError } : {}),
  });

  const pool = new RevisionPool({
    rootDir: options.rootDir,
    ...(options.startupTimeoutMs ? { startupTimeoutMs: options.startupTimeoutMs } : {}),
    launch: (service, revision) => {
      const message = emulator.run.listRevisions(service).find((r) => r.name === revision);
      if (!message) return { ok: false, message: `revision ${revision} does not exist` };
      const launch = launchOf(message, emulator.registry);
      return launch.ok ? { ...launch, env: { ...options.revisionEnv, ...launch.env } } : launch;
    },
    onLine: (service, revision, stream, line) => {
      options.onOutput?.(revision, stream, line);
      if (stream === 'stdout' && line.startsWith('{')) {
        try {
          const score = (JSON.parse(line) as Record<string, unknown>)[field];
          if (typeof score === 'number')
            recorder.prediction(service, revision.split('/').pop() ?? revision, score);
        } catch {
          // not a structured line: nothing to record
        }
      }
    },
  });

  const routers = new Map<string, Router>();
  try {
    for (const service of served) {
      routers.set(
        service,
        await startRouter({
          upstream: (revision) => pool.upstream(service, `${service}/revisions/${revision}`),
          observe: (revision, observation) => recorder.request(service, revision, observation),
          ...apiOption(apiPrefix.get(service)),
        }),
      );
    }
  } catch (error) {
    await Promise.all([...routers.values()].map((r) => r.close()));
    throw error;
  }

  const follow = (snapshot: ServiceSnapshot | null, name: string) => {
    const router = routers.get(name);
    if (!router) return;
    const table = tableOf(snapshot);
    router.setTable(table);
    // Revisions that serve (by percent or tag) run; after a restart they start here. The others
    // (0 % and no tag) are stopped, as Cloud Run scales them to zero: 30 releases leave 2 processes.
    // The latest ready revision is kept: a deploy names its traffic tag in a second write.
    const full = (revision: string) => `${name}/revisions/${revision}`;
    const serving = new Set(
      [...table.split.map((s) => s.revision), ...Object.values(table.tags)].map(full),
    );
    for (const revision of serving) void pool.upstream(name, revision);
    if (snapshot && !snapshot.deleted) {
      const keep = new Set(serving);
      if (snapshot.latestReadyRevision) keep.add(full(snapshot.latestReadyRevision));
      pool.retire(name, keep).catch((error: unknown) => options.onError?.(error));
    }
  };

  emulator.run.setUrlResolver((service, tag) => {
    const router = routers.get(service);
    if (!router) return defaultUrl(service, tag);
    return tag === null ? router.url : router.tagUrl(tag);
  });
  emulator.run.setRevisionStarter(async (info) =>
    served.has(info.service) ? pool.start(info.service, info.name) : { ready: true },
  );
  const unsubscribe = emulator.run.onChange((snapshot) => follow(snapshot, snapshot.name));
  for (const service of served) follow(emulator.run.snapshot(service), service);
  recorder.start();

  const router = (name: string): Router => {
    const r = routers.get(name);
    if (!r) throw new Error(`the local platform does not serve ${name}; pass it in services`);
    return r;
  };

  return {
    serviceUrl: (name) => router(name).url,
    tagUrl: (name, tag) => router(name).tagUrl(tag),
    processes: () => pool.running(),
    metricsTargets: () =>
      pool.listening().map(({ revision, upstream }) => ({
        revision,
        url: `http://${upstream.host}:${upstream.port}/metrics`,
      })),
    flush: () => recorder.flush(),
    async stop() {
      unsubscribe();
      emulator.run.setRevisionStarter(null);
      emulator.run.setUrlResolver(null);
      await Promise.all([...routers.values()].map((r) => r.close()));
      await pool.stopAll();
      await recorder.stop();
    },
  };
}
