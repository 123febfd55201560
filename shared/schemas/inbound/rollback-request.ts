import { z } from 'zod';
import { ServiceName } from '../config.js';
import { parseInbound } from './issues.js';

export const ROLLBACK_KIND = 'rollback request';

const SERVICE_ID = /^[a-z][a-z0-9-]{0,48}$/;

const required = (what: string) => (iss: { input: unknown }) =>
  iss.input === undefined ? 'required' : `expected ${what}`;

/**
 * What people and tools publish to `cutover-rollback-requests`.
 *
 * `service` is a full name (`projects/P/locations/L/services/S`) or a bare service id (`S`); the
 * handler resolves it against the config with `resolveServiceRef`, and a bare id that names no
 * configured service, or more than one, is refused (never guessed). `mode`:
 * - `traffic`: 100% back to the stable revision, which is still deployed (instant);
 * - `container`: deploy the digest of the image's newest `rollback-*` tag at 100%;
 * - `undo`: after a promotion, 100% back on the previous stable revision while it is still
 *   deployed (recorded as a manual traffic rollback of the promoted release).
 * `reason` and `requestedBy` are required so the rollback is accounted for in events and history.
 * The object is strict: a misspelt key is an error, not a silently ignored field.
 */
export const RollbackRequest = z.strictObject({
  service: z
    .string({ error: required('a service name (string)') })
    .refine((s) => ServiceName.safeParse(s).success || SERVICE_ID.test(s), {
      message: 'must be projects/PROJECT/locations/REGION/services/SERVICE or a bare service id',
    }),
  mode: z.enum(['traffic', 'container', 'undo'], {
    error: required('"traffic", "container" or "undo"'),
  }),
  reason: z
    .string({ error: required('a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(1000, 'must be at most 1000 characters'),
  requestedBy: z
    .string({ error: required('a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters'),
});
export type RollbackRequest = z.infer<typeof RollbackRequest>;

/** Validates a rollback request; throws InvalidPayloadError naming each wrong field. */
export function parseRollbackRequest(input: unknown): RollbackRequest {
  return parseInbound(RollbackRequest, ROLLBACK_KIND, input);
}
