import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import { durationMs, parseName } from './pubsub-types.js';
import type { SubscriptionRecord, WireDuration } from './pubsub-types.js';

/** `google.pubsub.v1.Subscription` as CreateSubscription receives it (proto field names). */
export interface WireSubscription {
  name?: string;
  topic?: string;
  push_config?: { push_endpoint?: string; attributes?: Record<string, string> };
  ack_deadline_seconds?: number;
  retry_policy?: { minimum_backoff?: WireDuration; maximum_backoff?: WireDuration };
  dead_letter_policy?: { dead_letter_topic?: string; max_delivery_attempts?: number };
  enable_message_ordering?: boolean;
  [field: string]: unknown;
}

const invalid = (message: string) => new RpcError(grpc.status.INVALID_ARGUMENT, message);

/**
 * Validates a new subscription and fills the defaults the real service applies: ack deadline
 * 10 s (allowed 10–600), retry backoff 10 s–600 s, dead-letter attempts 5 when 0 (allowed 5–100).
 * Existence of the topics is the broker's check.
 */
export function subscriptionFromWire(w: WireSubscription): SubscriptionRecord {
  parseName(w.name, 'subscriptions');
  parseName(w.topic, 'topics');
  const ackDeadlineSeconds = w.ack_deadline_seconds || 10;
  if (ackDeadlineSeconds < 10 || ackDeadlineSeconds > 600)
    throw invalid('ack_deadline_seconds must be between 10 and 600');
  const minBackoffMs = durationMs(w.retry_policy?.minimum_backoff) ?? 10_000;
  const maxBackoffMs = durationMs(w.retry_policy?.maximum_backoff) ?? 600_000;
  if (minBackoffMs < 0 || maxBackoffMs < minBackoffMs)
    throw invalid('retry_policy.maximum_backoff must not be below minimum_backoff');
  let deadLetter: SubscriptionRecord['deadLetter'];
  if (w.dead_letter_policy?.dead_letter_topic) {
    parseName(w.dead_letter_policy.dead_letter_topic, 'topics');
    const maxDeliveryAttempts = w.dead_letter_policy.max_delivery_attempts || 5;
    if (maxDeliveryAttempts < 5 || maxDeliveryAttempts > 100)
      throw invalid('max_delivery_attempts must be between 5 and 100');
    deadLetter = { topic: w.dead_letter_policy.dead_letter_topic, maxDeliveryAttempts };
  }
  const pushEndpoint = w.push_config?.push_endpoint || undefined;
  if (pushEndpoint && !/^https?:\/\//.test(pushEndpoint))
    throw invalid(`invalid push_endpoint "${pushEndpoint}"`);
  const wire: Record<string, unknown> = {
    ...w,
    ack_deadline_seconds: ackDeadlineSeconds,
    ...(deadLetter
      ? {
          dead_letter_policy: {
            dead_letter_topic: deadLetter.topic,
            max_delivery_attempts: deadLetter.maxDeliveryAttempts,
          },
        }
      : {}),
    state: 'ACTIVE',
  };
  return {
    name: w.name!,
    topic: w.topic!,
    ...(pushEndpoint ? { pushEndpoint } : {}),
    pushAttributes: { ...(w.push_config?.attributes ?? {}) },
    ackDeadlineSeconds,
    minBackoffMs,
    maxBackoffMs,
    ...(deadLetter ? { deadLetter } : {}),
    ordered: w.enable_message_ordering === true,
    active: true,
    wire,
  };
}
