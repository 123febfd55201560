import type { StoredMessage, SubscriptionRecord } from './pubsub-types.js';

type Start = (sub: SubscriptionRecord, msg: StoredMessage, attempts: number) => void;

/**
 * Ordered push delivery, as a subscription with `enable_message_ordering` gets it: messages with
 * the same non-empty ordering key are delivered one at a time, in the order they were published,
 * each after the one before it is acknowledged (or dead-lettered); other keys, and messages
 * without a key, are not held back ("Messages with an empty ordering key are not ordered";
 * cloud.google.com/pubsub/docs/ordering). The waiting messages stay unacknowledged in the
 * broker's state, so a restart redelivers them, still in order (`resume` sorts by message id).
 */
export class OrderedDispatch {
  /** Per subscription and key: the message in flight first, then those waiting behind it. */
  private readonly lines = new Map<string, StoredMessage[]>();

  constructor(
    private readonly start: Start,
    /** Delivery attempts a waiting message has already had (restored after a restart). */
    private readonly attemptsOf: (sub: SubscriptionRecord, msg: StoredMessage) => number,
  ) {}

  dispatch(sub: SubscriptionRecord, msg: StoredMessage, attempts = 0): void {
    if (!sub.ordered || !msg.orderingKey) return this.start(sub, msg, attempts);
    const key = lineOf(sub, msg.orderingKey);
    const line = this.lines.get(key) ?? [];
    line.push(msg);
    this.lines.set(key, line);
    if (line.length === 1) this.start(sub, msg, attempts);
  }

  /** The message was acknowledged or dead-lettered: the next one of its key goes out. */
  settled(sub: SubscriptionRecord, msg: StoredMessage): void {
    if (!sub.ordered || !msg.orderingKey) return;
    const key = lineOf(sub, msg.orderingKey);
    const line = this.lines.get(key);
    const at = line?.findIndex((m) => m.messageId === msg.messageId) ?? -1;
    if (!line || at < 0) return;
    line.splice(at, 1);
    if (line.length === 0) this.lines.delete(key);
    else if (at === 0) this.start(sub, line[0]!, this.attemptsOf(sub, line[0]!));
  }

  /** Forgets a deleted subscription's lines. */
  drop(subscription: string): void {
    for (const key of this.lines.keys())
      if (key.startsWith(`${subscription}\u0000`)) this.lines.delete(key);
  }
}

const lineOf = (sub: SubscriptionRecord, orderingKey: string) => `${sub.name}\u0000${orderingKey}`;
