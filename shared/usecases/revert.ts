import type { IncidentDecision } from '../domain/incident-filter.js';
import { candidateRevisionName } from '../domain/release-start.js';
import { activeRelease, transition } from '../domain/release-machine.js';
import type { ReleaseInput } from '../domain/release-input.js';
import type { Delivery } from '../domain/deliveries.js';
import { PermanentError } from '../errors.js';
import { isReservedTag } from '../domain/rollback-tag.js';
import type { ServiceConfig } from '../schemas/config.js';
import { applyDecision, type Applied } from './apply.js';
import type { Deps } from './deps.js';
import { outOfBandDecision } from './out-of-band.js';

type Decidable = Exclude<ReleaseInput, { type: 'push' | 'rollback-container' | 'template-change' }>;

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
  const input: Decidable =
    incident.kind === 'closed'
      ? { type: 'incident-closed', incidentId: incident.incidentId }
      : {
          type: 'alert',
          incidentId: incident.incidentId,
          policy: incident.policy,
          revision: incident.revision,
          startedAt: incident.startedAt,
        };
  return applyDecision(
    deps,
    config.service,
    async (record, view) => {
      // An alert never rolls back over a person who took the traffic meanwhile: their change
      // ends the release instead (out-of-band.ts).
      const active = input.type === 'alert' ? activeRelease(record) : null;
      const outside = active ? await outOfBandDecision(deps, config, record, active, view) : null;
      return outside ?? transition(record, input, { config, now: deps.clock.now() });
    },
    {
      delivery: {
        kind: 'message',
        id: `${incident.kind === 'closed' ? 'incident-closed' : 'incident'}/${incident.incidentId}`,
      },
    },
  );
}

type ContainerRollback = Extract<ReleaseInput, { type: 'rollback-container' }>;

/**
 * The container rollback a person asks for: the image that was stable right before the current
 * one (recorded at promotion), never an older one, as a new revision. Throws a PermanentError
 * saying why and what to do when the record does not know that image (nothing was promoted by
 * cutover yet). The registry only names it (its `rollback-*` tag): when it cannot be read the
 * revision's name stands in.
 */
export async function containerRollbackInput(
  deps: Deps,
  config: ServiceConfig,
  request: { reason: string; requestedBy: string },
): Promise<ContainerRollback> {
  const record = (await deps.platform().get(config.service)).record;
  const previous = record?.previousStables?.[0];
  if (!record || !previous) {
    throw new PermanentError(
      'container rollback',
      'FAILED_PRECONDITION',
      `cutover does not know which image of ${config.service} was stable before ${record?.stable.image ?? 'the current one'} (it records that when it promotes a release); roll back with mode traffic while a release is active, or push the image to go back to so it is released like any other`,
    );
  }
  const digest = previous.image.slice(previous.image.lastIndexOf('@') + 1);
  const tags = await deps
    .registry()
    .listTags(config.image)
    .catch((error: unknown) => {
      if (!(error instanceof PermanentError)) throw error;
      deps.logger.warn('cannot read the rollback tags; naming the rollback by its revision', {
        service: config.service,
        error: error.message,
      });
      return [];
    });
  const tag =
    tags.find((t) => t.digest === digest && isReservedTag(t.tag))?.tag ?? previous.revision;
  const id = deps.newId();
  return {
    type: 'rollback-container',
    id,
    image: previous.image,
    tag,
    revision: candidateRevisionName(config.service, `rb-${id}`),
    ...request,
  };
}

/** Redeploys the image `input` names at 100% (see `containerRollbackInput`). */
export function applyContainerRollback(
  deps: Deps,
  config: ServiceConfig,
  input: ContainerRollback,
  delivery?: Delivery,
): Promise<Applied> {
  return applyDecision(
    deps,
    config.service,
    (record) => transition(record, input, { config, now: deps.clock.now() }),
    delivery ? { delivery } : {},
  );
}

/** `containerRollbackInput`, then `applyContainerRollback`. */
export async function rollbackContainer(
  deps: Deps,
  config: ServiceConfig,
  request: { reason: string; requestedBy: string },
  delivery?: Delivery,
): Promise<Applied> {
  const input = await containerRollbackInput(deps, config, request);
  return applyContainerRollback(deps, config, input, delivery);
}

/**
 * Undoes the last promotion: 100% back on the stable it replaced, at once. Throws a
 * PermanentError when that revision is no longer deployed (a container rollback still can).
 */
export async function undoPromotion(
  deps: Deps,
  config: ServiceConfig,
  request: { reason: string; requestedBy: string },
  delivery?: Delivery,
): Promise<Applied> {
  const decide = async (record: Parameters<Parameters<typeof applyDecision>[2]>[0]) => {
    const last = record.release;
    const previous = last?.phase === 'promoted' ? (last.previousStable ?? null) : null;
    if (previous && !(await deps.platform().revision(config.service, previous.revision))) {
      throw new PermanentError(
        'undo',
        'FAILED_PRECONDITION',
        `${previous.revision} is no longer deployed; use \`cutover rollback --container\` to redeploy the previous image`,
      );
    }
    return transition(record, { type: 'undo', ...request }, { config, now: deps.clock.now() });
  };
  return applyDecision(deps, config.service, decide, delivery ? { delivery } : {});
}
