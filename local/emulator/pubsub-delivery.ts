import { pushOnce } from './pubsub-push.js';
import type { StoredMessage, SubscriptionRecord } from './pubsub-types.js';

/** Called when a message ran out of delivery attempts; publishes it to the dead-letter topic. */
export type DeadLetterSink = (
  sub: SubscriptionRecord,
  msg: StoredMessage,
  attempts: number,
) => Promise<void>;

/** What the broker keeps of a push delivery: its failed attempts and its end (ack or dead letter). */
export interface DeliveryTracker {
  failed(sub: SubscriptionRecord, msg: StoredMessage, attempt: number): void;
  settled(sub: SubscriptionRecord, msg: StoredMessage): void;
}

/**
 * Push delivery: one independent task per (subscription, message), so a slow endpoint never
 * blocks other messages. A failed attempt is retried after an exponential backoff
 * (minimum_backoff · 2^(attempt−1), capped at maximum_backoff); after
 * dead_letter_policy.max_delivery_attempts the message goes to the dead-letter sink. Without a
 * dead-letter policy a message that always fails is retried until the subscription is deleted or
 * the emulator closes.
 */
export class PushDeliveries {
  private pending = 0;
  private waiters: Array<() => void> = [];
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private readonly stop = new AbortController();

  constructor(
    private readonly deadLetter: DeadLetterSink,
    private readonly tracker: DeliveryTracker = {
      failed: () => undefined,
      settled: () => undefined,
    },
  ) {}

  /** Starts delivering `msg` to a push subscription; `attempts` already made (restored after a restart). */
  start(sub: SubscriptionRecord, msg: StoredMessage, attempts = 0): void {
    if (this.stop.signal.aborted) return;
    this.pending += 1;
    void this.run(sub, msg, attempts).finally(() => {
      this.pending -= 1;
      if (this.pending === 0) this.waiters.splice(0).forEach((resolve) => resolve());
    });
  }

  /** Resolves when no delivery is pending or in flight (including retries waiting on a backoff). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Cancels backoff timers and in-flight requests; pending deliveries end unacknowledged (and stay
   * in the broker's state, to be redelivered after a restart).
   */
  close(): void {
    this.stop.abort();
    for (const [timer, wake] of this.timers) {
      clearTimeout(timer);
      wake();
    }
    this.timers.clear();
  }

  private async run(sub: SubscriptionRecord, msg: StoredMessage, made: number): Promise<void> {
    for (let attempt = made + 1; sub.active && !this.stop.signal.aborted; attempt++) {
      const acked = await pushOnce(sub, msg, attempt, this.stop.signal);
      if (this.stop.signal.aborted) return;
      if (acked) return this.tracker.settled(sub, msg);
      this.tracker.failed(sub, msg, attempt);
      if (sub.deadLetter && attempt >= sub.deadLetter.maxDeliveryAttempts) {
        await this.deadLetter(sub, msg, attempt);
        return this.tracker.settled(sub, msg);
      }
      await this.sleep(Math.min(sub.maxBackoffMs, sub.minBackoffMs * 2 ** (attempt - 1)));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.set(timer, resolve);
    });
  }
}
