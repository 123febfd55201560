import type { ServiceRecord } from '../schemas/release.js';
import { withDigest } from './image-ref.js';
import {
  activeRelease,
  ignore,
  type MachineContext,
  type ReleaseInput,
  type Transition,
} from './release-input.js';
import { startRelease } from './release-start.js';

type RetryInput = Extract<ReleaseInput, { type: 'retry' }>;

/** What a retry releases: the image, and the tag it was pushed as when the record knows it. */
export type RetryTarget =
  { kind: 'retry'; image: string; tag: string | null } | { kind: 'refused'; reason: string };

const digestOf = (ref: string) => ref.slice(ref.lastIndexOf('@') + 1);
/** Entries are bare digests or `image@digest` references; both name the digest. */
const sameDigest = (a: string, b: string) => digestOf(a) === digestOf(b);

/**
 * The image `cutover retry` would release on this record: `requested` (`sha256:…` or
 * `repo@sha256:…`) when given, else the newest release in the history that failed (its image is
 * in `failedImages`) or was aborted. Refused, saying why, while a release is active, when the
 * image is neither failed nor aborted, or when it is the stable. A bare digest in `failedImages`
 * is taken to be of the stable's repository.
 */
export function retryTarget(record: ServiceRecord | null, requested?: string): RetryTarget {
  if (!record) return { kind: 'refused', reason: 'cutover has not released this service yet' };
  const active = activeRelease(record);
  if (active)
    return {
      kind: 'refused',
      reason: `release ${active.id} (${active.tag}) is still ${active.phase}: a retry starts a release, so wait for it to end or end it (\`cutover rollback\`)`,
    };
  const failed = (ref: string) => record.failedImages.some((f) => sameDigest(f, ref));
  const retriable = record.history.filter((h) => h.phase === 'aborted' || failed(h.image));
  const image = requested
    ? (retriable.find((h) => sameDigest(h.image, requested))?.image ??
      record.failedImages.find((f) => sameDigest(f, requested)))
    : retriable[0]?.image;
  if (image === undefined)
    return {
      kind: 'refused',
      reason: requested
        ? `${requested} neither failed nor was aborted on this service (failed: ${record.failedImages.join(', ') || 'none'}); push it to release it`
        : 'no release of this service failed or was aborted: there is nothing to retry',
    };
  // A bare digest is of the image the service runs.
  const ref = image.includes('@') ? image : withDigest(record.stable.image, image);
  if (sameDigest(record.stable.image, ref))
    return { kind: 'refused', reason: `${ref} is already the stable image` };
  const last = record.release;
  const tag = last && sameDigest(last.candidate.image, ref) ? last.tag : null;
  return { kind: 'retry', image: ref, tag };
}

/**
 * Clears the image from `failedImages` and releases it again, as a push of that image and tag
 * would, recording who asked on the release. Changes nothing while a release is active.
 */
export function retryRelease(
  record: ServiceRecord,
  input: RetryInput,
  ctx: MachineContext,
): Transition {
  const active = activeRelease(record);
  if (active)
    return ignore(
      record,
      `release ${active.id} is still ${active.phase}; retry ${input.image} after it ends`,
    );
  const cleared = record.failedImages.filter((f) => !sameDigest(f, input.image));
  const started = startRelease(
    { ...record, failedImages: cleared },
    { type: 'push', releaseId: input.releaseId, image: input.image, tag: input.tag },
    ctx,
    ctx.config.service,
  );
  if (started.ignored !== null || !started.record.release)
    return ignore(record, started.ignored ?? 'nothing started');
  const wasFailed = cleared.length !== record.failedImages.length;
  return {
    ...started,
    record: {
      ...started.record,
      release: { ...started.record.release, requestedBy: input.requestedBy },
    },
    summary: `retry of ${input.tag}: ${started.summary}${wasFailed ? '; cleared from the failed images' : ''} (by ${input.requestedBy})`,
  };
}
