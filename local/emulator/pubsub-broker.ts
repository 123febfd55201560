import * as grpc from '@grpc/grpc-js';
import type { Clock } from '../../shared/ports/clock.js';
import { RpcError } from './faults.js';
import { PushDeliveries } from './pubsub-delivery.js';
import { OrderedDispatch } from './pubsub-ordering.js';
import { PullQueue } from './pubsub-pull.js';
import { subscriptionFromWire } from './pubsub-subscription.js';
import type { WireSubscription } from './pubsub-subscription.js';
import { notFound, parseName } from './pubsub-types.js';
import type { PublishedMessage, StoredMessage, SubscriptionRecord } from './pubsub-types.js';
import { load, save, type PubsubStateDocument } from './pubsub-state.js';

export type { PubsubStateDocument } from './pubsub-state.js';

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
  /** Per push subscription: messages not acknowledged yet, by id, with the attempts made. */
  private readonly unacked = new Map<
    string,
    Map<string, { msg: StoredMessage; attempts: number }>
  >();
  /** Restored push messages waiting for `resume()`. */
  private restored: Array<{ record: SubscriptionRecord; msg: StoredMessage; attempts: number }> =
    [];
  private nextId = 1;
  readonly deliveries = new PushDeliveries(
    (sub, msg, attempts) => this.deadLetter(sub, msg, attempts),
    {
      failed: (sub, msg, attempt) => {
        const entry = this.unacked.get(sub.name)?.get(msg.messageId);
        if (entry) entry.attempts = attempt;
        this.changed();
      },
      settled: (sub, msg) => {
        this.unacked.get(sub.name)?.delete(msg.messageId);
        this.changed();
        this.ordered.settled(sub, msg);
      },
    },
  );
  private readonly ordered = new OrderedDispatch(
    (sub, msg, attempts) => this.deliveries.start(sub, msg, attempts),
    (sub, msg) => this.unacked.get(sub.name)?.get(msg.messageId)?.attempts ?? 0,
  );

  /** `changed` is called after every change of what `exportState` returns. */
  constructor(
    private readonly clock: Clock,
    private readonly changed: () => void = () => undefined,
  ) {}

  exportState(): PubsubStateDocument {
    return {
      nextId: this.nextId,
      topics: [...this.topics.values()],
      subscriptions: [...this.subs.values()].map(({ record, queue }) => ({
        record,
        unacked: queue
          ? queue.unacked().map((u) => save(u.msg, u.attempts))
          : [...(this.unacked.get(record.name)?.values() ?? [])].map((u) =>
              save(u.msg, u.attempts),
            ),
      })),
    };
  }

  /**
   * Loads a state file's document into an empty broker. Pull backlogs are available at once;
   * push messages are redelivered from `resume()`, once their endpoints are reachable again.
   */
  importState(document: PubsubStateDocument): void {
    this.nextId = Math.max(this.nextId, document.nextId);
    for (const topic of document.topics) this.topics.set(topic.name, topic);
    for (const { record, unacked } of document.subscriptions) {
      const queue = this.register(record);
      for (const saved of unacked) {
        const msg = load(saved);
        if (queue) queue.add(msg, saved.attempts);
        else {
          this.track(record, msg, saved.attempts);
          this.restored.push({ record, msg, attempts: saved.attempts });
        }
      }
    }
  }

  /** Starts redelivering the push messages restored by `importState`. */
  resume(): void {
    const restored = this.restored.splice(0);
    restored.sort((a, b) => Number(a.msg.messageId) - Number(b.msg.messageId));
    for (const { record, msg, attempts } of restored) this.ordered.dispatch(record, msg, attempts);
  }

  /** Points a push subscription at another endpoint (ModifyPushConfig); pending deliveries follow. */
  modifyPushConfig(
    name: string | undefined,
    config: { push_endpoint?: string; attributes?: Record<string, string> } | undefined,
  ): void {
    const { record } = this.entry(name);
    const endpoint = config?.push_endpoint || undefined;
    if (Boolean(endpoint) !== Boolean(record.pushEndpoint))
      throw new RpcError(
        grpc.status.UNIMPLEMENTED,
        'the emulator does not turn a push subscription into a pull one or back',
      );
    if (endpoint && !/^https?:\/\//.test(endpoint))
      throw new RpcError(grpc.status.INVALID_ARGUMENT, `invalid push_endpoint "${endpoint}"`);
    if (endpoint) record.pushEndpoint = endpoint;
    record.pushAttributes = { ...(config?.attributes ?? {}) };
    record.wire = { ...record.wire, push_config: config ?? {} };
    this.changed();
  }

  createTopic(name: string | undefined, labels: Record<string, string> = {}) {
    parseName(name, 'topics');
    if (this.topics.has(name!))
      throw new RpcError(grpc.status.ALREADY_EXISTS, `Topic already exists: ${name}`);
    const topic = { name: name!, labels };
    this.topics.set(topic.name, topic);
    this.changed();
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
    this.changed();
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
    if (new Set(messages.map((m) => m.orderingKey ?? '')).size > 1)
      throw new RpcError(
        grpc.status.INVALID_ARGUMENT,
        'all messages of a publish request must have the same ordering key',
      );
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
        else this.track(record, msg, 0);
      }
    }
    // Durable before it is acknowledged to the publisher, as real.
    this.changed();
    for (const { record, queue } of this.subs.values())
      if (record.topic === name && !queue)
        for (const msg of stored) this.ordered.dispatch(record, msg);
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
    this.register(record);
    this.changed();
    return record;
  }

  private register(record: SubscriptionRecord): PullQueue | undefined {
    const queue = record.pushEndpoint
      ? undefined
      : new PullQueue(
          record,
          this.clock,
          (s, m, n) => this.deadLetter(s, m, n),
          () => this.changed(),
        );
    this.subs.set(record.name, queue ? { record, queue } : { record });
    return queue;
  }

  private track(record: SubscriptionRecord, msg: StoredMessage, attempts: number): void {
    const pending = this.unacked.get(record.name) ?? new Map();
    pending.set(msg.messageId, { msg, attempts });
    this.unacked.set(record.name, pending);
  }

  getSubscription(name: string | undefined): SubscriptionRecord {
    return this.entry(name).record;
  }

  deleteSubscription(name: string | undefined): void {
    this.entry(name).record.active = false;
    this.subs.delete(name!);
    this.unacked.delete(name!);
    this.ordered.drop(name!);
    this.changed();
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
