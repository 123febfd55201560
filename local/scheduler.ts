import type { EventBus } from '../shared/ports/event-bus.js';
import type { Logger } from '../shared/ports/logger.js';

/**
 * The local Cloud Scheduler job of terraform/pubsub.tf (`cutover-release-tick`): publishes
 * `{"type":"release.tick"}` with attribute `type=release.tick` to the deployment-events topic every
 * `periodMs`. A failed publish is logged and the next tick comes anyway, as with the real job.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: { bus: EventBus; topic: string; periodMs: number; logger: Logger },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.periodMs);
  }

  /** Publishes one tick now; resolves with the message id (or null when the publish failed). */
  tick(): Promise<string | null> {
    const { bus, topic, logger } = this.options;
    const sent = bus
      .publish(topic, { type: 'release.tick' }, { type: 'release.tick' })
      .catch((error: unknown) => {
        logger.warn('scheduler: release.tick not published', { error, topic });
        return null;
      });
    this.inFlight.add(sent);
    void sent.finally(() => this.inFlight.delete(sent));
    return sent;
  }

  /** Stops ticking and waits for publishes in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.inFlight);
  }
}
