import { createHash, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

/** Compares in constant time (over digests, so lengths leak nothing either). */
function same(a: string, b: string): boolean {
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/**
 * Accepts HTTP Basic auth (what Cloud Monitoring's `webhook_basicauth` channel sends), or the
 * password as the `auth_token` query parameter (for a Pub/Sub push subscription, which cannot
 * send custom headers). Both comparisons run in constant time.
 */
export function authorized(
  authorization: string | undefined,
  query: unknown,
  expected: Credentials,
): boolean {
  const token =
    typeof query === 'object' && query !== null
      ? (query as Record<string, unknown>).auth_token
      : undefined;
  if (typeof token === 'string') return same(token, expected.password);
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (!match?.[1]) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = same(decoded.slice(0, colon), expected.username);
  const passOk = same(decoded.slice(colon + 1), expected.password);
  return userOk && passOk;
}
