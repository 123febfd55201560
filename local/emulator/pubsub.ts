import * as grpc from '@grpc/grpc-js';
import { RpcError, unary } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { PubsubBroker, type PubsubStateDocument } from './pubsub-broker.js';
import type { WireSubscription } from './pubsub-subscription.js';
import type { PublishedMessage } from './pubsub-types.js';
import { loadProto, serviceDefinition } from './protos.js';

export type { PublishedMessage } from './pubsub-types.js';
export type { PubsubStateDocument } from './pubsub-broker.js';

/** What Artifact Registry, the scheduler, tests and the demo use directly. */
export interface PubsubState {
  /**
   * Publishes one message to a topic (full name `projects/P/topics/T`, or a bare id that exactly
   * one topic has); resolves with its message id. Rejects with NOT_FOUND for an unknown topic.
   */
  publish(topic: string, data: Buffer, attributes?: Record<string, string>): Promise<string>;
  /** Messages published to a topic (full name or bare id), oldest first; dead-lettered ones included. */
  published(topic: string): PublishedMessage[];
  /** Resolves when no push delivery is pending or in flight (retries waiting on a backoff count). */
  idle(): Promise<void>;
  /** Stops backoff timers and in-flight pushes; unacknowledged messages stay in the state. */
  close(): void;
  exportState(): PubsubStateDocument;
  importState(document: PubsubStateDocument): void;
  /** Starts redelivering the unacknowledged push messages a state file brought back. */
  resume(): void;
}

const PUBLISHER = 'google.pubsub.v1.Publisher';
const SUBSCRIBER = 'google.pubsub.v1.Subscriber';
const EMPTY = {};

interface WireMessage {
  data?: Buffer;
  attributes?: Record<string, string>;
  ordering_key?: string;
}

/**
 * Pub/Sub v1: Publisher (CreateTopic, GetTopic, Publish, ListTopics, DeleteTopic) and Subscriber
 * (CreateSubscription, GetSubscription, DeleteSubscription, ModifyPushConfig, Pull, Acknowledge,
 * ModifyAckDeadline);
 * other methods, StreamingPull included, answer UNIMPLEMENTED. Push subscriptions are delivered
 * over HTTP as CloudEvents (see pubsub-push.ts) with retries and dead-lettering. With a state
 * file, topics, subscriptions and unacknowledged messages survive a restart (pubsub-broker.ts).
 */
