import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cloudEvent } from '@google-cloud/functions-framework';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { PubSub, v1 } from '@google-cloud/pubsub';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../local/emulator/index.js';
import { createPubsub } from '../../local/emulator/pubsub.js';
import type { PubsubState } from '../../local/emulator/pubsub.js';
import { clientOptions, serve, testContext } from './grpc-server.js';
import type { TestServer } from './grpc-server.js';

const PROJECT = 'cutover-test';
const topicName = (id: string) => `projects/${PROJECT}/topics/${id}`;
const subName = (id: string) => `projects/${PROJECT}/subscriptions/${id}`;
const fast = { minimumBackoff: { nanos: 5e6 }, maximumBackoff: { nanos: 20e6 } };
const envelopeFixture = JSON.parse(
  readFileSync(new URL('../fixtures/pubsub-push-envelope.json', import.meta.url), 'utf8'),
) as { message: Record<string, unknown> };

interface PushedData {
  subscription: string;
  message: {
    data?: string;
    attributes?: Record<string, string>;
    messageId: string;
    publishTime: string;
  };
}

const received: Array<CloudEvent<PushedData>> = [];
let failures = 0;
cloudEvent<PushedData>('recordEvent', (event: CloudEvent<PushedData>) => {
  received.push(event);
});
cloudEvent<PushedData>('alwaysThrows', () => {
  failures += 1;
  throw new Error('the function failed');
});

