/** Publishes one JSON event to a topic (short name, e.g. `cutover-deployment-events`). */
export interface EventBus {
  /** Resolves with the message id once the message is accepted. */
  publish(topic: string, event: object, attributes?: Record<string, string>): Promise<string>;
}
