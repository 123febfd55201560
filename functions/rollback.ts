import type { CloudEvent } from '@google-cloud/functions-framework';
import { resolveServiceRef } from '../shared/domain/service-ref.js';
import { parseRollbackRequest } from '../shared/schemas/inbound/rollback-request.js';
import { logOutcome } from '../shared/usecases/log-outcome.js';
import {
  applyContainerRollback,
  applyInput,
  containerRollbackInput,
  undoPromotion,
} from '../shared/usecases/revert.js';
import { carryOut } from '../shared/usecases/held-request.js';
import { reportFailure } from './report-failure.js';
import { decodeMessage, runtime, settle } from './runtime.js';
import { traceField } from './trace.js';

/**
 * rollback (topic `cutover-rollback-requests`): `{service, mode, reason, requestedBy}` from a
 * person or a tool. traffic: 100% to the stable revision. container: the newest `rollback-*`
 * tag of the image, deployed at 100%, then terraform.sync-requested. undo: after a promotion,
 * 100% back on the stable it replaced. A rollback Google refuses permanently holds the release
 * and is retried every tick (held-request.ts).
 */
export async function rollback(event: CloudEvent<unknown>): Promise<void> {
  const deps = runtime();
  const logger = deps.logger.with({
    function: 'rollback',
    eventId: event.id,
    ...traceField(undefined, event.traceparent),
  });
  await settle('rollback', logger, async () => {
    const message = decodeMessage(event, deps, logger);
    if (!message) return;
    const request = parseRollbackRequest(message.body);
    const match = resolveServiceRef(request.service, deps.config);
    if (match.kind !== 'found') {
      const why =
        match.kind === 'unknown'
          ? 'no configured service'
          : `ambiguous: ${match.candidates.join(', ')}`;
      logger.warn(`rollback request for ${request.service} ignored: ${why}`, { request });
      return;
    }
    const config = match.service;
    const who = { reason: request.reason, requestedBy: request.requestedBy };
    const delivery = { kind: 'message' as const, id: message.delivery.messageId };
    const outcome = await reportFailure(deps, config.service, async () => {
      switch (request.mode) {
        case 'traffic':
          return carryOut(
            deps,
            config,
            {
              request: { type: 'rollback-traffic', reason: who.reason },
              requestedBy: who.requestedBy,
            },
            () => applyInput(deps, config, { type: 'rollback-traffic', ...who }, delivery),
            delivery,
          );
        case 'container': {
          const input = await containerRollbackInput(deps, config, who);
          const { requestedBy, ...request } = input;
          return carryOut(
            deps,
            config,
            { request, requestedBy },
            () => applyContainerRollback(deps, config, input, delivery),
            delivery,
          );
        }
        case 'undo':
          return undoPromotion(deps, config, who, delivery);
        default: {
          const unreachable: never = request.mode;
          throw new Error(`unhandled rollback mode ${String(unreachable)}`);
        }
      }
    });
    logOutcome(
      logger.with({
        service: config.service,
        mode: request.mode,
        requestedBy: request.requestedBy,
      }),
      outcome,
    );
  });
}
