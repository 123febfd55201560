import { z } from 'zod';

/** Label matchers every default query uses; `{service}` is the service id, `{revision}` the short revision name. */
const BY_REVISION = 'service="{service}",revision="{revision}"';

/**
 * The PromQL each figure comes from. Placeholders: `{service}`, `{revision}`, `{window}` (the
 * window as a duration, e.g. `600s`). Each query is evaluated once, at the window's end.
 */
export const PrometheusQueries = z
  .object({
    /** Requests by status code over the window: total, and those with a 5xx status. */
    requests: z
      .string()
      .default(`sum by (status) (increase(http_requests_total{${BY_REVISION}}[{window}]))`),
    /** Label of `requests` that holds the status code. */
    statusLabel: z.string().default('status'),
    /** Cumulative latency buckets by `le`, merged over every series of the revision. */
    latencyBuckets: z
      .string()
      .default(
        `sum by (le) (increase(http_request_duration_seconds_bucket{${BY_REVISION}}[{window}]))`,
      ),
    /** How many milliseconds one unit of `le` is (1000: the buckets are in seconds). */
    latencyUnitMs: z.number().positive().default(1000),
    predictionCount: z
      .string()
      .default(`sum(increase(model_prediction_count{${BY_REVISION}}[{window}]))`),
    predictionSum: z
      .string()
      .default(`sum(increase(model_prediction_sum{${BY_REVISION}}[{window}]))`),
    /** Sum of squared scores: with count and sum, the exact sum of squared deviation. */
    predictionSquares: z
      .string()
      .default(`sum(increase(model_prediction_squares_total{${BY_REVISION}}[{window}]))`),
  })
  .strict();
export type PrometheusQueries = z.infer<typeof PrometheusQueries>;

const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

/** Where a service's metrics come from. */
export const MetricsConfig = z.discriminatedUnion('source', [
  z.object({ source: z.literal('cloud-monitoring') }).strict(),
  z
    .object({
      source: z.literal('prometheus'),
      /**
       * The Prometheus API base (without /api/v1): any Prometheus server, or Managed Service for
       * Prometheus at https://monitoring.googleapis.com/v1/projects/PROJECT/location/global/prometheus.
       */
      url: z.url({ protocol: /^https?$/ }),
      /** none; bearer (the token in the env var `tokenEnv`); google (ADC, for Managed Prometheus). */
      auth: z.enum(['none', 'bearer', 'google']).default('none'),
      tokenEnv: EnvName.default('CUTOVER_PROMETHEUS_TOKEN'),
      queries: PrometheusQueries.default(PrometheusQueries.parse({})),
    })
    .strict(),
]);
export type MetricsConfig = z.infer<typeof MetricsConfig>;
