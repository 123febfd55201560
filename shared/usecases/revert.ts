import type { IncidentDecision } from '../domain/incident-filter.js';
import { newestRollbackTag } from '../domain/rollback-tag.js';
import { candidateRevisionName } from '../domain/release-start.js';
import { transition } from '../domain/release-machine.js';
import type { ReleaseInput } from '../domain/release-input.js';
import type { Delivery } from '../domain/deliveries.js';
import { PermanentError } from '../errors.js';
import type { ServiceConfig } from '../schemas/config.js';
import { applyDecision, type Applied } from './apply.js';
import type { Deps } from './deps.js';

type Decidable = Exclude<ReleaseInput, { type: 'push' | 'rollback-container' }>;

/** Applies one input that needs no extra reads (alert, traffic rollback, promote, pause, resume). */
export async function applyInput(
  deps: Deps,
  config: ServiceConfig,
  input: Decidable,
  delivery?: Delivery,
): Promise<Applied> {
  return applyDecision(
    deps,
    config.service,
    (record) => transition(record, input, { config, now: deps.clock.now() }),
    delivery ? { delivery } : {},
  );
}

/**
 * An incident bound to the service: opened → roll back, hold or nothing, by the revision it names
 * (see release-incidents.ts); closed → release the hold it placed.
 */
export function applyIncident(
  deps: Deps,
  config: ServiceConfig,
  incident: Extract<IncidentDecision, { kind: 'opened' | 'closed' }>,
): Promise<Applied> {
  return applyInput(
    deps,
    config,
    incident.kind === 'closed'
      ? { type: 'incident-closed', incidentId: incident.incidentId }
      : {
          type: 'alert',
          incidentId: incident.incidentId,
          policy: incident.policy,
          revision: incident.revision,
          startedAt: incident.startedAt,
        },
    {
      kind: 'message',
      id: `${incident.kind === 'closed' ? 'incident-closed' : 'incident'}/${incident.incidentId}`,
    },
  );
}

/**
 * Redeploys the newest `rollback-*` tag of the service's image as a new revision at 100%.
 * Throws a PermanentError when the image has no rollback tag (nothing to go back to).
 */
export async function rollbackContainer(
  deps: Deps,
  config: ServiceConfig,
  request: { reason: string; requestedBy: string },
  delivery?: Delivery,
): Promise<Applied> {
  const tags = await deps.registry().listTags(config.image);
  const newest = newestRollbackTag(tags);
  if (!newest) {
    throw new PermanentError(
      'container rollback',
      'FAILED_PRECONDITION',
      `${config.image} has no rollback-* tag yet: a rollback tag is added to the previous image when a release is promoted`,
    );
  }
  const id = deps.newId();
  const revision = candidateRevisionName(config.service, `rb-${id}`);
  return applyDecision(
    deps,
    config.service,
    (record) =>
      transition(
        record,
        {
          type: 'rollback-container',
          id,
          image: `${config.image}@${newest.digest}`,
          tag: newest.tag,
          revision,
          ...request,
        },
        { config, now: deps.clock.now() },
      ),
    delivery ? { delivery } : {},
  );
}
