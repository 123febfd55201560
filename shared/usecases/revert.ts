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

/** An open incident for the service: all traffic back on the stable revision at once. */
export function revertOnIncident(
  deps: Deps,
  config: ServiceConfig,
  incidentId: string,
  policy: string | null,
): Promise<Applied> {
  return applyInput(
    deps,
    config,
    { type: 'alert', incidentId, policy },
    { kind: 'message', id: `incident/${incidentId}` },
  );
}

/**
 * Redeploys the image that was stable right before the current one (recorded at promotion) as a
 * new revision at 100%; never an older one. Throws a PermanentError saying why and what to do
 * when the record does not know that image (nothing was promoted by cutover yet).
 */
export async function rollbackContainer(
  deps: Deps,
  config: ServiceConfig,
  request: { reason: string; requestedBy: string },
  delivery?: Delivery,
): Promise<Applied> {
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
  const tags = await deps.registry().listTags(config.image);
  const tag =
    tags.find((t) => t.digest === digest && t.tag.startsWith('rollback-'))?.tag ??
    previous.revision;
  const image = previous.image;
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
          image,
          tag,
          revision,
          ...request,
        },
        { config, now: deps.clock.now() },
      ),
    delivery ? { delivery } : {},
  );
}
