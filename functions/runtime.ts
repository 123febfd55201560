import { jsonLogger } from '../shared/adapters/json-logger.js';
import { CutoverError, InvalidPayloadError } from '../shared/errors.js';
import type { Logger } from '../shared/ports/logger.js';
import {
  decodeJson,
  decodePubsubDelivery,
  type PubsubDelivery,
} from '../shared/schemas/inbound/pubsub.js';
import type { Deps } from '../shared/usecases/deps.js';
import { buildDeps } from '../shared/adapters/wiring.js';

let deps: Deps | null = null;

/** The process's dependencies, built on first use from the environment (config, endpoints). */
export function runtime(): Deps {
  deps ??= buildDeps(process.env);
  return deps;
}

/** Replaces the process's dependencies (tests), or drops them so the next call rebuilds from env. */
export function setRuntime(next: Deps | null): void {
  deps = next;
}

/** One decoded Pub/Sub message with its JSON body. */
export interface Delivered {
  delivery: PubsubDelivery;
  body: unknown;
}

/**
 * Decodes a Pub/Sub delivery (CloudEvent, push envelope or background event) to JSON. Returns
 * null — after logging — for a message older than maxEventAgeSeconds: acknowledged, not acted on.
 */
export function decodeMessage(event: unknown, d: Deps, logger: Logger): Delivered | null {
  const delivery = decodePubsubDelivery(event);
  const age = (d.clock.now().getTime() - Date.parse(delivery.publishTime)) / 1000;
  if (age > d.config.maxEventAgeSeconds) {
    logger.warn('event too old; acknowledged without action', {
      messageId: delivery.messageId,
      ageSeconds: Math.round(age),
      maxEventAgeSeconds: d.config.maxEventAgeSeconds,
    });
    return null;
  }
  if (!delivery.data)
    throw new InvalidPayloadError('Pub/Sub message', [
      'message.data: required (the message has no data)',
    ]);
  return { delivery, body: decodeJson(delivery.data) };
}

/**
 * Runs a Pub/Sub-triggered use case with the retry contract of event functions: malformed input
 * and permanent failures are logged and acknowledged (resolve); transient ones reject so Pub/Sub
 * redelivers with backoff.
 */
export async function settle(
  name: string,
  logger: Logger,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof InvalidPayloadError) {
      logger.error(`${name}: malformed input acknowledged: ${error.message}`, {
        error,
        issues: error.issues,
      });
      return;
    }
    if (error instanceof CutoverError && !error.retryable) {
      logger.error(`${name}: permanent failure acknowledged: ${error.message}`, { error });
      return;
    }
    logger.warn(`${name}: transient failure; rejecting so Pub/Sub redelivers`, { error });
    throw error;
  }
}

/** The process logger for code that runs before the deps exist (bad config). */
export const bootLogger = jsonLogger({ component: 'cutover' });
