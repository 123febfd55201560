import type { Delivery } from '../domain/deliveries.js';
import { retryTarget } from '../domain/release-retry.js';
import { isReservedTag } from '../domain/rollback-tag.js';
import { firstMatch } from '../domain/tag-pattern.js';
import { PermanentError } from '../errors.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { Applied } from './apply.js';
import type { Deps } from './deps.js';
import { provisionCandidate } from './provision.js';

/**
 * `cutover retry`: clears a failed or aborted image (`image`, default the newest such release's)
 * from the failed list and releases it again, as a push of it would, recording who asked. A
 * refusal (a release is active, nothing to retry) changes nothing and says why.
 */
export async function retryImage(
  deps: Deps,
  config: ServiceConfig,
  request: { image?: string; requestedBy: string },
  delivery?: Delivery,
): Promise<Applied> {
  const record = (await deps.platform().get(config.service)).record;
  if (!record)
    throw new PermanentError(
      'retry',
      'FAILED_PRECONDITION',
      'cutover has not released this service yet',
    );
  const refuse = (reason: string): Applied => {
    deps.logger.warn(`retry refused: ${reason}`, { service: config.service });
    return { kind: 'ignored', reason, record };
  };
  const target = retryTarget(record, request.image);
  if (target.kind === 'refused') return refuse(target.reason);
  const tag = target.tag ?? (await tagOf(deps, config, target.image));
  if (tag === null)
    return refuse(
      `no tag of ${target.image} that this service releases is left in the registry; push it again with a tag`,
    );
  return provisionCandidate(
    deps,
    { service: config, image: target.image, tag, retriedBy: request.requestedBy },
    delivery,
  );
}

/** A tag of the image's digest that the service's tag lists release, or null. */
async function tagOf(deps: Deps, config: ServiceConfig, image: string): Promise<string | null> {
  const digest = image.slice(image.lastIndexOf('@') + 1);
  const tags = await deps.registry().listTags(config.image);
  const releasable = tags.find(
    (t) =>
      t.digest === digest &&
      !isReservedTag(t.tag) &&
      firstMatch(config.tags.ignore, t.tag) === null &&
      firstMatch(config.tags.include, t.tag) !== null,
  );
  return releasable?.tag ?? null;
}
