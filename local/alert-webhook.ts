import type { IncidentNotification } from './alert-incident.js';

export interface WebhookTarget {
  url: string;
  username: string;
  password: string;
}

/** The HTTP status a webhook answered with when it was not 2xx. */
export class WebhookRejectedError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`webhook ${url} answered ${status}: ${body.slice(0, 200)}`);
    this.name = 'WebhookRejectedError';
  }
}

/**
 * Posts notifications as Cloud Monitoring's `webhook_basicauth` channel does: a JSON body and
 * `Authorization: Basic base64(user:password)`, no other custom header. A non-2xx answer rejects.
 */
export function webhookNotifier(
  target: WebhookTarget,
): (notification: IncidentNotification) => Promise<void> {
  const authorization = `Basic ${Buffer.from(`${target.username}:${target.password}`).toString('base64')}`;
  return async (notification) => {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new WebhookRejectedError(target.url, response.status, text);
  };
}
