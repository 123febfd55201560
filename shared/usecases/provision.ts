import { transition } from '../domain/release-machine.js';
import { serviceConfig, type ServiceConfig } from '../schemas/config.js';
import { applyDecision, type Applied } from './apply.js';
import type { Delivery } from '../domain/deliveries.js';
import type { Deps } from './deps.js';
import { logOutcome } from './log-outcome.js';
import { assertReachable } from './reachability.js';

export interface ProvisionRequest {
  service: ServiceConfig;
  /** `repo@sha256:…` */
  image: string;
  tag: string;
  /** Set when a person asked to release the image again (`cutover retry`): who. */
  retriedBy?: string;
}

/**
 * Starts a release of `image` on the service: deploys the candidate from the stable's template
 * at 0% (one guarded update, waiting for the revision), then records it ready for the smoke
 * test and publishes release.provisioned — or, when the revision fails, rolls the release back.
 */
export async function provisionCandidate(
  deps: Deps,
  request: ProvisionRequest,
  delivery?: Delivery,
): Promise<Applied> {
  const config = serviceConfig(deps.config, request.service.service) ?? request.service;
  const releaseId = deps.newId();
  const log = deps.logger.with({ service: config.service, releaseId, image: request.image });
  const started = await applyDecision(
    deps,
    config.service,
    (record, view) => {
      const start = { releaseId, image: request.image, tag: request.tag };
      const decided = transition(
        record,
        request.retriedBy === undefined
          ? { type: 'push', ...start }
          : { type: 'retry', ...start, requestedBy: request.retriedBy },
        { config, now: deps.clock.now() },
      );
      if (decided.ignored === null) assertReachable(deps.config, view);
      return decided;
    },
    delivery ? { delivery } : {},
  );
  if (started.kind === 'ignored') {
    log.info(`${request.retriedBy === undefined ? 'push' : 'retry'} ignored: ${started.reason}`);
    return started;
  }
  if (started.kind === 'applied') {
    log.info(started.transition.summary);
    const ready = await applyDecision(deps, config.service, (record) =>
      transition(record, { type: 'candidate-ready', releaseId }, { config, now: deps.clock.now() }),
    );
    logOutcome(log, ready);
    return ready;
  }
  log.warn('candidate revision failed to start', { error: started.error.message });
  const failed = await applyDecision(deps, config.service, (record) =>
    transition(
      record,
      { type: 'candidate-failed', releaseId, reason: started.error.detail },
      { config, now: deps.clock.now() },
    ),
  );
  logOutcome(log, failed);
  return failed;
}
