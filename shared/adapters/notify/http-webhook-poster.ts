import pRetry, { AbortError } from 'p-retry';
import { PermanentError, TransientError } from '../../errors.js';
import type { WebhookPoster } from '../../ports/webhook-poster.js';

/** The receiver's host, never the URL: webhook URLs are secrets. */
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
};

/**
 * fetch, with `Content-Type: application/json; charset=UTF-8` (as Google Chat's webhook guide
 * sends it; Slack accepts it too), a 10 s timeout, and p-retry for 429 and 5xx (3 tries).
 * A 4xx other than 429 is permanent (a revoked webhook, a malformed payload).
 */
export class HttpWebhookPoster implements WebhookPoster {
  constructor(private readonly options: { retries?: number; timeoutMs?: number } = {}) {}

  async post(url: string, body: object): Promise<void> {
    const host = hostOf(url);
    await pRetry(
      async () => {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json; charset=UTF-8' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        }).catch((cause: unknown) => {
          throw new TransientError(`POST to webhook at ${host}`, 'UNAVAILABLE', { cause });
        });
        if (response.ok) return;
        const detail = (await response.text().catch(() => '')).slice(0, 200);
        if (response.status === 429 || response.status >= 500)
          throw new TransientError(`POST to webhook at ${host}`, `HTTP ${response.status}`);
        throw new AbortError(
          new PermanentError(
            `POST to webhook at ${host}`,
            `HTTP ${response.status}`,
            detail || 'refused',
          ),
        );
      },
      { retries: this.options.retries ?? 2, minTimeout: 200 },
    );
  }
}
