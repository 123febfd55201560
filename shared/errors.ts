/**
 * Typed errors with the fields a reader needs and the original `cause`.
 * `retryable` tells a function entry whether to reject (Pub/Sub redelivers) or acknowledge.
 */
export abstract class CutoverError extends Error {
  abstract readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A Google API failed in a way that may pass: UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED. */
export class TransientError extends CutoverError {
  readonly retryable = true;
  constructor(
    readonly operation: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} failed with ${code}; it is retried by redelivery`, options);
  }
}

/** A Google API refused in a way retrying will not fix (PERMISSION_DENIED, NOT_FOUND, INVALID_ARGUMENT…). */
export class PermanentError extends CutoverError {
  readonly retryable = false;
  constructor(
    readonly operation: string,
    readonly code: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} failed with ${code}: ${detail}`, options);
  }
}

/** The service changed since it was read (stale etag): re-read and decide again. */
export class ConflictError extends CutoverError {
  readonly retryable = true;
  constructor(
    readonly service: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${service} changed since it was read (etag mismatch); re-read and decide again`,
      options,
    );
  }
}

/**
 * The re-read after a write found another writer's record, not the one written: the write landed
 * and was overwritten (or landed over a write the etag did not guard). Decided again like any
 * conflict.
 */
export class LostRaceError extends ConflictError {
  constructor(service: string) {
    super(service);
    this.message = `${service} carries another writer's cutover record after this write (a concurrent write the etag did not stop); re-read and decide again`;
  }
}

/** A new revision did not become ready (the operation finished with a failed terminal condition). */
export class DeployFailedError extends CutoverError {
  readonly retryable = false;
  constructor(
    readonly service: string,
    readonly revision: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`revision ${revision} of ${service} did not become ready: ${detail}`, options);
  }
}

/** An inbound payload did not match its schema; it is acknowledged and logged, never retried. */
export class InvalidPayloadError extends CutoverError {
  readonly retryable = false;
  constructor(
    readonly kind: string,
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid ${kind}: ${issues.join('; ')}`, options);
  }
}

/** The configuration is wrong; the message names the field and what is wrong with it. */
export class ConfigError extends CutoverError {
  readonly retryable = false;
  constructor(
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid cutover configuration:\n  ${issues.join('\n  ')}`, options);
  }
}

/**
 * Traffic named a revision that no longer exists (Cloud Run fails the operation with code 13,
 * "does not exist or is deleted"). Retrying sends the same traffic and fails the same way.
 */
export class MissingRevisionError extends CutoverError {
  readonly retryable = false;
  constructor(
    readonly service: string,
    readonly revision: string,
    options?: { cause?: unknown },
  ) {
    const [, project = 'PROJECT', region = 'REGION', id = 'SERVICE'] =
      /^projects\/([^/]+)\/locations\/([^/]+)\/services\/([^/]+)$/.exec(service) ?? [];
    super(
      `revision ${revision} of ${service} does not exist or is deleted, so cutover cannot write traffic that names it; ` +
        `the release is held. Fix: route all traffic to revisions that exist, e.g. ` +
        `\`gcloud run services update-traffic ${id} --project ${project} --region ${region} --to-revisions=REVISION=100\`; ` +
        `cutover then ends the release as changed outside it and takes the revision serving 100% as its stable`,
      options,
    );
  }
}
