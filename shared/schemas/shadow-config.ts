import { z } from 'zod';

const Ratio = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

/**
 * The shadow replay of the smoke phase: the newest logged requests of the stable (from its
 * color's inference-log bucket) sent to both tag URLs and judged in pairs before any user traffic.
 * The replayed routes must be free of side effects: every request runs twice more.
 */
export const ShadowConfig = z
  .object({
    /** false: the service opts out (e.g. its logged routes have side effects). */
    enabled: z.boolean().default(true),
    /** Env name, in each color's env, that holds the color's inference-log bucket. */
    bucketEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .default('INFERENCE_LOG_BUCKET'),
    /** Object name prefix of the log batches. */
    prefix: z.string().default('inference/'),
    /** N: how many of the newest logged requests to replay. */
    requests: z.number().int().positive('must be at least 1').max(5000).default(200),
    /** Requests logged longer ago than this are not replayed. */
    maxAgeSeconds: z.number().int().positive().default(3600),
    /** Rate limit: pairs started per second (each pair is one request to blue and one to green). */
    requestsPerSecond: z.number().positive('must be above 0').max(1000).default(20),
    /** Logged routes that may be replayed ("METHOD /path"); anything else in the log is skipped. */
    routes: z
      .array(z.string().regex(/^(GET|POST|PUT|PATCH|DELETE) \/\S*$/, 'must be "METHOD /path"'))
      .min(1)
      .default(['POST /predict']),
    /** Fewer judged pairs than this make a check inconclusive (and the replay waits for logs). */
    minSamples: z.number().int().min(2, 'must be at least 2').default(50),
    /** Field of the answer holding the prediction score. */
    predictionField: z.string().min(1).default('leakage_probability'),
    /** The model's decision threshold: a score at or above it is a positive decision. */
    decisionThreshold: z.number().default(0.5),
    /** Share of pairs whose decision flips above this fails. */
    maxFlipShare: Ratio.default(0.05),
    /** Kolmogorov–Smirnov distance of green's scores from blue's above this (significantly) fails. */
    maxKsDistance: Ratio.default(0.2),
    /** One-sided error level of every replay test. */
    alpha: z.number().gt(0).lt(0.5).default(0.01),
    timeoutSeconds: z.number().positive().default(10),
  })
  .strict();
export type ShadowConfig = z.infer<typeof ShadowConfig>;
