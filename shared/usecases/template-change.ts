import { transition } from '../domain/release-machine.js';
import type { Transition } from '../domain/release-input.js';
import { templateRevision } from '../domain/release-template.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { ServiceRecord } from '../schemas/release.js';
import type { Deps } from './deps.js';

/**
 * Between releases, on a tick: a ready 0 % revision cutover did not make from the service's
 * current template (a `terraform apply` changed cpu, memory, env, scaling…) starts a release of
 * that template with the stable image. Null when there is none (see templateRevision).
 */
export function templateChangeDecision(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  view: ServiceView,
): Transition | null {
  const revision = templateRevision(record, view);
  if (!revision) return null;
  deps.logger.info('the service template changed outside cutover; releasing it', {
    service: config.service,
    revision,
  });
  return transition(
    record,
    { type: 'template-change', releaseId: deps.newId(), revision },
    { config, now: deps.clock.now() },
  );
}
