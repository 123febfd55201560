import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidPayloadError } from '../../shared/errors.js';
import { decodeBase64 } from '../../shared/schemas/inbound/base64.js';
import {
  cloudEventFromBinary,
  decodeJson,
  decodePubsubDelivery,
} from '../../shared/schemas/inbound/pubsub.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const ce = fixture('pubsub-cloudevent-message-published.json');
const push = fixture('pubsub-push-envelope.json');
const b64 = (s: string) => Buffer.from(s).toString('base64');

function errorOf(run: () => unknown): InvalidPayloadError {
  try {
    run();
  } catch (e) {
    if (e instanceof InvalidPayloadError) return e;
    throw e;
  }
  throw new Error('expected an InvalidPayloadError');
}

describe('decodePubsubDelivery', () => {
  it('decodes the conformance CloudEvent (structured mode)', () => {
    const d = decodePubsubDelivery(ce);
    expect({ ...d, data: d.data?.toString() }).toEqual({
      messageId: 'aaaaaa-1111-bbbb-2222-cccccccccccc',
      publishTime: '2020-09-29T11:32:00.000Z',
      data: 'test message 3',
      attributes: { attr1: 'attr1-value' },
      subscription: 'projects/sample-project/subscriptions/sample-subscription',
      source: '//pubsub.googleapis.com/projects/sample-project/topics/gcf-test',
    });
  });

  it('decodes the doc push envelope with camelCase and snake_case ids', () => {
    const d = decodePubsubDelivery(push);
    expect(d.data?.toString()).toBe('Hello Cloud Pub/Sub! Here is my message!');
    expect(d).toMatchObject({
      messageId: '2070443601311540',
      publishTime: '2021-02-26T19:13:55.749Z',
      source: null,
    });
    expect(d.subscription).toBe('projects/myproject/subscriptions/mysubscription');
  });

  it('takes snake_case ids alone, and falls back to the CloudEvent id and time', () => {
    const snake = {
      message: { data: b64('{}'), message_id: '7', publish_time: '2021-01-01T00:00:00Z' },
      subscription: 's',
    };
    expect(decodePubsubDelivery(snake)).toMatchObject({
      messageId: '7',
      publishTime: '2021-01-01T00:00:00Z',
    });
    const bare = { ...ce, data: { subscription: 's', message: { data: b64('{}') } } };
    expect(decodePubsubDelivery(bare)).toMatchObject({
      messageId: ce.id,
      publishTime: ce.time,
      subscription: 's',
    });
  });

  it('accepts absent data and attributes, and a CloudEvent without data', () => {
    const d = decodePubsubDelivery({ message: { messageId: '1', publishTime: 't' } });
    expect(d).toMatchObject({ data: null, attributes: {}, subscription: null });
    expect(decodePubsubDelivery({ ...ce, data: undefined })).toMatchObject({
      data: null,
      messageId: ce.id,
      subscription: null,
    });
  });

  it('decodes the legacy shape (data.message with @type, no subscription) and a gen1 background event', () => {
    const legacy = decodePubsubDelivery({ data: { message: ce.data.message } });
    expect(legacy).toMatchObject({ subscription: null, source: null, messageId: ce.id });
    expect(legacy.data?.toString()).toBe('test message 3');
    const background = {
      context: { eventId: '9', timestamp: '2021-01-01T00:00:00Z' },
      data: { '@type': 'x', data: b64('{"a":1}') },
    };
    expect(decodePubsubDelivery(background)).toMatchObject({
      messageId: '9',
      publishTime: '2021-01-01T00:00:00Z',
    });
  });

  it('builds a binary-mode CloudEvent from ce-* headers, as the functions-framework does', () => {
    const headers = {
      'Ce-Id': '1',
      'ce-source': 'src',
      'ce-type': ce.type,
      'ce-specversion': '1.0',
      'ce-time': 't',
      'content-type': 'application/json',
    };
    const event = cloudEventFromBinary(headers, ce.data);
    expect(event).toMatchObject({
      id: '1',
      source: 'src',
      specversion: '1.0',
      time: 't',
      data: ce.data,
    });
    expect(decodePubsubDelivery(event).data?.toString()).toBe('test message 3');
    expect(errorOf(() => cloudEventFromBinary({ 'ce-id': '1' }, {})).issues).toContain(
      'headers.ce-source: required for a binary-mode CloudEvent',
    );
  });

  it.each([
    [
      { ...push, message: { ...push.message, data: 'SGVsbG8$' } },
      'message.data: not valid base64 (character "$")',
    ],
    [
      { ...push, message: { ...push.message, data: 'SGVsbG8=X' } },
      'message.data: not valid base64',
    ],
    [
      { ...push, message: { ...push.message, data: 'SGVsb' } },
      'message.data: not valid base64 (length leaves a single dangling character)',
    ],
    [
      { ...push, message: { ...push.message, data: 'SGVsbG=' } },
      'message.data: not valid base64 (padding does not complete a group of 4)',
    ],
    [
      { ...ce, data: { ...ce.data, message: { ...ce.data.message, data: 'dGVz dA==' } } },
      'data.message.data: not valid base64 (character " ")',
    ],
    [
      { message: { data: b64('x') } },
      'message.messageId: required (or message_id, or the event id)',
    ],
    [{ message: 'hello' }, 'message: Invalid input: expected object, received string'],
    [
      { ...ce, type: 'google.cloud.storage.object.v1.finalized' },
      'type: expected "google.cloud.pubsub.topic.v1.messagePublished"',
    ],
    [
      { ...push, message: { ...push.message, attributes: { a: 1 } } },
      'message.attributes.a: Invalid input: expected string, received number',
    ],
  ])('rejects a malformed delivery naming the field (%#)', (input, issue) => {
    const e = errorOf(() => decodePubsubDelivery(input));
    expect(e.kind).toBe('Pub/Sub delivery');
    expect(e.issues.some((i) => i.startsWith(issue))).toBe(true);
  });

  it('rejects what is no delivery at all', () => {
    expect(errorOf(() => decodePubsubDelivery({ foo: 1 })).message).toContain(
      'expected a CloudEvent, a push envelope',
    );
  });
});

describe('decodeBase64', () => {
  it.each(['', 'QQ==', 'QUI=', 'QUJD', 'QQ', '-_-_', '+/+/'])(
    'accepts %j like Buffer does',
    (text) => {
      expect(decodeBase64(text, 'message.data', 'k')).toEqual(Buffer.from(text, 'base64'));
    },
  );
});

describe('decodeJson', () => {
  it('parses UTF-8 JSON', () => {
    expect(decodeJson(Buffer.from('{"action":"INSERT"}'))).toEqual({ action: 'INSERT' });
  });

  it.each([
    [Buffer.from('test message 3'), 'message.data: not JSON'],
    [Buffer.from('{"action":'), 'message.data: not JSON'],
    [Buffer.from([0xff, 0xfe, 0x7b]), 'message.data: not UTF-8 text'],
  ])('names the field when data is not JSON (%#)', (buffer, issue) => {
    expect(errorOf(() => decodeJson(buffer)).issues[0]).toContain(issue);
  });
});
