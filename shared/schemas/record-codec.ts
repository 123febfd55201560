import { InvalidPayloadError } from '../errors.js';
import { ServiceRecord } from './release.js';

/** Every annotation cutover writes starts with this prefix; nothing else on the service is touched. */
export const ANNOTATION_PREFIX = 'cutover.dev/';

const KEYS = {
  stable: 'cutover.dev/stable',
  release: 'cutover.dev/release',
  releaseId: 'cutover.dev/release-id',
  phase: 'cutover.dev/phase',
  failedImages: 'cutover.dev/failed-images',
  history: 'cutover.dev/history',
  actions: 'cutover.dev/actions',
  previousStables: 'cutover.dev/previous-stables',
  outbox: 'cutover.dev/outbox',
  inputs: 'cutover.dev/inputs',
  held: 'cutover.dev/held',
  smokeLease: 'cutover.dev/smoke-lease',
} as const;

/**
 * Encodes the record as annotations. `release-id` and `phase` are duplicated as plain strings so
 * `gcloud run services describe` shows them at a glance; the JSON values are the source of truth.
 */
export function encodeRecord(record: ServiceRecord): Record<string, string> {
  const out: Record<string, string> = {
    [KEYS.stable]: JSON.stringify(record.stable),
    [KEYS.failedImages]: JSON.stringify(record.failedImages),
    [KEYS.history]: JSON.stringify(record.history),
  };
  if (record.actions?.length) out[KEYS.actions] = JSON.stringify(record.actions);
  // Written only when they hold something, so a quiet service carries no extra annotations.
  if (record.previousStables?.length)
    out[KEYS.previousStables] = JSON.stringify(record.previousStables);
  if (record.outbox && (record.outbox.owed.length || record.outbox.seq))
    out[KEYS.outbox] = JSON.stringify(record.outbox);
  if (record.inputs && (record.inputs.lastTick || record.inputs.seen.length))
    out[KEYS.inputs] = JSON.stringify(record.inputs);
  if (record.held) out[KEYS.held] = JSON.stringify(record.held);
  if (record.smokeLease) out[KEYS.smokeLease] = JSON.stringify(record.smokeLease);
  if (record.release) {
    out[KEYS.release] = JSON.stringify(record.release);
    out[KEYS.releaseId] = record.release.id;
    out[KEYS.phase] = record.release.phase;
  }
  return out;
}

/** Decodes the record, or null when the service carries no `cutover.dev/stable` annotation. */
export function decodeRecord(
  annotations: Record<string, string> | null | undefined,
): ServiceRecord | null {
  const raw = annotations?.[KEYS.stable];
  if (raw === undefined) return null;
  const field = (key: string, absent: unknown): unknown => {
    const text = annotations?.[key];
    return text === undefined ? absent : parseJson(text, key);
  };
  const parsed = ServiceRecord.safeParse({
    stable: parseJson(raw, KEYS.stable),
    release: field(KEYS.release, null),
    failedImages: field(KEYS.failedImages, []),
    history: field(KEYS.history, []),
    actions: field(KEYS.actions, undefined),
    previousStables: field(KEYS.previousStables, undefined),
    outbox: field(KEYS.outbox, undefined),
    inputs: field(KEYS.inputs, undefined),
    held: field(KEYS.held, undefined),
    smokeLease: field(KEYS.smokeLease, undefined),
  });
  if (!parsed.success) {
    throw new InvalidPayloadError(
      'release record in cutover.dev/ annotations',
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** Replaces every `cutover.dev/` annotation with the record's, keeping all others as they are. */
export function mergeRecord(
  annotations: Record<string, string> | null | undefined,
  record: ServiceRecord,
): Record<string, string> {
  const kept = Object.fromEntries(
    Object.entries(annotations ?? {}).filter(([k]) => !k.startsWith(ANNOTATION_PREFIX)),
  );
  return { ...kept, ...encodeRecord(record) };
}

function parseJson(text: string, key: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new InvalidPayloadError(
      'release record in cutover.dev/ annotations',
      [`${key}: not valid JSON`],
      { cause },
    );
  }
}
