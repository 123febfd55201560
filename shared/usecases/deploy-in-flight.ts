import type { Release } from '../schemas/release.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { Deps } from './deps.js';

/**
 * Whether the candidate's deploy is still the provisioning delivery's to finish: its revision is
 * not yet named in the record (Cloud Run names an unnamed deploy, and the record takes that name in
 * the write after the deploy), but the service's latest created revision is a new one running the
 * candidate's image. A tick then waits instead of calling the provisioning interrupted; should that
 * delivery have died, the no-progress deadline ends the release `aborted`.
 */
export async function deployInFlight(
  deps: Deps,
  config: ServiceConfig,
  stable: string,
  active: Extract<Release, { phase: 'provisioning' }>,
  view: ServiceView,
): Promise<boolean> {
  const created = view.latestCreatedRevision;
  if (!created || created === stable || created === active.candidate.revision) return false;
  const revision = await deps.platform().revision(config.service, created);
  return revision !== null && revision.image === active.candidate.image;
}
