import type { ReleaseInput } from '../domain/release-input.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { ServiceRecord } from '../schemas/release.js';
import type { Deps } from './deps.js';

/**
 * Between releases: a container rollback whose revision did not start, and whose invocation
 * ended (a crash, a timeout) before it put the stable back, is reported now as
 * `container-rollback-failed` (release-container.ts). Cloud Run kept serving the stable it was to
 * replace, so the sign is in the view at no cost: the record's stable serves nothing while the
 * replaced one serves. Only then is the revision read, and only a revision that failed counts —
 * one still starting is left to its own invocation.
 */
export async function unfinishedContainerRollback(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  view: ServiceView,
): Promise<Extract<ReleaseInput, { type: 'container-rollback-failed' }> | null> {
  const operation = record.release?.phase === 'rolled-back' ? record.release : null;
  const container = operation?.container;
  if (!operation || !container || container.failed !== null) return null;
  if (record.stable.revision !== container.revision) return null;
  const serves = (revision: string) =>
    view.traffic.some((t) => t.revision === revision && t.percent > 0);
  if (serves(container.revision) || !serves(container.replaced.stable.revision)) return null;
  const revision = await deps.platform().revision(config.service, record.stable.revision);
  if (revision?.state !== 'failed') return null;
  return {
    type: 'container-rollback-failed',
    operationId: operation.id,
    revision: record.stable.revision,
    reason: revision.detail,
  };
}
