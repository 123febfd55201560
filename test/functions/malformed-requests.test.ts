import type { AddressInfo } from 'node:net';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Harness, WEBHOOK, basic, deliver, post } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(() => h.stop());
afterEach(() => {
  delete process.env.CUTOVER_ALERT_TRANSPORT;
});

const FUNCTIONS = ['provisionGreen', 'advanceRelease', 'rollback', 'revertOnAlert'] as const;
const CLOUDEVENT_HEADERS = {
  'ce-id': '1',
  'ce-source': '//pubsub.googleapis.com/projects/cutover-test/topics/gcr',
  'ce-specversion': '1.0',
  'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
};
const auth = { authorization: basic(WEBHOOK.username, WEBHOOK.password) };

/** Each class of request no sender of ours produces, as the adversarial run sent them. */
const CLASSES: Array<[string, RequestInit]> = [
  ['an empty body', { method: 'POST', headers: auth }],
  [
    'an empty JSON body',
    { method: 'POST', headers: { ...auth, 'content-type': 'application/json' } },
  ],
  ['a GET', { method: 'GET', headers: auth }],
  [
    'a wrong content type',
    { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'hello' },
  ],
  [
    'random bytes with CloudEvent headers',
    {
      method: 'POST',
      headers: { ...auth, ...CLOUDEVENT_HEADERS, 'content-type': 'application/octet-stream' },
      body: Buffer.from([0x01, 0x9f, 0xfa, 0x00, 0xfb, 0x7b]),
    },
  ],
  [
    'random bytes labelled JSON with CloudEvent headers',
    {
      method: 'POST',
      headers: { ...auth, ...CLOUDEVENT_HEADERS, 'content-type': 'application/json' },
      body: Buffer.from([0x01, 0x9f, 0xfa, 0x00, 0xfb, 0x7b]),
    },
  ],
  [
    'invalid JSON',
    { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"a":' },
  ],
];

async function send(fn: string, init: RequestInit): Promise<{ status: number; text: string }> {
  const server = getTestServer(fn);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/`, init);
    return { status: res.status, text: await res.text() };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

describe('every function answers a malformed request with 400 and a short JSON error', () => {
  it.each(FUNCTIONS.flatMap((fn) => CLASSES.map(([name, init]) => [fn, name, init] as const)))(
    '%s: %s',
    async (fn, _name, init) => {
      const { status, text } = await send(fn, init);
      expect(status).toBe(400);
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['error']);
      expect(String(body.error).length).toBeLessThan(120);
      // No internals: no stack frame, no file path, no HTML page.
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|\/work\/|\.ts:|\.js:|<html|<pre/i);
    },
  );
});

describe('where a non-2xx is a redelivery, malformed input is acknowledged and logged', () => {
  it.each(['provisionGreen', 'advanceRelease', 'rollback'])(
    '%s: a Pub/Sub message whose data is not JSON is acknowledged (2xx) with an error log',
    async (fn) => {
      const before = h.logs.entries.length;
      const raw = Buffer.from([0x9f, 0xfa, 0x00]).toString('base64');
      expect(await deliver(fn, 'some-topic', null, { raw })).toBe(204);
      const logged = h.logs.entries.slice(before);
      expect(logged).toContainEqual(
        expect.objectContaining({
          severity: 'ERROR',
          message: expect.stringContaining('malformed input acknowledged'),
        }),
      );
    },
  );

  it('revertOnAlert through Pub/Sub: a poison message is acknowledged (200), not redelivered', async () => {
    process.env.CUTOVER_ALERT_TRANSPORT = 'pubsub';
    const before = h.logs.entries.length;
    const time = h.clock.now().toISOString();
    const envelope = (data: string) =>
      JSON.stringify({
        subscription: 'projects/cutover-test/subscriptions/alerts',
        message: { data, messageId: '7', publishTime: time },
      });
    for (const data of [
      Buffer.from('not json').toString('base64'),
      Buffer.from(JSON.stringify({ version: '1.2', incident: { state: 'burning' } })).toString(
        'base64',
      ),
    ]) {
      const res = await post('revertOnAlert', {
        headers: { ...CLOUDEVENT_HEADERS, 'content-type': 'application/json', 'ce-time': time },
        body: envelope(data),
      });
      expect(res).toMatchObject({ status: 200, json: { action: 'acknowledged' } });
    }
    expect(
      h.logs.entries
        .slice(before)
        .filter((e) => e.severity === 'ERROR' && String(e.message).includes('acknowledged')),
    ).toHaveLength(2);
  });

  it('revertOnAlert as a webhook: the same malformed incident is a 400 (Monitoring does not redeliver on it)', async () => {
    const res = await post('revertOnAlert', {
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ version: '1.2', incident: { state: 'burning' } }),
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: expect.stringContaining('invalid') });
  });
});
