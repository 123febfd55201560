import type { Clock } from '../shared/ports/clock.js';
import type { EventBus } from '../shared/ports/event-bus.js';
import type { Logger } from '../shared/ports/logger.js';

/**
 * The local Cloud Scheduler: one job per managed service, each publishing
 * `{"type":"release.tick","service":S,"slot":T}` with attribute `type=release.tick` to the
 * deployment-events topic every `periodMs`. There is no fan-out: each service's tick is its own
 * message, and `slot` (the tick's time) is its identity, so any number of deliveries of it act
 * once. A failed publish is logged and the next tick comes anyway, as with the real job.
 */
export class Scheduler {
  private timer: NodeJS.Timeout | null = null;
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly options: {
      bus: EventBus;
      topic: string;
      periodMs: number;
      logger: Logger;
      /** Full names of the managed services: one job each. */
      services: string[];
      clock: Clock;
    },
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.periodMs);
  }

  /** Publishes one tick of every job now; resolves with the message ids (null where a publish failed). */
  tick(): Promise<Array<string | null>> {
    const { bus, topic, logger, services, clock } = this.options;
    const slot = clock.now().toISOString();
    const sent = Promise.all(
      services.map((service) =>
        bus
          .publish(topic, { type: 'release.tick', service, slot }, { type: 'release.tick' })
          .catch((error: unknown) => {
            logger.warn('scheduler: release.tick not published', { error, topic, service });
            return null;
          }),
      ),
    );
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
