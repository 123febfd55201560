import { systemClock } from '../../shared/ports/clock.js';
import type { Logger } from '../../shared/ports/logger.js';
import type { Config } from '../../shared/schemas/config.js';
import { PrometheusQueries } from '../../shared/schemas/metrics-config.js';
import type { Emulator } from '../emulator/index.js';
import type { Platform } from '../platform/index.js';
import { ManagedCollection } from './managed-collection.js';

/** Where a stack's metrics are read from: Cloud Monitoring (default) or Prometheus' API. */
export type LocalMetrics = 'cloud-monitoring' | 'prometheus';

/** The project's Managed Service for Prometheus base URL on the emulator. */
export function prometheusBase(
  emulator: Pick<Emulator, 'prometheusHost'>,
  project: string,
): string {
  return `${emulator.prometheusHost}/v1/projects/${project}/location/global/prometheus`;
}

/** The config with every service measured through the Prometheus API at `url`, default queries. */
export function withPrometheus(config: Config, url: string): Config {
  return {
    ...config,
    services: config.services.map((s) => ({
      ...s,
      metrics: {
        source: 'prometheus',
        url,
        auth: 'none',
        tokenEnv: 'CUTOVER_PROMETHEUS_TOKEN',
        queries: PrometheusQueries.parse({}),
      },
    })),
  };
}

/**
 * Managed collection for a local stack: every `intervalMs`, each running revision's `/metrics`
 * (the model's prom-client registry) is scraped into the emulator's Monitoring, job and namespace
 * the service id, instance the revision. Returns its stop.
 */
export function collectRevisions(options: {
  emulator: Pick<Emulator, 'monitoring'>;
  platform: Pick<Platform, 'metricsTargets'>;
  project: string;
  location: string;
  intervalMs: number;
  logger: Logger;
}): () => void {
  const collection = new ManagedCollection({
    project: options.project,
    location: options.location,
    clock: systemClock,
    write: (series) => options.emulator.monitoring.write(series),
    targets: () =>
      options.platform.metricsTargets().map(({ revision, url }) => {
        const [, , , , , service = '', , short = revision] = revision.split('/');
        return { url, job: service, namespace: service, instance: short };
      }),
    onError: (target, error) =>
      options.logger.warn('prometheus collection: scrape failed', {
        target: target.url,
        error: error.message,
      }),
  });
  collection.start(options.intervalMs);
  return () => collection.stop();
}
