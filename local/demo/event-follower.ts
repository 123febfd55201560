import { DeploymentEvent } from '../../shared/schemas/events.js';
import type { PublishedMessage } from '../emulator/pubsub.js';

/**
 * Reads `cutover-deployment-events` as the emulator logged it, oldest first, and hands out each
 * event once. Scheduler ticks and operator commands are left out (they are not part of a
 * release's story); a message that is not a deployment event is skipped.
 */
export class EventFollower {
  private seen = 0;

  constructor(private readonly published: () => PublishedMessage[]) {}

  /** The events published since the last call. */
  poll(): DeploymentEvent[] {
    const messages = this.published();
    const fresh = messages.slice(this.seen);
    this.seen = messages.length;
    const events: DeploymentEvent[] = [];
    for (const message of fresh) {
      const event = parse(message.data);
      if (event && event.type !== 'release.tick' && !event.type.startsWith('operator.')) {
        events.push(event);
      }
    }
    return events;
  }
}

function parse(data: Buffer): DeploymentEvent | null {
  try {
    const parsed = DeploymentEvent.safeParse(JSON.parse(data.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
