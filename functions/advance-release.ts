import type { CloudEvent } from '@google-cloud/functions-framework';
import { serviceConfig } from '../shared/schemas/config.js';
import { DeploymentEvent } from '../shared/schemas/events.js';
import { parseInbound } from '../shared/schemas/inbound/issues.js';
import { advanceService } from '../shared/usecases/advance.js';
import { logOutcome } from '../shared/usecases/log-outcome.js';
import { applyInput } from '../shared/usecases/revert.js';
import { reportFailure } from './report-failure.js';
import { decodeMessage, runtime, settle } from './runtime.js';
import { traceField } from './trace.js';

/**
 * advanceRelease (topic `cutover-deployment-events`): a scheduler tick fans out one tick per
 * configured service; a per-service tick or release.provisioned moves that service's release on
 * by one decision; operator events promote, pause or resume. Other events are for subscribers.
 */
export async function advanceRelease(event: CloudEvent<unknown>): Promise<void> {
  const deps = runtime();
  const logger = deps.logger.with({
    function: 'advanceRelease',
    eventId: event.id,
    ...traceField(undefined, event.traceparent),
  });
  await settle('advanceRelease', logger, async () => {
    const message = decodeMessage(event, deps, logger);
    if (!message) return;
    const ev = parseInbound(DeploymentEvent, 'deployment event', message.body);

    if (ev.type === 'release.tick' && ev.service === undefined) {
      const at = deps.clock.now().toISOString();
      await Promise.all(
        deps.config.services.map((s) =>
          deps
            .bus()
            .publish(
              deps.config.topics.deploymentEvents,
              { type: 'release.tick', service: s.service, at },
              { type: 'release.tick' },
            ),
        ),
      );
      logger.info('tick fanned out', { services: deps.config.services.length });
      return;
    }
    if (
      ev.type !== 'release.tick' &&
      ev.type !== 'release.provisioned' &&
      !ev.type.startsWith('operator.')
    ) {
      logger.debug(`${ev.type} is informational here`);
      return;
    }
    const service = 'service' in ev ? ev.service : undefined;
    const config = service ? serviceConfig(deps.config, service) : undefined;
    if (!config) {
      logger.warn('event for a service cutover does not manage; ignored', { service });
      return;
    }
    const log = logger.with({
      service: config.service,
      ...('releaseId' in ev ? { releaseId: ev.releaseId } : {}),
    });
    const outcome = await reportFailure(deps, config.service, () => {
      switch (ev.type) {
        case 'release.tick':
          return advanceService(deps, config);
        case 'release.provisioned':
          return advanceService(deps, config, { releaseId: ev.releaseId, step: null });
        case 'operator.promote':
          return applyInput(deps, config, { type: 'promote', requestedBy: ev.requestedBy });
        case 'operator.pause':
          return applyInput(deps, config, { type: 'pause', requestedBy: ev.requestedBy });
        case 'operator.resume':
          return applyInput(deps, config, { type: 'resume', requestedBy: ev.requestedBy });
        default:
          throw new Error(`unreachable: ${ev.type}`);
      }
    });
    logOutcome(log, outcome);
  });
}
