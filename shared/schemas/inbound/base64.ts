import { InvalidPayloadError } from '../../errors.js';

/** Standard or URL-safe alphabet (not mixed), then at most two `=` of padding. */
const STANDARD = /^[A-Za-z0-9+/]*(={0,2})$/;
const URL_SAFE = /^[A-Za-z0-9_-]*(={0,2})$/;

/**
 * Decodes base64 strictly. Node's `Buffer.from(s, 'base64')` skips characters outside the alphabet
 * and stops at stray padding, so junk would decode to some other bytes; this checks the alphabet,
 * the padding and the length first. Padding may be omitted (proto3 JSON allows it), but when
 * present it must complete a 4-character group.
 */
export function decodeBase64(text: string, path: string, kind: string): Buffer {
  const match = STANDARD.exec(text) ?? URL_SAFE.exec(text);
  const fail = (why: string): never => {
    throw new InvalidPayloadError(kind, [`${path}: not valid base64 (${why})`]);
  };
  if (!match) {
    const bad = [...text].find((c) => !/[A-Za-z0-9+/=_-]/.test(c));
    fail(
      bad === undefined
        ? 'mixes the standard and URL-safe alphabets, or has padding inside'
        : `character ${JSON.stringify(bad)}`,
    );
  }
  const padding = match?.[1]?.length ?? 0;
  if (padding > 0 && text.length % 4 !== 0) fail('padding does not complete a group of 4');
  if (padding === 0 && text.length % 4 === 1) fail('length leaves a single dangling character');
  return Buffer.from(text, 'base64');
}