/** Serves a functions-framework function (or a plain handler) on an ephemeral loopback port. */
async function listen(server: http.Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('emulated Pub/Sub v1 through the plain @google-cloud/pubsub client', () => {
  let grpcServer: TestServer;
  let state: PubsubState;
  let pubsub: PubSub;
  let subscriber: v1.SubscriberClient;
  let recordFn: Awaited<ReturnType<typeof listen>>;
  let throwFn: Awaited<ReturnType<typeof listen>>;

  beforeAll(async () => {
    const module = createPubsub(testContext());
    state = module.state;
    grpcServer = await serve(module.services);
    const options = await clientOptions(grpcServer.port);
    pubsub = new PubSub({
      ...options,
      apiEndpoint: `127.0.0.1:${grpcServer.port}`,
      projectId: PROJECT,
    });
    subscriber = new v1.SubscriberClient({ ...options, projectId: PROJECT });
    recordFn = await listen(getTestServer('recordEvent'));
    throwFn = await listen(getTestServer('alwaysThrows'));
  });
  afterAll(async () => {
    state.close();
    await pubsub.close();
    await subscriber.close();
    await recordFn.close();
    await throwFn.close();
    await grpcServer.close();
  });
  beforeEach(() => {
    received.length = 0;
    failures = 0;
  });

  it('delivers a published message to a CloudEvent function as a binary-mode messagePublished event', async () => {
    const [topic] = await pubsub.createTopic('releases');
    await topic.createSubscription('releases-push', { pushConfig: { pushEndpoint: recordFn.url } });
    const payload = { kind: 'release.tick', releaseId: 'r-1' };
    const id = await topic.publishMessage({ json: payload, attributes: { origin: 'test' } });
    await state.idle();

    expect(received).toHaveLength(1);
    const [event] = received;
    expect(event).toMatchObject({
      specversion: '1.0',
      id,
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: `//pubsub.googleapis.com/${topicName('releases')}`,
    });
    const [published] = state.published('releases');
    expect(event?.time).toBe(published?.publishTime.toISOString());
    expect(event?.data?.subscription).toBe(subName('releases-push'));
    expect(event?.data?.message).toMatchObject({
      messageId: id,
      message_id: id,
      attributes: { origin: 'test' },
    });
    expect(
      JSON.parse(Buffer.from(event?.data?.message.data ?? '', 'base64').toString('utf8')),
    ).toEqual(payload);
  });

  it('retries a function that throws, then dead-letters the message with the source attributes', async () => {
    const [dlq] = await pubsub.createTopic('releases-dlq');
    await dlq.createSubscription('releases-dlq-pull');
    const [topic] = await pubsub.createTopic('failing');
    await topic.createSubscription('failing-push', {
      pushConfig: { pushEndpoint: throwFn.url },
      retryPolicy: fast,
      deadLetterPolicy: { deadLetterTopic: topicName('releases-dlq'), maxDeliveryAttempts: 5 },
    });
    const id = await topic.publishMessage({ data: Buffer.from('poison'), attributes: { a: 'b' } });
    await state.idle();

    expect(failures).toBe(5);
    const [response] = await subscriber.pull({
      subscription: subName('releases-dlq-pull'),
      maxMessages: 10,
    });
    const messages = response.receivedMessages ?? [];
    expect(messages).toHaveLength(1);
    const message = messages[0]?.message;
    expect(Buffer.from(message?.data ?? '').toString()).toBe('poison');
    expect(message?.messageId).not.toBe(id);
    expect(message?.attributes).toMatchObject({
      a: 'b',
      CloudPubSubDeadLetterSourceDeliveryCount: '5',
      CloudPubSubDeadLetterSourceSubscription: 'failing-push',
      CloudPubSubDeadLetterSourceSubscriptionProject: PROJECT,
    });
    await subscriber.acknowledge({
      subscription: subName('releases-dlq-pull'),
      ackIds: [messages[0]!.ackId!],
    });
    const [again] = await subscriber.pull({
      subscription: subName('releases-dlq-pull'),
      maxMessages: 10,
    });
    expect(again.receivedMessages ?? []).toEqual([]);
  });

  it('sends the raw push envelope, without ce-* headers, when x-cutover-format is envelope', async () => {
    const requests: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
    const endpoint = await listen(
      http.createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => {
          requests.push({ headers: req.headers, body });
          res.writeHead(204).end();
        });
      }),
    );
    const [topic] = await pubsub.createTopic('raw');
    await topic.createSubscription('raw-push', {
      pushConfig: { pushEndpoint: endpoint.url, attributes: { 'x-cutover-format': 'envelope' } },
    });
    await topic.publishMessage({ data: Buffer.from('Hello'), attributes: { key: 'value' } });
    await state.idle();
    await endpoint.close();

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(Object.keys(request?.headers ?? {}).filter((h) => h.startsWith('ce-'))).toEqual([]);
    const body = JSON.parse(request?.body ?? '{}') as typeof envelopeFixture & {
      subscription: string;
    };
    expect(Object.keys(body.message).sort()).toEqual(Object.keys(envelopeFixture.message).sort());
    expect(body.subscription).toBe(subName('raw-push'));
    expect(Buffer.from(String(body.message.data), 'base64').toString()).toBe('Hello');
  });

  it('keeps delivering other messages while one endpoint call hangs', async () => {
    let release: () => void = () => undefined;
    const hanging = new Promise<void>((resolve) => (release = resolve));
    let fastArrived: () => void = () => undefined;
    const fastSeen = new Promise<void>((resolve) => (fastArrived = resolve));
    const endpoint = await listen(
      http.createServer((req, res) => {
        req.resume();
        if (req.headers['ce-id'] === slowId) void hanging.then(() => res.writeHead(200).end());
        else {
          fastArrived();
          res.writeHead(200).end();
        }
      }),
    );
    const [topic] = await pubsub.createTopic('mixed');
    await topic.createSubscription('mixed-push', { pushConfig: { pushEndpoint: endpoint.url } });
    const slowId = await state.publish(topicName('mixed'), Buffer.from('slow'));
    await state.publish('mixed', Buffer.from('fast'));
    await fastSeen;
    release();
    await state.idle();
    await endpoint.close();
    expect(state.published('mixed').map((m) => m.data.toString())).toEqual(['slow', 'fast']);
  });

  /**
   * A push endpoint that logs each request's data and answers through `answer`, which may hold
   * the answer back until a promise settles.
   */
  async function keyedEndpoint(answer: (data: string, attempt: number) => Promise<number>) {
    const log: string[] = [];
    const attempts = new Map<string, number>();
    const endpoint = await listen(
      http.createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          const { message } = JSON.parse(body) as PushedData;
          const data = Buffer.from(message.data ?? '', 'base64').toString();
          const attempt = (attempts.get(data) ?? 0) + 1;
          attempts.set(data, attempt);
          log.push(`${data}#${attempt}`);
          void answer(data, attempt).then((status) => {
            log.push(`${data}#${attempt}:${status}`);
            res.writeHead(status).end();
          });
        });
      }),
    );
    return { endpoint, log };
  }

  it('with enable_message_ordering, one message per ordering key is in flight, in publish order', async () => {
    let keyJArrived: () => void = () => undefined;
    const jSeen = new Promise<void>((resolve) => (keyJArrived = resolve));
    // a1 is held until j1 arrives (another key is not held back), then fails once; a2 waits for a1
    const { endpoint, log } = await keyedEndpoint(async (data, attempt) => {
      if (data === 'j1') keyJArrived();
      if (data === 'a1' && attempt === 1) {
        await jSeen;
        return 500;
      }
      return 200;
    });
    const [created] = await pubsub.createTopic('ordered');
    await created.createSubscription('ordered-push', {
      pushConfig: { pushEndpoint: endpoint.url },
      retryPolicy: fast,
      enableMessageOrdering: true,
    });
    const topic = pubsub.topic('ordered', { messageOrdering: true });
    await topic.publishMessage({ data: Buffer.from('a1'), orderingKey: 'a' });
    await topic.publishMessage({ data: Buffer.from('a2'), orderingKey: 'a' });
    await topic.publishMessage({ data: Buffer.from('j1'), orderingKey: 'j' });
    await state.idle();
    await endpoint.close();
    expect(log.indexOf('a2#1')).toBeGreaterThan(log.indexOf('a1#2:200'));
    expect(log.indexOf('j1#1')).toBeLessThan(log.indexOf('a1#1:500'));
    expect(log.filter((l) => l.endsWith(':200')).sort()).toEqual([
      'a1#2:200',
      'a2#1:200',
      'j1#1:200',
    ]);
  });

  it('without enable_message_ordering, a message of the same key is not held back', async () => {
    let secondArrived: () => void = () => undefined;
    const secondSeen = new Promise<void>((resolve) => (secondArrived = resolve));
    // b1 is answered only once b2 has arrived: with ordering this would never happen
    const { endpoint, log } = await keyedEndpoint(async (data) => {
      if (data === 'b2') secondArrived();
      else await secondSeen;
      return 200;
    });
    const [created] = await pubsub.createTopic('unordered');
    await created.createSubscription('unordered-push', {
      pushConfig: { pushEndpoint: endpoint.url },
    });
    const topic = pubsub.topic('unordered', { messageOrdering: true });
    await topic.publishMessage({ data: Buffer.from('b1'), orderingKey: 'b' });
    await topic.publishMessage({ data: Buffer.from('b2'), orderingKey: 'b' });
    await state.idle();
    await endpoint.close();
    expect(log.indexOf('b2#1')).toBeLessThan(log.indexOf('b1#1:200'));
  });

  it('refuses a publish request whose messages have different ordering keys', async () => {
    await pubsub.createTopic('mixed-keys');
    const publisher = new v1.PublisherClient({
      ...(await clientOptions(grpcServer.port)),
      projectId: PROJECT,
    });
    try {
      const error = await publisher
        .publish({
          topic: topicName('mixed-keys'),
          messages: [
            { data: Buffer.from('x'), orderingKey: 'a' },
            { data: Buffer.from('y'), orderingKey: 'b' },
          ],
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 3 });
    } finally {
      await publisher.close();
    }
  });

  it('answers NOT_FOUND for an unknown topic, from the client and from the state API', async () => {
    const error = await pubsub
      .topic('missing')
      .publishMessage({ data: Buffer.from('x') })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 5 });
    await expect(state.publish(topicName('missing'), Buffer.from('x'))).rejects.toMatchObject({
      code: 5,
    });
  });

  it('redelivers a nacked pull message and reports delivery attempts only with a dead-letter policy', async () => {
    const [topic] = await pubsub.createTopic('pulled');
    await topic.createSubscription('pulled-sub');
    await topic.publishMessage({ data: Buffer.from('one') });
    const subscription = subName('pulled-sub');
    const [first] = await subscriber.pull({ subscription, maxMessages: 5 });
    const ackId = first.receivedMessages?.[0]?.ackId ?? '';
    expect(first.receivedMessages?.[0]?.deliveryAttempt ?? 0).toBe(0);
    const [leased] = await subscriber.pull({ subscription, maxMessages: 5 });
    expect(leased.receivedMessages ?? []).toEqual([]);
    await subscriber.modifyAckDeadline({ subscription, ackIds: [ackId], ackDeadlineSeconds: 0 });
    const [second] = await subscriber.pull({ subscription, maxMessages: 5 });
    expect(Buffer.from(second.receivedMessages?.[0]?.message?.data ?? '').toString()).toBe('one');
    expect(second.receivedMessages?.[0]?.ackId).not.toBe(ackId);
  });

  it('in startEmulator, Artifact Registry notifications reach a push subscription of topic gcr', async () => {
    const emulator = await startEmulator();
    try {
      const client = new PubSub({
        ...(await clientOptions(emulator.port)),
        apiEndpoint: emulator.address,
        projectId: PROJECT,
      });
      const [gcr] = await client.createTopic('gcr');
      await gcr.createSubscription('gcr-push', { pushConfig: { pushEndpoint: recordFn.url } });
      const image = `us-central1-docker.pkg.dev/${PROJECT}/repo/leakage-model`;
      const { digest } = await emulator.registry.push(image, '2.1.0');
      await emulator.pubsub.idle();
      await client.close();

      const notification = JSON.parse(
        Buffer.from(received[0]?.data?.message.data ?? '', 'base64').toString('utf8'),
      ) as Record<string, string>;
      expect(notification).toEqual({
        action: 'INSERT',
        digest: `${image}@${digest}`,
        tag: `${image}:2.1.0`,
      });
      expect(emulator.pubsub.published(topicName('gcr'))).toHaveLength(1);
    } finally {
      await emulator.close();
    }
  });
});
