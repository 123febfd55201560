import { z } from 'zod';
import { InvalidPayloadError } from '../../errors.js';
import { decodeBase64 } from './base64.js';
import { parseInbound } from './issues.js';

export const PUBSUB_KIND = 'Pub/Sub delivery';
/** Kind of the error when a message's data is not UTF-8 JSON. */
export const MESSAGE_DATA_KIND = 'Pub/Sub message data';
export const MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';

/** One Pub/Sub message as cutover's handlers see it, whatever envelope it came in. */
export interface PubsubDelivery {
  messageId: string;
  /** RFC 3339, as Pub/Sub sent it. The only timestamp a `gcr` notification has. */
  publishTime: string;
  /** Decoded `message.data`; null when absent or empty (attribute-only messages). */
  data: Buffer | null;
  attributes: Record<string, string>;
  /** `projects/P/subscriptions/S`; null for legacy background events, which drop it. */
  subscription: string | null;
  /** CloudEvent `source` (`//pubsub.googleapis.com/projects/P/topics/T`), null for a raw push. */
  source: string | null;
}

const Str = z.string().min(1);

/** A PubsubMessage in JSON: camelCase and snake_case ids both occur, often together. */
const Message = z.looseObject({
  data: z.string().nullish(),
  attributes: z.record(z.string(), z.string()).nullish(),
  messageId: Str.optional(),
  message_id: Str.optional(),
  publishTime: Str.optional(),
  publish_time: Str.optional(),
});
type Message = z.infer<typeof Message>;

/** `{ message, subscription }`: a push subscription's body, and a CloudEvent's `data`. */
const PushEnvelope = z.looseObject({ message: Message, subscription: Str.nullish() });

/** A CloudEvent as the functions-framework hands it over (binary or structured mode alike). */
const CloudEvent = z.looseObject({
  specversion: Str,
  id: Str,
  source: Str,
  type: z.literal(MESSAGE_PUBLISHED, { error: `expected "${MESSAGE_PUBLISHED}"` }),
  time: Str.optional(),
  data: PushEnvelope.nullish(),
});

/** A legacy (gen1) background event: `data` is the PubsubMessage itself, ids in `context`. */
const BackgroundEvent = z.looseObject({
  context: z.looseObject({ eventId: Str, timestamp: Str, eventType: Str.optional() }),
  data: Message,
});

/** Which envelope `input` looks like, judged on its keys only; null when it is none of them. */
export function pubsubShape(input: unknown): 'cloudevent' | 'push' | 'background' | null {
  if (!isObject(input)) return null;
  if ('specversion' in input || input.type === MESSAGE_PUBLISHED) return 'cloudevent';
  if ('message' in input) return 'push';
  if ('context' in input && isObject(input.data)) return 'background';
  if (isObject(input.data) && 'message' in input.data) return 'cloudevent';
  return null;
}

/**
 * Decodes any delivery shape into a PubsubDelivery:
 * - a CloudEvent `{ id, source, type, specversion, time, data: { message, subscription } }` (binary
 *   mode after the functions-framework built it, or structured mode parsed); `data` may be absent;
 * - the same without CloudEvent attributes, `{ data: { message } }` (legacy conversion, no subscription);
 * - a raw push envelope `{ message, subscription }`;
 * - a gen1 background event `{ context: { eventId, timestamp }, data: PubsubMessage }`.
 * Ids and times come from the message (camelCase, then snake_case), then from the envelope.
 * Throws InvalidPayloadError naming the field; bad base64 names `message.data`.
 */
export function decodePubsubDelivery(input: unknown): PubsubDelivery {
  const shape = pubsubShape(input);
  if (shape === 'push') {
    const env = parseInbound(PushEnvelope, PUBSUB_KIND, input);
    return fromMessage(env.message, 'message', {
      subscription: env.subscription ?? null,
      source: null,
    });
  }
  if (shape === 'background') {
    const ev = parseInbound(BackgroundEvent, PUBSUB_KIND, input);
    const ids = { messageId: ev.context.eventId, publishTime: ev.context.timestamp };
    return fromMessage(ev.data, 'data', { subscription: null, source: null, ...ids });
  }
  if (shape === 'cloudevent' && 'specversion' in (input as object)) {
    const ce = parseInbound(CloudEvent, PUBSUB_KIND, input);
    const fallback = {
      subscription: ce.data?.subscription ?? null,
      source: ce.source,
      messageId: ce.id,
      publishTime: ce.time,
    };
    return fromMessage(ce.data?.message ?? {}, 'data.message', fallback);
  }
  if (shape === 'cloudevent') {
    const env = parseInbound(z.looseObject({ data: PushEnvelope }), PUBSUB_KIND, input);
    return fromMessage(env.data.message, 'data.message', {
      subscription: env.data.subscription ?? null,
      source: null,
    });
  }
  throw new InvalidPayloadError(PUBSUB_KIND, [
    '(root): expected a CloudEvent, a push envelope { message, subscription } or a background event',
  ]);
}

interface Fallback {
  subscription: string | null;
  source: string | null;
  messageId?: string | undefined;
  publishTime?: string | undefined;
}

function fromMessage(message: Message, path: string, fallback: Fallback): PubsubDelivery {
  const messageId = message.messageId ?? message.message_id ?? fallback.messageId;
  const publishTime = message.publishTime ?? message.publish_time ?? fallback.publishTime;
  const missing = [
    ...(messageId === undefined
      ? [`${path}.messageId: required (or message_id, or the event id)`]
      : []),
    ...(publishTime === undefined
      ? [`${path}.publishTime: required (or publish_time, or the event time)`]
      : []),
  ];
  if (messageId === undefined || publishTime === undefined)
    throw new InvalidPayloadError(PUBSUB_KIND, missing);
  const raw = message.data ?? '';
  const data = raw === '' ? null : decodeBase64(raw, `${path}.data`, PUBSUB_KIND);
  return {
    messageId,
    publishTime,
    data,
    attributes: message.attributes ?? {},
    subscription: fallback.subscription,
    source: fallback.source,
  };
}

/**
 * Builds the CloudEvent a binary-mode request carries (`ce-*` headers plus a JSON body), as the
 * functions-framework does: binary only when all of ce-id, ce-source, ce-type and ce-specversion are present.
 */
export function cloudEventFromBinary(
  headers: Record<string, unknown>,
  body: unknown,
): Record<string, unknown> {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const missing = ['ce-id', 'ce-source', 'ce-type', 'ce-specversion'].filter(
    (h) => typeof lower[h] !== 'string',
  );
  if (missing.length)
    throw new InvalidPayloadError(
      PUBSUB_KIND,
      missing.map((h) => `headers.${h}: required for a binary-mode CloudEvent`),
    );
  const attrs = Object.entries(lower)
    .filter(([k]) => k.startsWith('ce-'))
    .map(([k, v]) => [k.slice(3), v]);
  return { ...Object.fromEntries(attrs), data: body };
}

/** Parses a decoded `message.data` as UTF-8 JSON; throws InvalidPayloadError naming `path`. */
export function decodeJson(
  buffer: Buffer,
  path = 'message.data',
  kind = MESSAGE_DATA_KIND,
): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch (cause) {
    throw new InvalidPayloadError(kind, [`${path}: not UTF-8 text`], { cause });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const preview = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new InvalidPayloadError(
      kind,
      [`${path}: not JSON (${(cause as Error).message}); starts ${JSON.stringify(preview)}`],
      { cause },
    );
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