export function createPubsub(
  ctx: EmulatorContext,
  changed: () => void = () => undefined,
): {
  services: Array<{
    definition: grpc.ServiceDefinition;
    implementation: grpc.UntypedServiceImplementation;
  }>;
  state: PubsubState;
} {
  const broker = new PubsubBroker(ctx.clock, changed);
  const pkg = loadProto('pubsub', 'google/pubsub/v1/pubsub.proto');
  const topicWire = (t: { name: string; labels: Record<string, string> }) => ({
    ...t,
    state: 'ACTIVE',
  });
  const pub = (method: string) => `${PUBLISHER}/${method}`;
  const sub = (method: string) => `${SUBSCRIBER}/${method}`;

  const publisher: grpc.UntypedServiceImplementation = {
    CreateTopic: unary(
      ctx,
      pub('CreateTopic'),
      (req: { name?: string; labels?: Record<string, string> }) =>
        topicWire(broker.createTopic(req.name, req.labels ?? {})),
    ),
    GetTopic: unary(ctx, pub('GetTopic'), (req: { topic?: string }) =>
      topicWire(broker.getTopic(req.topic)),
    ),
    Publish: unary(
      ctx,
      pub('Publish'),
      async (req: { topic?: string; messages?: WireMessage[] }) => ({
        message_ids: await broker.publish(
          req.topic,
          (req.messages ?? []).map((m) => ({
            ...(m.data ? { data: Buffer.from(m.data) } : {}),
            ...(m.attributes ? { attributes: m.attributes } : {}),
            ...(m.ordering_key ? { orderingKey: m.ordering_key } : {}),
          })),
        ),
      }),
    ),
    ListTopics: unary(
      ctx,
      pub('ListTopics'),
      (req: { project?: string; page_size?: number; page_token?: string }) => {
        const project = /^projects\/([^/]+)$/.exec(req.project ?? '')?.[1];
        if (!project)
          throw new RpcError(
            grpc.status.INVALID_ARGUMENT,
            `invalid project "${req.project ?? ''}"`,
          );
        const all = broker.listTopics(project).sort((a, b) => a.name.localeCompare(b.name));
        const start = req.page_token
          ? Number(Buffer.from(req.page_token, 'base64url').toString())
          : 0;
        if (!Number.isInteger(start) || start < 0)
          throw new RpcError(grpc.status.INVALID_ARGUMENT, 'invalid page_token');
        const end = start + (req.page_size || 100);
        return {
          topics: all.slice(start, end).map(topicWire),
          next_page_token: end < all.length ? Buffer.from(String(end)).toString('base64url') : '',
        };
      },
    ),
    DeleteTopic: unary(ctx, pub('DeleteTopic'), (req: { topic?: string }) => {
      broker.deleteTopic(req.topic);
      return EMPTY;
    }),
  };

  const subscriber: grpc.UntypedServiceImplementation = {
    CreateSubscription: unary(
      ctx,
      sub('CreateSubscription'),
      (req: WireSubscription) => broker.createSubscription(req).wire,
    ),
    GetSubscription: unary(ctx, sub('GetSubscription'), (req: { subscription?: string }) => {
      const record = broker.getSubscription(req.subscription);
      return { ...record.wire, topic: record.topic };
    }),
    DeleteSubscription: unary(ctx, sub('DeleteSubscription'), (req: { subscription?: string }) => {
      broker.deleteSubscription(req.subscription);
      return EMPTY;
    }),
    ModifyPushConfig: unary(
      ctx,
      sub('ModifyPushConfig'),
      (req: {
        subscription?: string;
        push_config?: { push_endpoint?: string; attributes?: Record<string, string> };
      }) => {
        broker.modifyPushConfig(req.subscription, req.push_config);
        return EMPTY;
      },
    ),
    Pull: unary(ctx, sub('Pull'), async (req: { subscription?: string; max_messages?: number }) => {
      if (!req.max_messages || req.max_messages <= 0)
        throw new RpcError(grpc.status.INVALID_ARGUMENT, 'max_messages must be positive');
      return { received_messages: await broker.queue(req.subscription).pull(req.max_messages) };
    }),
    Acknowledge: unary(
      ctx,
      sub('Acknowledge'),
      (req: { subscription?: string; ack_ids?: string[] }) => {
        broker.queue(req.subscription).acknowledge(req.ack_ids ?? []);
        return EMPTY;
      },
    ),
    ModifyAckDeadline: unary(
      ctx,
      sub('ModifyAckDeadline'),
      (req: { subscription?: string; ack_ids?: string[]; ack_deadline_seconds?: number }) => {
        const seconds = req.ack_deadline_seconds ?? 0;
        if (seconds < 0 || seconds > 600)
          throw new RpcError(grpc.status.INVALID_ARGUMENT, 'ack_deadline_seconds must be 0–600');
        broker.queue(req.subscription).modifyAckDeadline(req.ack_ids ?? [], seconds);
        return EMPTY;
      },
    ),
  };

  return {
    services: [
      { definition: serviceDefinition(pkg, PUBLISHER), implementation: publisher },
      { definition: serviceDefinition(pkg, SUBSCRIBER), implementation: subscriber },
    ],
    state: {
      publish: async (topic, data, attributes) => {
        const [id] = await broker.publish(broker.resolveTopic(topic), [
          { data, ...(attributes ? { attributes } : {}) },
        ]);
        return id!;
      },
      published: (topic) => broker.published(topic),
      idle: () => broker.deliveries.idle(),
      close: () => broker.deliveries.close(),
      exportState: () => broker.exportState(),
      importState: (document) => broker.importState(document),
      resume: () => broker.resume(),
    },
  };
}
