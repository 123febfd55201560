import { chatMessage } from '../adapters/notify/chat-message.js';
import { slackMessage } from '../adapters/notify/slack-message.js';
import { releaseNotice } from '../domain/release-notice.js';
import type { Logger } from '../ports/logger.js';
import type { WebhookPoster } from '../ports/webhook-poster.js';
import { serviceConfig, type Config } from '../schemas/config.js';
import type { ReleaseEvent } from '../schemas/events.js';

export interface NotifyDeps {
  config: Config;
  poster: WebhookPoster;
  logger: Logger;
  /** Webhook URLs by env var name (the function's environment, secrets mapped by Terraform). */
  env: Record<string, string | undefined>;
}

export type NotifyOutcome =
  { kind: 'posted'; to: Array<'slack' | 'chat'> } | { kind: 'skipped'; reason: string };

/**
 * Posts one release event to the service's Slack and Google Chat webhooks. Both are tried; a
 * failure of either rejects after the other was posted (transient: Pub/Sub redelivers, so a
 * receiver may see a message twice — chat webhooks have no idempotency key).
 */
export async function notifyRelease(deps: NotifyDeps, event: ReleaseEvent): Promise<NotifyOutcome> {
  const service = serviceConfig(deps.config, event.service);
  if (!service) return { kind: 'skipped', reason: `${event.service} is not a configured service` };
  const notify = service.notify;
  if (!notify) return { kind: 'skipped', reason: 'no notify settings for this service' };
  if (notify.events && !notify.events.includes(event.type))
    return { kind: 'skipped', reason: `${event.type} is not in notify.events` };
  const notice = releaseNotice(event, deps.config.releasePageUrl ?? null);
  const targets: Array<{ to: 'slack' | 'chat'; env: string; body: object }> = [];
  if (notify.slackWebhookEnv)
    targets.push({ to: 'slack', env: notify.slackWebhookEnv, body: slackMessage(notice) });
  if (notify.chatWebhookEnv)
    targets.push({
      to: 'chat',
      env: notify.chatWebhookEnv,
      body: chatMessage(notice, `${event.releaseId}-${event.type}`),
    });
  const posted: Array<'slack' | 'chat'> = [];
  const failures: unknown[] = [];
  for (const target of targets) {
    const url = deps.env[target.env];
    if (!url) {
      deps.logger.warn(`notify: ${target.env} is not set; ${target.to} skipped`, {
        service: event.service,
      });
      continue;
    }
    try {
      await deps.poster.post(url, target.body);
      posted.push(target.to);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw failures[0];
  return posted.length
    ? { kind: 'posted', to: posted }
    : { kind: 'skipped', reason: 'no webhook URL set' };
}
