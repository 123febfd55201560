import { endOutOfBand, outOfBand, type OutOfBand } from '../domain/out-of-band.js';
import type { ActiveRelease, Transition } from '../domain/release-input.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { ServiceRecord, Slot } from '../schemas/release.js';
import type { Deps } from './deps.js';
import { byDigest } from './tag-image.js';

/**
 * Before any decision on an active release: a traffic change made outside cutover (out-of-band.ts)
 * ends it, `superseded` or `aborted`, leaving the traffic as the person set it. Null when the
 * traffic is the release's own.
 */
export async function outOfBandDecision(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  active: ActiveRelease,
  view: ServiceView,
): Promise<Transition | null> {
  const change = outOfBand(record, active, view);
  if (!change) return null;
  deps.logger.warn('traffic changed outside cutover; ending the release without touching it', {
    service: config.service,
    releaseId: active.id,
    ending: change.ending,
    expected: change.expected,
    serving: change.serving,
  });
  const adopted = await adopt(deps, config, record, active, change);
  return endOutOfBand(record, active, change, adopted, { config, now: deps.clock.now() });
}

/**
 * The slot of the revision serving the most, when it is not the stable: the candidate's, or for a
 * revision cutover did not create its image (by digest) in the candidate's color (it was deployed
 * from the service's template, which is the candidate's since cutover deployed it). Null keeps the
 * recorded stable, also when that revision cannot be read.
 */
async function adopt(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  active: ActiveRelease,
  change: OutOfBand,
): Promise<Slot | null> {
  if (change.mostServed === record.stable.revision) return null;
  if (change.mostServed === active.candidate.revision) return active.candidate;
  const revision = await deps.platform().revision(config.service, change.mostServed);
  if (!revision?.image) return null;
  return {
    revision: change.mostServed,
    image: await byDigest(deps, revision.image),
    color: active.candidate.color,
  };
}
