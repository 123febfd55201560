import type { StoredMessage, SubscriptionRecord } from './pubsub-types.js';

/** A message a subscription has not acknowledged, as the state file keeps it. */
export interface SavedMessage {
  messageId: string;
  topic: string;
  /** base64 */
  data: string;
  attributes: Record<string, string>;
  publishTime: string;
  orderingKey?: string;
  attempts: number;
}

/**
 * What survives a restart, as real Pub/Sub is durable: topics, subscriptions, and every message a
 * subscription has not acknowledged (with its delivery attempts), plus the next message id so ids
 * stay unique (subscribers dedupe on them). The log `published()` reads is not kept.
 */
export interface PubsubStateDocument {
  nextId: number;
  topics: Array<{ name: string; labels: Record<string, string> }>;
  subscriptions: Array<{ record: SubscriptionRecord; unacked: SavedMessage[] }>;
}

/** A message as the state file keeps it, and back. */
export const save = (msg: StoredMessage, attempts: number): SavedMessage => ({
  ...msg,
  data: msg.data.toString('base64'),
  publishTime: msg.publishTime.toISOString(),
  attempts,
});
export const load = ({ attempts: _attempts, ...m }: SavedMessage): StoredMessage => ({
  ...m,
  data: Buffer.from(m.data, 'base64'),
  publishTime: new Date(m.publishTime),
});
