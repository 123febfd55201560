import type { PubSub, Topic } from '@google-cloud/pubsub';
import type { EventBus } from '../../ports/event-bus.js';
import { toCutoverError } from './grpc-errors.js';

/**
 * EventBus on Pub/Sub. `topic` is a short name (in the client's project) or a full
 * `projects/P/topics/T`. The event goes as JSON; attributes get the event's `type` when it has one.
 * The library batches and retries publishes itself (its retry is idempotent per message id), so
 * only errors it gives up on are mapped here.
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
    const handle = this.topic(topic);
    try {
      return await handle.publishMessage({ json: event, attributes: attrs });
    } catch (error) {
      throw toCutoverError('Publish', error, topic);
    }
  }

  private topic(name: string): Topic {
    let t = this.topics.get(name);
    if (!t) {
      t = this.options.pubsub.topic(name);
      this.topics.set(name, t);
    }
    return t;
  }
}
