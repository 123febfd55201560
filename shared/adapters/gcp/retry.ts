import pRetry from 'p-retry';
import type { CallOptions } from 'google-gax';
import { classify, toCutoverError } from './grpc-errors.js';

/**
 * Backoff for in-process retries of UNAVAILABLE, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED.
 * Kept short: a function that keeps failing should reject soon and let Pub/Sub redeliver.
 */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  minDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Multiply each delay by a random factor in [1, 2) (full jitter is p-retry's `randomize`). */
  jitter: boolean;
}

export const DEFAULT_RETRY: RetryPolicy = {
  retries: 3,
  minDelayMs: 250,
  maxDelayMs: 4000,
  factor: 2,
  jitter: true,
};

/** For tests: same behaviour, millisecond delays. */
export const FAST_RETRY: RetryPolicy = {
  retries: 3,
  minDelayMs: 1,
  maxDelayMs: 5,
  factor: 2,
  jitter: true,
};

/**
 * Per-call options that switch off google-gax's own retries for a call we wrap. The retrying is
 * done here, with p-retry, rather than through gax's retry config because one policy then covers
 * every client (including the LRO wait) and maps to cutover's errors in one place; running both
 * would multiply the attempts (gax's defaults retry UNAVAILABLE for minutes on some methods).
 */
export const NO_GAX_RETRY: CallOptions = { retry: null };

/**
 * Runs `call`, retrying what is worth retrying with exponential backoff and jitter, and maps the
 * final failure to TransientError / ConflictError / PermanentError with the original as cause.
 */
export async function withRetry<T>(
  operation: string,
  call: () => Promise<T>,
  options: { policy?: RetryPolicy; resource?: string } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  let last: unknown;
  try {
    return await pRetry(
      async () => {
        try {
          return await call();
        } catch (error) {
          last = error;
          throw error instanceof Error ? error : new Error(String(error));
        }
      },
      {
        retries: policy.retries,
        minTimeout: policy.minDelayMs,
        maxTimeout: policy.maxDelayMs,
        factor: policy.factor,
        randomize: policy.jitter,
        shouldRetry: () => classify(last) === 'retry',
      },
    );
  } catch (error) {
    throw toCutoverError(operation, last ?? error, options.resource);
  }
}
