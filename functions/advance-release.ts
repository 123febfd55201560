import type { CloudEvent } from '@google-cloud/functions-framework';
import { serviceConfig } from '../shared/schemas/config.js';
import { DeploymentEvent } from '../shared/schemas/events.js';
import { parseInbound } from '../shared/schemas/inbound/issues.js';
import { minuteSlot } from '../shared/domain/deliveries.js';
import { advanceService } from '../shared/usecases/advance.js';
import { tickServices } from '../shared/usecases/tick.js';
import { logOutcome } from '../shared/usecases/log-outcome.js';
import { applyInput } from '../shared/usecases/revert.js';
import { retryImage } from '../shared/usecases/retry.js';
import { carryOut } from '../shared/usecases/held-request.js';
import { reportFailure } from './report-failure.js';
import { decodeMessage, runtime, settle } from './runtime.js';
import { traceField } from './trace.js';

/**
 * advanceRelease (topic `cutover-deployment-events`): a scheduler tick (of one service, or of
 * every service) or release.provisioned moves the release on by one decision; operator events
 * promote, pause, resume or retry. Other events are for subscribers. Each input acts once: a tick
 * by its slot, any other message by its id.
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

    if (ev.type === 'release.tick') {
      // A tick without a service (one scheduler job for all) advances every service here: there
      // is no fan-out to publish, so a redelivered tick cannot multiply.
      const services =
        ev.service === undefined ? deps.config.services : [serviceConfig(deps.config, ev.service)];
      const slot = ev.slot ?? minuteSlot(new Date(message.delivery.publishTime));
      const known = services.filter((s) => s !== undefined);
      if (known.length === 0) {
        logger.warn('tick for a service cutover does not manage; ignored', { service: ev.service });
        return;
      }
      await tickServices(deps, known, slot, (service, work) => reportFailure(deps, service, work));
      return;
    }
    if (ev.type !== 'release.provisioned' && !ev.type.startsWith('operator.')) {
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
    const delivery = { kind: 'message' as const, id: message.delivery.messageId };
    const outcome = await reportFailure(deps, config.service, () => {
      switch (ev.type) {
        case 'release.provisioned':
          return advanceService(deps, config, { releaseId: ev.releaseId, step: null }, delivery);
        case 'operator.pause':
          return carryOut(
            deps,
            config,
            { request: { type: 'pause' }, requestedBy: ev.requestedBy },
            () =>
              applyInput(deps, config, { type: 'pause', requestedBy: ev.requestedBy }, delivery),
            delivery,
          );
        case 'operator.promote':
        case 'operator.resume': {
          const type = ev.type.slice('operator.'.length) as 'promote' | 'resume';
          return applyInput(deps, config, { type, requestedBy: ev.requestedBy }, delivery);
        }
        case 'operator.retry':
          return retryImage(
            deps,
            config,
            { requestedBy: ev.requestedBy, ...(ev.image === undefined ? {} : { image: ev.image }) },
            delivery,
          );
        default:
          throw new Error(`unreachable: ${ev.type}`);
      }
    });
    logOutcome(log, outcome);
  });
}
