import { createRequire } from 'node:module';
import type * as ArtifactRegistryModule from '@google-cloud/artifact-registry';
import type * as MonitoringModule from '@google-cloud/monitoring';
import type * as PubSubModule from '@google-cloud/pubsub';
import type * as RunModule from '@google-cloud/run';
import { loadConfigFromEnv } from '../config/load.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { Config } from '../schemas/config.js';
import { timeId, type Deps } from '../usecases/deps.js';
import { clientOptionsFromEnv, type GoogleClientOptions } from './gcp/client-options.js';
import { ArtifactRegistry } from './gcp/artifact-registry.js';
import { CloudRunPlatform } from './gcp/cloud-run-platform.js';
import { MonitoringMetrics } from './gcp/monitoring-metrics.js';
import { ServiceMetrics } from './prometheus/service-metrics.js';
import { PubSubBus } from './gcp/pubsub-bus.js';
import { HttpSmokeProber } from './http-smoke-prober.js';
import { jsonLogger } from './json-logger.js';

// The client packages are CommonJS; requiring them on first use keeps a function's cold start to
// the clients it actually calls (the adapters themselves import only their types).
const require = createRequire(import.meta.url);

/** The adapters a function may ask for; each is built on its first call, then reused. */
export type Adapters = Pick<Deps, 'platform' | 'metrics' | 'registry' | 'bus' | 'prober'>;

function once<T>(make: () => T): () => T {
  let made: { value: T } | null = null;
  return () => (made ??= { value: make() }).value;
}

/**
 * The real adapters, talking to `CUTOVER_EMULATOR_HOST` when it is set and to Google (ADC)
 * otherwise. `predictionMetric` is the log-based metric MonitoringMetrics reads.
 */
export function gcpAdapters(
  options: GoogleClientOptions,
  predictionMetric?: string,
  config?: Config,
): Adapters {
  const monitoring = once(() => {
    const monitoringModule = require('@google-cloud/monitoring') as typeof MonitoringModule;
    const client = new monitoringModule.MetricServiceClient(options.gapic);
    return new MonitoringMetrics(predictionMetric ? { client, predictionMetric } : { client });
  });
  return {
    platform: once(() => {
      const run = require('@google-cloud/run') as typeof RunModule;
      return new CloudRunPlatform({
        services: new run.ServicesClient(options.gapic),
        revisions: new run.RevisionsClient(options.gapic),
      });
    }),
    // Per service: Cloud Monitoring, or the Prometheus API its `metrics` config names.
    metrics: once(() =>
      config?.services.some((s) => s.metrics.source === 'prometheus')
        ? new ServiceMetrics(config, monitoring)
        : monitoring(),
    ),
    registry: once(() => {
      const ar = require('@google-cloud/artifact-registry') as typeof ArtifactRegistryModule;
      return new ArtifactRegistry({ client: new ar.ArtifactRegistryClient(options.gapic) });
    }),
    bus: once(() => {
      const { PubSub } = require('@google-cloud/pubsub') as typeof PubSubModule;
      return new PubSubBus({ pubsub: new PubSub(options.pubsub) });
    }),
    prober: once(() => new HttpSmokeProber()),
  };
}

/**
 * The process's dependencies from the environment: config (CUTOVER_CONFIG[_FILE]), endpoints,
 * logger. `clock` is the system clock in production; tests pass a manual one.
 */
export function buildDeps(
  env: NodeJS.ProcessEnv = process.env,
  config: Config = loadConfigFromEnv(env),
  clock: Clock = systemClock,
): Deps {
  return {
    config,
    clock,
    logger: jsonLogger({ component: 'cutover' }),
    ...gcpAdapters(clientOptionsFromEnv(env), config.predictionMetric, config),
    newId: () => timeId(clock.now()),
  };
}
