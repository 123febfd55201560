/** Posts one JSON message to an incoming-webhook URL (Slack, Google Chat). */
export interface WebhookPoster {
  /** Resolves once the receiver answered 2xx; rejects with WebhookError otherwise. */
  post(url: string, body: object): Promise<void>;
}
