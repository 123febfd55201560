import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../../shared/ports/clock.js';
import { RpcError } from './faults.js';
import { PushDeliveries } from './pubsub-delivery.js';
import { PullQueue } from './pubsub-pull.js';
import { subscriptionFromWire } from './pubsub-subscription.js';
import type { WireSubscription } from './pubsub-subscription.js';
import { notFound, parseName } from './pubsub-types.js';
import type { PublishedMessage, StoredMessage, SubscriptionRecord } from './pubsub-types.js';

export interface OutgoingMessage {
  data?: Buffer;
  attributes?: Record<string, string>;
  orderingKey?: string;
}

const DELETED_TOPIC = '_deleted-topic_';

/**
 * Topics, subscriptions and message fan-out. A message reaches the subscriptions that exist when
 * it is published (as real); push subscriptions get it through PushDeliveries, pull
 * subscriptions queue it. Every published message is also logged per topic for `published()`.
 */
export class PubsubBroker {
  private readonly topics = new Map<string, { name: string; labels: Record<string, string> }>();
  private readonly subs = new Map<string, { record: SubscriptionRecord; queue?: PullQueue }>();
  private readonly log = new Map<string, StoredMessage[]>();
  private nextId = 1;
  readonly deliveries = new PushDeliveries((sub, msg, attempts) =>
    this.deadLetter(sub, msg, attempts),
  );

  constructor(private readonly clock: Clock) {}

  createTopic(name: string | undefined, labels: Record<string, string> = {}) {
    parseName(name, 'topics');
    if (this.topics.has(name!))
      throw new RpcError(grpc.status.ALREADY_EXISTS, `Topic already exists: ${name}`);
    const topic = { name: name!, labels };
    this.topics.set(topic.name, topic);
    return topic;
  }

  getTopic(name: string | undefined) {
    const topic = this.topics.get(name ?? '');
    if (!topic) throw notFound('Topic', name ?? '');
    return topic;
  }

  listTopics(project: string) {
    return [...this.topics.values()].filter((t) =>
      t.name.startsWith(`projects/${project}/topics/`),
    );
  }

  deleteTopic(name: string | undefined): void {
    this.getTopic(name);
    this.topics.delete(name!);
    for (const { record } of this.subs.values())
      if (record.topic === name) record.topic = DELETED_TOPIC;
  }

  /** A full topic name, or a bare topic id when exactly one topic has it. */
  resolveTopic(topic: string): string {
    if (topic.includes('/')) return topic;
    const found = [...this.topics.keys()].filter((name) => name.endsWith(`/topics/${topic}`));
    if (found.length !== 1) throw notFound('Topic', topic);
    return found[0]!;
  }

  /** Publishes to an existing topic (NOT_FOUND otherwise) and resolves with the message ids. */
  async publish(topic: string | undefined, messages: OutgoingMessage[]): Promise<string[]> {
    const name = this.getTopic(topic).name;
    if (messages.length === 0)
      throw new RpcError(grpc.status.INVALID_ARGUMENT, 'at least one message is required');
    const stored = messages.map((m): StoredMessage => {
      const data = m.data ?? Buffer.alloc(0);
      const attributes = { ...(m.attributes ?? {}) };
      if (data.length === 0 && Object.keys(attributes).length === 0)
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          'a message must contain either non-empty data or at least one attribute',
        );
      const publishTime = this.clock.now();
      const base = { messageId: String(this.nextId++), topic: name, data, attributes, publishTime };
      return m.orderingKey ? { ...base, orderingKey: m.orderingKey } : base;
    });
    this.log.set(name, [...(this.log.get(name) ?? []), ...stored]);
    for (const { record, queue } of this.subs.values()) {
      if (record.topic !== name) continue;
      for (const msg of stored) {
        if (queue) queue.add(msg);
        else this.deliveries.start(record, msg);
      }
    }
    return stored.map((m) => m.messageId);
  }

  /** Messages published to a topic (full name or bare id, across projects), oldest first. */
  published(topic: string): PublishedMessage[] {
    const names = topic.includes('/')
      ? [topic]
      : [...this.log.keys()].filter((n) => n.endsWith(`/topics/${topic}`));
    return names
      .flatMap((n) => this.log.get(n) ?? [])
      .map(({ topic: _topic, ...message }) => message);
  }

  createSubscription(wire: WireSubscription): SubscriptionRecord {
    const record = subscriptionFromWire(wire);
    if (this.subs.has(record.name))
      throw new RpcError(grpc.status.ALREADY_EXISTS, `Subscription already exists: ${record.name}`);
    this.getTopic(record.topic);
    if (record.deadLetter) this.getTopic(record.deadLetter.topic);
    const queue = record.pushEndpoint
      ? undefined
      : new PullQueue(record, this.clock, (s, m, n) => this.deadLetter(s, m, n));
    this.subs.set(record.name, queue ? { record, queue } : { record });
    return record;
  }

  getSubscription(name: string | undefined): SubscriptionRecord {
    return this.entry(name).record;
  }

  deleteSubscription(name: string | undefined): void {
    this.entry(name).record.active = false;
    this.subs.delete(name!);
  }

  /** The pull backlog of a subscription; FAILED_PRECONDITION for a push subscription. */
  queue(name: string | undefined): PullQueue {
    const { queue } = this.entry(name);
    if (!queue)
      throw new RpcError(
        grpc.status.FAILED_PRECONDITION,
        `${name} is a push subscription; the emulator delivers it by push`,
      );
    return queue;
  }

  private entry(name: string | undefined) {
    const entry = this.subs.get(name ?? '');
    if (!entry) throw notFound('Subscription', name ?? '');
    return entry;
  }

  /** Forwards a message with the attributes the real service adds; lost if the topic is gone (as real). */
  private async deadLetter(
    sub: SubscriptionRecord,
    msg: StoredMessage,
    attempts: number,
  ): Promise<void> {
    if (!sub.deadLetter || !this.topics.has(sub.deadLetter.topic)) return;
    const { project, id } = parseName(sub.name, 'subscriptions');
    await this.publish(sub.deadLetter.topic, [
      {
        data: msg.data,
        attributes: {
          ...msg.attributes,
          CloudPubSubDeadLetterSourceDeliveryCount: String(attempts),
          CloudPubSubDeadLetterSourceSubscription: id,
          CloudPubSubDeadLetterSourceSubscriptionProject: project,
          CloudPubSubDeadLetterSourceTopicPublishTime: msg.publishTime.toISOString(),
        },
        ...(msg.orderingKey ? { orderingKey: msg.orderingKey } : {}),
      },
    ]);
  }
}
