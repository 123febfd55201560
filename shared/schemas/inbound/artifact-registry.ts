import { z } from 'zod';
import { parseImageRef } from '../../domain/image-ref.js';
import { parseInbound } from './issues.js';

export const AR_NOTIFICATION_KIND = 'Artifact Registry notification';

/**
 * What a registry publishes as a digest: `sha256:` and 64 lowercase hex characters. Google's
 * notification example truncates it (`sha256:6ec128e26cd5...`) for display; a real message never
 * does, and a release must never start from a reference that no registry can resolve.
 */
export const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A full image reference that must carry the given part (`@digest` or `:tag`). */
function imageRefWith(part: 'digest' | 'tag') {
  return z.string({ error: 'expected a full image reference (string)' }).superRefine((ref, ctx) => {
    try {
      const parsed = parseImageRef(ref);
      if (parsed.digest !== null && !SHA256_DIGEST.test(parsed.digest)) {
        ctx.addIssue({
          code: 'custom',
          message: `digest "${parsed.digest.slice(0, 80)}" is not sha256: followed by 64 lowercase hex characters`,
        });
      } else if (parsed[part] === null) {
        const shape = part === 'digest' ? 'HOST/…/IMAGE@sha256:…' : 'HOST/…/IMAGE:TAG';
        ctx.addIssue({
          code: 'custom',
          message: `must be a full image reference with a ${part}: ${shape}`,
        });
      }
    } catch (cause) {
      ctx.addIssue({ code: 'custom', message: (cause as Error).message });
    }
  });
}

/** Absent, null and "" all mean "no such key": the doc says absent, tolerate the other two. */
const optionalRef = (part: 'digest' | 'tag') =>
  z.preprocess((v) => (v === null || v === '' ? undefined : v), imageRefWith(part).optional());

/**
 * The message Artifact Registry (and Container Registry) publishes to topic `gcr`, decoded from
 * `message.data`. `digest` and `tag` are full references, never bare values; a message carries
 * at least one of them:
 * - INSERT with tag and digest: a push with a tag, or a tag added to an existing image (the digest
 *   may be old);
 * - INSERT with digest only: an untagged push;
 * - DELETE with tag (tag removed) or digest (image deleted).
 * Unknown keys are kept: the doc promises no closed set.
 */
export const ArtifactRegistryNotification = z
  .looseObject({
    action: z.enum(['INSERT', 'DELETE'], {
      error: (iss) => (iss.input === undefined ? 'required' : 'expected "INSERT" or "DELETE"'),
    }),
    digest: optionalRef('digest'),
    tag: optionalRef('tag'),
  })
  .refine((n) => n.digest !== undefined || n.tag !== undefined, {
    message: 'a notification must carry a digest or a tag reference',
    path: ['digest'],
  });
export type ArtifactRegistryNotification = z.infer<typeof ArtifactRegistryNotification>;

/** Validates a decoded notification; throws InvalidPayloadError naming each wrong field. */
export function parseArtifactRegistryNotification(input: unknown): ArtifactRegistryNotification {
  return parseInbound(ArtifactRegistryNotification, AR_NOTIFICATION_KIND, input);
}
