import type { PubSub } from '@google-cloud/pubsub';
import type { FunctionName } from './endpoints.js';

/** Topic ids of a local stack (terraform/pubsub.tf names them the same). */
export const TOPIC_IDS = {
  gcr: 'gcr',
  deploymentEvents: 'cutover-deployment-events',
  rollbackRequests: 'cutover-rollback-requests',
  alertIncidents: 'cutover-alert-incidents',
  deadLetter: 'cutover-dead-letter',
} as const;
export type TopicKey = keyof typeof TOPIC_IDS;

/** One push subscription: which topic feeds which function, and in which format. */
interface Trigger {
  topic: TopicKey;
  fn: FunctionName;
  /** `envelope`: the raw push envelope (revertOnAlert is an HTTP function); else a CloudEvent. */
  envelope?: boolean;
  /** Ordered delivery by ordering key (terraform/functions.tf `ordered`): cutover's own events. */
  ordered?: boolean;
}

const TRIGGERS: Trigger[] = [
  { topic: 'gcr', fn: 'provisionGreen' },
  { topic: 'deploymentEvents', fn: 'advanceRelease', ordered: true },
  { topic: 'rollbackRequests', fn: 'rollback', ordered: true },
  { topic: 'alertIncidents', fn: 'revertOnAlert', envelope: true },
];

const ALREADY_EXISTS = 6;

async function ignoreExisting(work: Promise<unknown>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if ((error as { code?: number }).code !== ALREADY_EXISTS) throw error;
  }
}

/** Full topic names in `project`. */
export function topicNames(project: string): Record<TopicKey, string> {
  const entries = Object.entries(TOPIC_IDS).map(([k, id]) => [
    k,
    `projects/${project}/topics/${id}`,
  ]);
  return Object.fromEntries(entries) as Record<TopicKey, string>;
}

/** Creates every topic through the plain Pub/Sub client (an existing one is fine). */
export async function createTopics(pubsub: PubSub): Promise<void> {
  for (const id of Object.values(TOPIC_IDS)) await ignoreExisting(pubsub.createTopic(id));
}

/**
 * The functions' triggers, as terraform/functions.tf gives them through Eventarc: one push
 * subscription per topic to the function's URL, with a retry backoff (short, locally) and a
 * dead-letter topic after 5 attempts; the alert topic pushes the plain envelope to revertOnAlert
 * with the webhook password as `auth_token`. cutover's own topics are delivered in order per
 * ordering key (the service), as terraform/pubsub.tf has it. A pull subscription keeps the dead
 * letters. A subscription the emulator kept from the last run is pointed at this run's URLs (its
 * ordering, like a real subscription's, is fixed at creation).
 */
export async function createTriggers(
  pubsub: PubSub,
  urls: Record<FunctionName, string>,
  webhookPassword: string,
): Promise<void> {
  const deadLetterTopic = pubsub.topic(TOPIC_IDS.deadLetter).name;
  for (const t of TRIGGERS) {
    const url = new URL(urls[t.fn]);
    if (t.envelope) url.searchParams.set('auth_token', webhookPassword);
    const pushConfig = {
      pushEndpoint: url.toString(),
      ...(t.envelope ? { attributes: { 'x-cutover-format': 'envelope' } } : {}),
    };
    const topic = pubsub.topic(TOPIC_IDS[t.topic]);
    await ignoreExisting(
      topic.createSubscription(`cutover-${t.fn}`, {
        pushConfig,
        ackDeadlineSeconds: 120,
        retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 10 } },
        deadLetterPolicy: { deadLetterTopic, maxDeliveryAttempts: 5 },
        enableMessageOrdering: t.ordered ?? false,
      }),
    );
    // A subscription kept from the last run still points at that run's function ports.
    await pubsub.subscription(`cutover-${t.fn}`).modifyPushConfig(pushConfig);
  }
  await ignoreExisting(
    pubsub.topic(TOPIC_IDS.deadLetter).createSubscription('cutover-dead-letter'),
  );
}
