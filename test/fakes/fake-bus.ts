import type { EventBus } from '../../shared/ports/event-bus.js';

export interface PublishedMessage {
  id: string;
  /** As given: short name or full `projects/P/topics/T`. */
  topic: string;
  /** The JSON as a subscriber would decode it. */
  json: unknown;
  attributes: Record<string, string>;
}

/** In-memory EventBus: keeps every message (JSON round-tripped, as on the wire) with its attributes. */
export class FakeBus implements EventBus {
  readonly published: PublishedMessage[] = [];
  private readonly faults: Error[] = [];

  /** The next publish rejects with `error`. */
  failNext(error: Error): void {
    this.faults.push(error);
  }

  /** Messages published to a topic, by short or full name. */
  messages(topic: string): PublishedMessage[] {
    const short = (t: string): string => t.slice(t.lastIndexOf('/') + 1);
    return this.published.filter((m) => short(m.topic) === short(topic));
  }

  /** The decoded events of a topic, in publish order. */
  events<T = unknown>(topic: string): T[] {
    return this.messages(topic).map((m) => m.json as T);
  }

  async publish(
    topic: string,
    event: object,
    attributes: Record<string, string> = {},
  ): Promise<string> {
    const fault = this.faults.shift();
    if (fault) throw fault;
    const type = (event as { type?: unknown }).type;
    const id = String(this.published.length + 1);
    this.published.push({
      id,
      topic,
      json: JSON.parse(JSON.stringify(event)) as unknown,
      attributes: typeof type === 'string' ? { type, ...attributes } : { ...attributes },
    });
    return id;
  }
}
