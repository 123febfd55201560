import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { EventBus } from '../../ports/event-bus.js';
import { toCutoverError } from './grpc-errors.js';

/**
 * EventBus on Pub/Sub. `topic` is a short name (in the client's project) or a full
 * `projects/P/topics/T`. The event goes as JSON; attributes get the event's `type` when it has one.
 * An event naming a `service` carries it as its ordering key, so the ordered push subscriptions
 * Terraform owns (`enable_message_ordering`) deliver one service's events one at a time. The
 * library batches and retries publishes itself (its retry is idempotent per message id), so only
 * errors it gives up on are mapped here; such a failure would pause the ordering key, which is
 * resumed at once (the next event of that service must still go out).
 */
export class PubSubBus implements EventBus {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly options: { pubsub: PubSub }) {}

  async publish(
    topic: string,
    event: object,
    attributes: Record<string, string> = {},
  ): Promise<string> {
    const type = (event as { type?: unknown }).type;
    const attrs = typeof type === 'string' ? { type, ...attributes } : { ...attributes };
    const service = (event as { service?: unknown }).service;
    const orderingKey = typeof service === 'string' && service ? service : null;
    const handle = this.topic(topic);
    try {
      return await handle.publishMessage({
        json: event,
        attributes: attrs,
        ...(orderingKey ? { orderingKey } : {}),
      });
    } catch (error) {
      if (orderingKey) handle.resumePublishing(orderingKey);
      throw toCutoverError('Publish', error, topic);
    }
  }

  private topic(name: string): Topic {
    let t = this.topics.get(name);
    if (!t) {
      t = this.options.pubsub.topic(name, { messageOrdering: true });
      this.topics.set(name, t);
    }
    return t;
  }
}
