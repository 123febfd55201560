import type { MetricsSource, Window } from '../../ports/metrics-source.js';
import type { RevisionMetrics } from '../../domain/measurement.js';
import { serviceConfig, type Config } from '../../schemas/config.js';
import type { MetricsConfig } from '../../schemas/metrics-config.js';
import { PrometheusApi } from './prometheus-api.js';
import { headersFor, type PrometheusAuth } from './prometheus-auth.js';
import { PrometheusMetrics } from './prometheus-metrics.js';

type PrometheusConfig = Extract<MetricsConfig, { source: 'prometheus' }>;

/**
 * The metrics source each service's config names (`metrics.source`): Cloud Monitoring, or a
 * Prometheus API. Sources are made on first use and kept, one per Prometheus configuration.
 */
export class ServiceMetrics implements MetricsSource {
  private readonly prometheus = new Map<string, PrometheusMetrics>();

  constructor(
    private readonly config: Config,
    private readonly monitoring: () => MetricsSource,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  measure(service: string, revision: string, window: Window): Promise<RevisionMetrics> {
    const metrics = serviceConfig(this.config, service)?.metrics;
    if (!metrics || metrics.source === 'cloud-monitoring')
      return this.monitoring().measure(service, revision, window);
    return this.prometheusFor(metrics).measure(service, revision, window);
  }

  private prometheusFor(config: PrometheusConfig): PrometheusMetrics {
    const key = JSON.stringify(config);
    let source = this.prometheus.get(key);
    if (!source) {
      const api = new PrometheusApi(config.url, headersFor(this.auth(config)));
      source = new PrometheusMetrics({ api, queries: config.queries });
      this.prometheus.set(key, source);
    }
    return source;
  }

  private auth(config: PrometheusConfig): PrometheusAuth {
    if (config.auth !== 'bearer') return { kind: config.auth };
    const token = this.env[config.tokenEnv];
    if (!token)
      throw new Error(
        `metrics.auth is bearer but ${config.tokenEnv} is not set: put the Prometheus token in that env var`,
      );
    return { kind: 'bearer', token };
  }
}
