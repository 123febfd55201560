import { z } from 'zod';

/**
 * The model's environment. One image plays a good or a bad v2 by these values alone:
 * slow (`EXTRA_LATENCY_MS`), failing (`ERROR_RATE`), drifting (`PREDICTION_SHIFT`), answering in
 * another shape (`RESPONSE_SHAPE=v2`) or never becoming ready (`FAIL_STARTUP`).
 */
export interface Knobs {
  port: number;
  /** Interface to listen on; a container listens on all of them, the local platform on loopback. */
  host: string;
  modelVersion: string;
  extraLatencyMs: number;
  /**
   * Fraction of predictions `extraLatencyMs` applies to, spread evenly (see `EvenShare`): below 1/3
   * no three consecutive predictions hold two slow ones, so a median of three probes (the smoke
   * test) and a median of paired differences (the shadow replay) stay unmoved while p95 is not.
   */
  slowShare: number;
  /** Fraction of predictions answered with 503, spread evenly (see `EvenShare`). */
  errorRate: number;
  /**
   * Predictions answered normally before `errorRate` starts (a v2 that fails once warm): the
   * smoke test's few probes pass, and only the step analysis sees the 503s.
   */
  errorsAfter: number;
  predictionShift: number;
  responseShape: 'v1' | 'v2';
  failStartup: boolean;
  /** The color's isolated storage for inference logs, echoed in every prediction log line. */
  inferenceLogBucket: string | null;
  /** How often buffered predictions are written to the bucket as one batch object. */
  inferenceLogFlushMs: number;
  /** When set, the model exits as soon as this process is gone (no child outlives its stack). */
  parentPid: number | null;
}

const flag = z
  .enum(['', '0', '1', 'false', 'true'], { error: 'must be true/false or 1/0' })
  .transform((v) => v === '1' || v === 'true');

const KnobsEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  MODEL_VERSION: z.string().min(1).default('1.0.0'),
  EXTRA_LATENCY_MS: z.coerce.number().min(0, 'must be 0 or more').default(0),
  SLOW_SHARE: z.coerce
    .number()
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(1),
  ERROR_RATE: z.coerce
    .number()
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(0),
  ERROR_AFTER: z.coerce.number().int().min(0, 'must be 0 or more').default(0),
  PREDICTION_SHIFT: z.coerce.number().min(-1).max(1).default(0),
  RESPONSE_SHAPE: z.enum(['v1', 'v2']).default('v1'),
  FAIL_STARTUP: flag.default(false),
  INFERENCE_LOG_BUCKET: z.string().optional(),
  INFERENCE_LOG_FLUSH_MS: z.coerce.number().int().min(10, 'must be at least 10').default(1000),
  CUTOVER_PARENT_PID: z.coerce.number().int().positive().optional(),
});

/** Thrown when a knob has a value the model cannot use; the message names the variable. */
export class KnobError extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid model environment: ${issues.join('; ')}`);
    this.name = 'KnobError';
  }
}

/** Reads the knobs from an environment; empty strings count as unset. */
export function readKnobs(env: Record<string, string | undefined>): Knobs {
  const set = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = KnobsEnv.safeParse(set);
  if (!parsed.success) {
    throw new KnobError(parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    modelVersion: e.MODEL_VERSION,
    extraLatencyMs: e.EXTRA_LATENCY_MS,
    slowShare: e.SLOW_SHARE,
    errorRate: e.ERROR_RATE,
    errorsAfter: e.ERROR_AFTER,
    predictionShift: e.PREDICTION_SHIFT,
    responseShape: e.RESPONSE_SHAPE,
    failStartup: e.FAIL_STARTUP,
    inferenceLogBucket: e.INFERENCE_LOG_BUCKET ?? null,
    inferenceLogFlushMs: e.INFERENCE_LOG_FLUSH_MS,
    parentPid: e.CUTOVER_PARENT_PID ?? null,
  };
}

/**
 * Picks exactly `rate` of the predictions (to fail, or to slow down), evenly spread: the n-th is
 * picked when floor(n·rate) moves. Deterministic, so tests and demos see the same counts.
 */
export class EvenShare {
  private served = 0;
  constructor(private readonly rate: number) {}

  /** Whether the next prediction is picked. */
  next(): boolean {
    const before = Math.floor(this.served * this.rate);
    this.served += 1;
    return Math.floor(this.served * this.rate) > before;
  }
}
