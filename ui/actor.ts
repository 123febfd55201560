import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

const Claims = z.object({ email: z.string().min(1) });

/** The email claim of a bearer ID token (Cloud Run / the function's IAM check has verified it). */
function tokenEmail(authorization: string | undefined): string | null {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = Claims.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
    return claims.success ? claims.data.email : null;
  } catch {
    return null;
  }
}

/**
 * Who pressed the button: behind IAM, the caller's verified identity (IAP's
 * `x-goog-authenticated-user-email`, else the ID token's email); locally, the name typed on the
 * page, else `page@cutover-ui`.
 */
export function actorOf(headers: IncomingHttpHeaders, typed: string | undefined): string {
  const iap = headers['x-goog-authenticated-user-email'];
  if (typeof iap === 'string' && iap) return iap.replace(/^accounts\.google\.com:/, '');
  return tokenEmail(headers.authorization) ?? typed ?? 'page@cutover-ui';
}
