import { activeRelease } from '../domain/release-machine.js';
import type { MissingRevisionError } from '../errors.js';
import type { TrafficTarget } from '../ports/service-platform.js';
import type { ServiceRecord } from '../schemas/release.js';
import type { Deps } from './deps.js';

/**
 * After Cloud Run refused traffic naming a deleted revision. The failed write's spec, record
 * included, was stored even though its traffic never served, so the record is put back to what
 * it was before the decision (`before`), with the release paused so the next tick does not send
 * the same write again (one release.failed, not one a minute), and the traffic that serves now
 * minus the missing revision. Best effort: the caller still rethrows.
 */
export async function holdForMissingRevision(
  deps: Deps,
  service: string,
  before: ServiceRecord,
  error: MissingRevisionError,
): Promise<void> {
  const platform = deps.platform();
  try {
    const view = await platform.get(service);
    const active = activeRelease(before);
    if (active?.phase !== 'shifting') return;
    const traffic: TrafficTarget[] = view.traffic
      .filter((t) => t.revision !== error.revision)
      .map((t) => ({ revision: t.revision, percent: t.percent, ...(t.tag ? { tag: t.tag } : {}) }));
    if (traffic.reduce((sum, t) => sum + t.percent, 0) !== 100) return;
    await platform.update(view, {
      traffic,
      record: { ...before, release: { ...active, paused: true } },
    });
    deps.logger.warn('release held: a revision it names was deleted', {
      service,
      releaseId: active.id,
      revision: error.revision,
    });
  } catch (holdError) {
    deps.logger.warn('could not hold the release after a deleted revision', {
      service,
      error: holdError,
    });
  }
}
