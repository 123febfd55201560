import type { CloudEvent } from '@google-cloud/functions-framework';
import { HttpWebhookPoster } from '../shared/adapters/notify/http-webhook-poster.js';
import { DeploymentEvent, type ReleaseEvent } from '../shared/schemas/events.js';
import { parseInbound } from '../shared/schemas/inbound/issues.js';
import { notifyRelease } from '../shared/usecases/notify.js';
import type { WebhookPoster } from '../shared/ports/webhook-poster.js';
import { decodeMessage, runtime, settle } from './runtime.js';
import { traceField } from './trace.js';

let poster: WebhookPoster = new HttpWebhookPoster();

/** Replaces the webhook poster (tests). */
export function setPoster(next: WebhookPoster): void {
  poster = next;
}

/**
 * notify (topic `cutover-deployment-events`): posts each `release.*` event of a service with
 * notify settings to its Slack and Google Chat incoming webhooks. Ticks and operator requests are
 * not releases' events and are acknowledged silently.
 */
export async function notify(event: CloudEvent<unknown>): Promise<void> {
  const deps = runtime();
  const logger = deps.logger.with({
    function: 'notify',
    eventId: event.id,
    ...traceField(undefined, event.traceparent),
  });
  await settle('notify', logger, async () => {
    const message = decodeMessage(event, deps, logger);
    if (!message) return;
    const ev = parseInbound(DeploymentEvent, 'deployment event', message.body);
    if (!('releaseId' in ev)) return;
    const outcome = await notifyRelease(
      { config: deps.config, poster, logger, env: process.env },
      ev as ReleaseEvent,
    );
    logger.info(
      `notify: ${outcome.kind === 'posted' ? `posted to ${outcome.to.join(', ')}` : outcome.reason}`,
      {
        service: ev.service,
        releaseId: ev.releaseId,
        type: ev.type,
      },
    );
  });
}
