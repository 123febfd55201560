import type { Clock } from '../../shared/ports/clock.js';
import { timestampOf } from './pubsub-types.js';
import type { StoredMessage, SubscriptionRecord } from './pubsub-types.js';
import type { DeadLetterSink } from './pubsub-delivery.js';

interface Entry {
  msg: StoredMessage;
  attempts: number;
  ackId?: string;
  leaseUntil: number;
}

/**
 * The backlog of one pull subscription. A pulled message is leased for the ack deadline; an
 * expired lease or ModifyAckDeadline(0) (a nack) makes it available again with a new ack id.
 * With a dead-letter policy, a message that would exceed max_delivery_attempts is dead-lettered
 * instead of delivered, and `delivery_attempt` is reported (it is absent otherwise, as real).
 */
export class PullQueue {
  private readonly entries: Entry[] = [];
  private nextAck = 1;

  constructor(
    private readonly sub: SubscriptionRecord,
    private readonly clock: Clock,
    private readonly deadLetter: DeadLetterSink,
    private readonly changed: () => void = () => undefined,
  ) {}

  /** Queues a message; `attempts` already made (a message restored after a restart). */
  add(msg: StoredMessage, attempts = 0): void {
    this.entries.push({ msg, attempts, leaseUntil: 0 });
  }

  /** The messages not acknowledged yet, with their attempts (leases end with a restart). */
  unacked(): Array<{ msg: StoredMessage; attempts: number }> {
    return this.entries.map(({ msg, attempts }) => ({ msg, attempts }));
  }

  async pull(max: number): Promise<Array<Record<string, unknown>>> {
    const now = this.clock.now().getTime();
    const out: Array<Record<string, unknown>> = [];
    for (const entry of [...this.entries]) {
      if (out.length >= max) break;
      if (entry.leaseUntil > now) continue;
      const dl = this.sub.deadLetter;
      if (dl && entry.attempts >= dl.maxDeliveryAttempts) {
        this.remove(entry);
        await this.deadLetter(this.sub, entry.msg, entry.attempts);
        this.changed();
        continue;
      }
      entry.attempts += 1;
      entry.ackId = `${this.sub.name.split('/').pop()}-${this.nextAck++}`;
      entry.leaseUntil = now + this.sub.ackDeadlineSeconds * 1000;
      out.push({
        ack_id: entry.ackId,
        message: {
          data: entry.msg.data,
          attributes: entry.msg.attributes,
          message_id: entry.msg.messageId,
          publish_time: timestampOf(entry.msg.publishTime),
          ordering_key: entry.msg.orderingKey ?? '',
        },
        ...(dl ? { delivery_attempt: entry.attempts } : {}),
      });
    }
    if (out.length > 0) this.changed();
    return out;
  }

  acknowledge(ackIds: string[]): void {
    for (const id of ackIds) {
      const entry = this.entries.find((e) => e.ackId === id);
      if (entry) this.remove(entry);
    }
    this.changed();
  }

  /** Sets the lease of the given ack ids to `seconds` from now (0 = nack: available at once). */
  modifyAckDeadline(ackIds: string[], seconds: number): void {
    const now = this.clock.now().getTime();
    for (const entry of this.entries)
      if (entry.ackId && ackIds.includes(entry.ackId)) entry.leaseUntil = now + seconds * 1000;
  }

  private remove(entry: Entry): void {
    this.entries.splice(this.entries.indexOf(entry), 1);
  }
}
