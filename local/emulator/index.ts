import { systemClock } from '../../shared/ports/clock.js';
import type { Clock } from '../../shared/ports/clock.js';
import { createArtifactRegistry } from './artifact-registry.js';
import type {
  ArtifactRegistryState,
  ArtifactRegistryStateDocument,
  Publisher,
} from './artifact-registry.js';
import { createCloudRun } from './cloud-run.js';
import type { CloudRunState, CloudRunStateDocument } from './cloud-run.js';
import { Faults } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { createMonitoring } from './monitoring.js';
import type { MonitoringState } from './monitoring.js';
import { createPubsub } from './pubsub.js';
import type { PubsubState, PubsubStateDocument } from './pubsub.js';
import { EmulatorServer } from './server.js';
import { readStateFile, writeStateFile } from './state-file.js';
import { StorageHttp } from './storage-http.js';
import { StorageStore, type StorageStateDocument } from './storage-store.js';
import { PrometheusQueryHttp } from '../prometheus/query-http.js';

export interface StartEmulatorOptions {
  /** 0 or absent: any free port. */
  port?: number;
  clock?: Clock;
  /**
   * JSON file the Run, Artifact Registry, Storage and Pub/Sub state (topics, subscriptions,
   * unacknowledged messages) is loaded from at start and written to after every change.
   */
  stateFile?: string;
  /**
   * True: restored push messages wait for `pubsub.resume()` (the local stack calls it once its
   * functions listen again and the subscriptions point at them). Default: redelivered at start.
   */
  holdRedelivery?: boolean;
  /**
   * Where Artifact Registry notifications go (topic `projects/P/topics/gcr`). Defaults to the emulated
   * Pub/Sub (NOT_FOUND, ignored by AR's best-effort calls, while topic `gcr` does not exist). Tests
   * may pass a capturing one.
   */
  publish?: Publisher;
}

/** Drops every message (resolves with an empty message id). */
export const discardPublisher: Publisher = () => Promise.resolve('');

/** The running emulator: one gRPC server on loopback serving every emulated API. */
export interface Emulator {
  /** `127.0.0.1:PORT`: `apiEndpoint: '127.0.0.1'` + `port` for the GAPIC clients, or PubSub's `apiEndpoint`. */
  address: string;
  port: number;
  faults: Faults;
  run: CloudRunState;
  registry: ArtifactRegistryState;
  monitoring: MonitoringState;
  pubsub: PubsubState;
  /** Cloud Storage buckets and objects (JSON API over HTTP, see storage-http.ts). */
  storage: StorageStore;
  /** The Cloud Storage JSON API's fault injection (failNext). */
  storageHttp: StorageHttp;
  /** `http://127.0.0.1:PORT`: the value of STORAGE_EMULATOR_HOST for @google-cloud/storage. */
  storageHost: string;
  /**
   * `http://127.0.0.1:PORT`: Managed Service for Prometheus' query API over this Monitoring data;
   * a project's Prometheus base URL is `${prometheusHost}/v1/projects/P/location/global/prometheus`.
   */
  prometheusHost: string;
  /** How many PromQL queries the Managed Service for Prometheus endpoint has answered. */
  prometheusQueries(): number;
  // ── more API modules: add their state members here ──
  /** Stops Pub/Sub push deliveries, then the server. */
  close(): Promise<void>;
}

/** Starts the emulator with every API module registered on one server. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const ctx: EmulatorContext = { clock: options.clock ?? systemClock, faults: new Faults() };
  const server = new EmulatorServer();
  let loaded = false;
  const persist = (): void => {
    if (!loaded || !options.stateFile) return;
    writeStateFile(options.stateFile, {
      run: run.state.exportState(),
      registry: registry.state.exportState(),
      storage: storage.exportState(),
      pubsub: pubsub.state.exportState(),
    });
  };

  // ── more API modules: create them here with `ctx` and add `server.add(module.services)` below ──
  const monitoring = createMonitoring(ctx);
  const pubsub = createPubsub(ctx, persist);
  const publish: Publisher = options.publish ?? pubsub.state.publish;
  const run = createCloudRun(ctx, persist);
  const registry = createArtifactRegistry(
    ctx,
    (topic, data, attrs) => publish(topic, data, attrs),
    persist,
  );
  const storage = new StorageStore(ctx.clock, persist);
  const storageHttp = new StorageHttp(storage);
  const prometheusHttp = new PrometheusQueryHttp(
    (project) => monitoring.state.series(project),
    () => ctx.clock.now(),
  );
  server.add(run.services);
  server.add(registry.services);
  server.add(monitoring.services);
  server.add(pubsub.services);

  if (options.stateFile) {
    const document = readStateFile(options.stateFile);
    if (document.run) run.state.importState(document.run as CloudRunStateDocument);
    if (document.registry) {
      registry.state.importState(document.registry as ArtifactRegistryStateDocument);
    }
    if (document.storage) storage.importState(document.storage as StorageStateDocument);
    if (document.pubsub) pubsub.state.importState(document.pubsub as PubsubStateDocument);
  }
  loaded = true;
  if (!options.holdRedelivery) pubsub.state.resume();
  const port = await server.listen(options.port ?? 0);
  const storageHost = await storageHttp.listen(0);
  const prometheusHost = await prometheusHttp.listen(0);
  return {
    address: `127.0.0.1:${port}`,
    port,
    faults: ctx.faults,
    run: run.state,
    registry: registry.state,
    monitoring: monitoring.state,
    pubsub: pubsub.state,
    storage,
    storageHttp,
    storageHost,
    prometheusHost,
    prometheusQueries: () => prometheusHttp.answered,
    close: async () => {
      pubsub.state.close();
      await storageHttp.close();
      await prometheusHttp.close();
      return server.close();
    },
  };
}
