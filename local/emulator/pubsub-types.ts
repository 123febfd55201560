import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';

/** A message as the broker keeps it (one copy per topic; subscriptions reference it). */
export interface StoredMessage {
  messageId: string;
  topic: string;
  data: Buffer;
  attributes: Record<string, string>;
  publishTime: Date;
  orderingKey?: string;
}

/** What `published(topic)` returns for tests and the demo. */
export type PublishedMessage = Omit<StoredMessage, 'topic'>;

/** The parts of a `google.pubsub.v1.Subscription` the broker acts on; `wire` is returned as stored. */
export interface SubscriptionRecord {
  name: string;
  /** Full topic name, or `_deleted-topic_` once the topic is deleted (as real). */
  topic: string;
  pushEndpoint?: string;
  pushAttributes: Record<string, string>;
  ackDeadlineSeconds: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  deadLetter?: { topic: string; maxDeliveryAttempts: number };
  /** enable_message_ordering: one message per ordering key in flight, in publish order. */
  ordered: boolean;
  /** False once deleted: pending deliveries stop. */
  active: boolean;
  wire: Record<string, unknown>;
}

export interface WireDuration {
  seconds?: string | number;
  nanos?: number;
}

export function durationMs(d: WireDuration | undefined): number | undefined {
  if (!d || (d.seconds === undefined && d.nanos === undefined)) return undefined;
  return Number(d.seconds ?? 0) * 1000 + Math.floor((d.nanos ?? 0) / 1e6);
}

export function timestampOf(date: Date): { seconds: string; nanos: number } {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: (ms - seconds * 1000) * 1e6 };
}

const ID = '[A-Za-z][A-Za-z0-9\\-_.~+%]{2,254}';

/** Splits `projects/P/topics/T` (kind `topics`) or `projects/P/subscriptions/S`; INVALID_ARGUMENT otherwise. */
export function parseName(
  name: string | undefined,
  kind: 'topics' | 'subscriptions',
): { project: string; id: string } {
  const m = new RegExp(`^projects/([^/]+)/${kind}/(${ID})$`).exec(name ?? '');
  if (!m || m[2]!.startsWith('goog'))
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `invalid ${kind === 'topics' ? 'topic' : 'subscription'} name "${name ?? ''}"`,
    );
  return { project: m[1]!, id: m[2]! };
}

export function notFound(what: string, name: string): RpcError {
  return new RpcError(grpc.status.NOT_FOUND, `${what} not found: ${name}`);
}
