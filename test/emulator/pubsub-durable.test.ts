import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PubSub, v1 } from '@google-cloud/pubsub';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../local/emulator/index.js';
import { clientOptions } from './grpc-server.js';

const PROJECT = 'cutover-test';
const fast = { minimumBackoff: { nanos: 5e6 }, maximumBackoff: { nanos: 20e6 } };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A push endpoint answering `status` (changeable), keeping the message ids and data it got. */
async function endpoint(status: number) {
  const got: Array<{ id: string; data: string; status: number }> = [];
  const state = { status };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const { message } = JSON.parse(body) as { message: { messageId: string; data?: string } };
      got.push({
        id: message.messageId,
        data: Buffer.from(message.data ?? '', 'base64').toString(),
        status: state.status,
      });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(
    () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, got, state };
}

async function emulatorAt(stateFile: string, holdRedelivery = false) {
  const emulator = await startEmulator({ stateFile, holdRedelivery });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await pubsub.close();
    await subscriber.close();
    await emulator.close();
  };
  const options = await clientOptions(emulator.port);
  const pubsub = new PubSub({ ...options, apiEndpoint: emulator.address, projectId: PROJECT });
  const subscriber = new v1.SubscriberClient({ ...options, projectId: PROJECT });
  cleanups.push(close);
  return { emulator, pubsub, subscriber, close };
}

function stateFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cutover-pubsub-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'state.json');
}

describe('the emulated Pub/Sub keeps unacknowledged messages across a restart', () => {
  it('a push message not acknowledged when the emulator was killed is redelivered after the restart, with its id', async () => {
    const file = stateFile();
    const killedAt = `${file}.killed`;
    const down = await endpoint(503);
    const first = await emulatorAt(file);
    const [topic] = await first.pubsub.createTopic('gcr');
    await topic.createSubscription('provision', {
      pushConfig: { pushEndpoint: down.url },
      retryPolicy: fast,
    });
    const id = await topic.publishMessage({ data: Buffer.from('v2 pushed') });
    // What a kill the moment the publish was answered leaves on disk: the state as last written.
    copyFileSync(file, killedAt);
    await first.close();

    down.state.status = 204;
    const second = await emulatorAt(killedAt);
    await second.emulator.pubsub.idle();
    expect(down.got.filter((g) => g.status === 204)).toEqual([
      { id, data: 'v2 pushed', status: 204 },
    ]);
    // Ids go on from where they were: subscribers dedupe on them.
    const next = await second.pubsub.topic('gcr').publishMessage({ data: Buffer.from('v3') });
    expect(Number(next)).toBeGreaterThan(Number(id));
  });

  it('ordered messages of one key waiting when the emulator was killed are redelivered in order, one at a time', async () => {
    const file = stateFile();
    const killedAt = `${file}.killed`;
    const down = await endpoint(503);
    const first = await emulatorAt(file);
    const [created] = await first.pubsub.createTopic('events');
    await created.createSubscription('advance', {
      pushConfig: { pushEndpoint: down.url },
      retryPolicy: fast,
      enableMessageOrdering: true,
    });
    const topic = first.pubsub.topic('events', { messageOrdering: true });
    for (const data of ['e1', 'e2', 'e3'])
      await topic.publishMessage({ data: Buffer.from(data), orderingKey: 'service' });
    copyFileSync(file, killedAt);
    await first.close();
    // before the kill only e1 could be in flight: e2 and e3 waited behind it
    expect(down.got.every((g) => g.data === 'e1')).toBe(true);

    down.state.status = 204;
    const second = await emulatorAt(killedAt);
    await second.emulator.pubsub.idle();
    expect(down.got.filter((g) => g.status === 204).map((g) => g.data)).toEqual(['e1', 'e2', 'e3']);
  });

  it('an acknowledged push message is not delivered again after a restart', async () => {
    const file = stateFile();
    const up = await endpoint(204);
    const first = await emulatorAt(file);
    const [topic] = await first.pubsub.createTopic('events');
    await topic.createSubscription('advance', { pushConfig: { pushEndpoint: up.url } });
    await topic.publishMessage({ data: Buffer.from('tick') });
    await first.emulator.pubsub.idle();
    await first.close();
    const second = await emulatorAt(file);
    await second.emulator.pubsub.idle();
    expect(up.got.map((g) => g.data)).toEqual(['tick']);
  });

  it('a pulled message not acknowledged is pulled again after a restart; acknowledged, it is gone', async () => {
    const file = stateFile();
    const first = await emulatorAt(file);
    const [topic] = await first.pubsub.createTopic('dead-letters');
    await topic.createSubscription('kept');
    await topic.publishMessage({ data: Buffer.from('rollback request') });
    const subscription = `projects/${PROJECT}/subscriptions/kept`;
    const [leased] = await first.subscriber.pull({ subscription, maxMessages: 5 });
    expect(leased.receivedMessages).toHaveLength(1);
    await first.close();

    const second = await emulatorAt(file);
    const [again] = await second.subscriber.pull({ subscription, maxMessages: 5 });
    const message = again.receivedMessages?.[0];
    expect(Buffer.from(message?.message?.data ?? '').toString()).toBe('rollback request');
    await second.subscriber.acknowledge({ subscription, ackIds: [message!.ackId!] });
    await second.close();

    const third = await emulatorAt(file);
    const [none] = await third.subscriber.pull({ subscription, maxMessages: 5 });
    expect(none.receivedMessages ?? []).toEqual([]);
  });

  it('held for resume(): restored messages go to the endpoint ModifyPushConfig names (the functions moved ports)', async () => {
    const file = stateFile();
    const old = await endpoint(503);
    const first = await emulatorAt(file);
    const [topic] = await first.pubsub.createTopic('requests');
    await topic.createSubscription('rollback', {
      pushConfig: { pushEndpoint: old.url },
      retryPolicy: fast,
    });
    const id = await topic.publishMessage({ data: Buffer.from('roll back') });
    await first.close();

    const moved = await endpoint(204);
    const second = await emulatorAt(file, true);
    await second.emulator.pubsub.idle(); // nothing is being delivered before resume()
    expect(moved.got).toEqual([]);
    await second.pubsub.subscription('rollback').modifyPushConfig({ pushEndpoint: moved.url });
    const seenBefore = old.got.length;
    second.emulator.pubsub.resume();
    await second.emulator.pubsub.idle();
    expect(moved.got).toEqual([{ id, data: 'roll back', status: 204 }]);
    expect(old.got).toHaveLength(seenBefore);
  });
});
