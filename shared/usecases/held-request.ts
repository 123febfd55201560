import type { Delivery } from '../domain/deliveries.js';
import { holdRequest, type HeldInput } from '../domain/release-held.js';
import { PermanentError, TransientError } from '../errors.js';
import type { ServiceConfig } from '../schemas/config.js';
import { applyDecision, type Applied } from './apply.js';
import type { Deps } from './deps.js';

/** A person's request: what, and who asked. */
export interface PersonsRequest {
  request: HeldInput;
  requestedBy: string;
}

/**
 * Carries out a person's rollback or pause. When Google refuses it permanently (PERMISSION_DENIED,
 * INVALID_ARGUMENT…) it is held instead of dropped: see `holdFailedRequest`. Transient errors
 * propagate (Pub/Sub redelivers).
 */
export async function carryOut(
  deps: Deps,
  config: ServiceConfig,
  person: PersonsRequest,
  work: () => Promise<Applied>,
  delivery?: Delivery,
): Promise<Applied> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof PermanentError)) throw error;
    return holdFailedRequest(deps, config, person, error, delivery);
  }
}

/**
 * Writes the failed request into the record (`held`, a hold on the active release, one
 * release.held saying why and how to fix it); every tick then retries it. When even that write is
 * refused, the delivery is rejected (a TransientError) so Pub/Sub keeps the request and redelivers
 * it with backoff: it is never acknowledged without being carried out or recorded.
 */
export async function holdFailedRequest(
  deps: Deps,
  config: ServiceConfig,
  person: PersonsRequest,
  error: PermanentError,
  delivery?: Delivery,
): Promise<Applied> {
  const failure = { ...person, error: error.message, fix: fixFor(error) };
  deps.logger.error(`a person's request could not be carried out; holding the release`, {
    service: config.service,
    request: person.request.type,
    requestedBy: person.requestedBy,
    error: error.message,
    fix: failure.fix,
  });
  try {
    return await applyDecision(
      deps,
      config.service,
      (record) => holdRequest(record, failure, { config, now: deps.clock.now() }),
      delivery ? { delivery } : {},
    );
  } catch (writeError) {
    throw new TransientError(`${person.request.type} by ${person.requestedBy}`, error.code, {
      cause: new AggregateError([error, writeError], 'the request failed and so did holding it'),
    });
  }
}

/** What a person must do for the retry to pass, by the error's code. */
export function fixFor(error: PermanentError): string {
  const retried = 'cutover retries it on every tick until it passes';
  switch (error.code) {
    case 'PERMISSION_DENIED':
      return `grant cutover's service account the permission named in the error (on Cloud Run: roles/run.developer on the service and roles/iam.serviceAccountUser on its runtime service account; on Artifact Registry: roles/artifactregistry.writer); ${retried}`;
    case 'NOT_FOUND':
      return `restore what the error names (a revision, an image, the service), or roll back by hand with gcloud; ${retried}`;
    default:
      return `fix the cause the error names (\`cutover status\` shows it); ${retried}`;
  }
}
