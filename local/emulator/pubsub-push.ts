import type { StoredMessage, SubscriptionRecord } from './pubsub-types.js';

/** `push_config.attributes["x-cutover-format"]` value that selects the raw push envelope. */
export const ENVELOPE_FORMAT = 'envelope';

/** The `message` object of a push body, in both spellings as real deliveries carry them. */
function messageJson(msg: StoredMessage, deliveryAttempt?: number) {
  const publishTime = msg.publishTime.toISOString();
  return {
    ...(msg.data.length > 0 ? { data: msg.data.toString('base64') } : {}),
    ...(Object.keys(msg.attributes).length > 0 ? { attributes: msg.attributes } : {}),
    messageId: msg.messageId,
    message_id: msg.messageId,
    publishTime,
    publish_time: publishTime,
    ...(msg.orderingKey ? { orderingKey: msg.orderingKey } : {}),
    ...(deliveryAttempt !== undefined ? { deliveryAttempt } : {}),
  };
}

/**
 * The HTTP request for one push delivery. By default an Eventarc-style binary-mode CloudEvent
 * (`ce-*` headers, `google.cloud.pubsub.topic.v1.messagePublished`); with
 * `x-cutover-format: envelope` the raw Pub/Sub push envelope, with `deliveryAttempt` when the
 * subscription has a dead-letter policy (as real push does).
 */
export function pushRequest(
  sub: SubscriptionRecord,
  msg: StoredMessage,
  attempt: number,
): { headers: Record<string, string>; body: string } {
  const subscription = sub.name;
  if (sub.pushAttributes['x-cutover-format'] === ENVELOPE_FORMAT) {
    const body = { message: messageJson(msg, sub.deadLetter ? attempt : undefined), subscription };
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  }
  return {
    headers: {
      'content-type': 'application/json',
      'ce-id': msg.messageId,
      'ce-source': `//pubsub.googleapis.com/${msg.topic}`,
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-time': msg.publishTime.toISOString(),
    },
    body: JSON.stringify({ subscription, message: messageJson(msg) }),
  };
}

/**
 * POSTs one delivery; true when the endpoint acknowledged it (any 2xx). A non-2xx answer, a
 * connection error and a timeout (the subscription's ack deadline) are all negative acks.
 */
export async function pushOnce(
  sub: SubscriptionRecord,
  msg: StoredMessage,
  attempt: number,
  stop: AbortSignal,
): Promise<boolean> {
  if (!sub.pushEndpoint) return false;
  const { headers, body } = pushRequest(sub, msg, attempt);
  const signal = AbortSignal.any([stop, AbortSignal.timeout(sub.ackDeadlineSeconds * 1000)]);
  try {
    const response = await fetch(sub.pushEndpoint, { method: 'POST', headers, body, signal });
    await response.arrayBuffer().catch(() => undefined);
    return response.status >= 200 && response.status < 300;
  } catch {
    return false;
  }
}
