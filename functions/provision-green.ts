import type { CloudEvent } from '@google-cloud/functions-framework';
import { classifyPushes } from '../shared/domain/push-filter.js';
import { parseArtifactRegistryNotification } from '../shared/schemas/inbound/artifact-registry.js';
import { provisionCandidate } from '../shared/usecases/provision.js';
import { reportFailure } from './report-failure.js';
import { decodeMessage, runtime, settle } from './runtime.js';
import { traceField } from './trace.js';

/**
 * provisionGreen (topic `gcr`): an Artifact Registry push of a followed tag deploys the
 * candidate at 0% next to the stable and publishes release.provisioned.
 */
export async function provisionGreen(event: CloudEvent<unknown>): Promise<void> {
  const deps = runtime();
  const logger = deps.logger.with({
    function: 'provisionGreen',
    eventId: event.id,
    ...traceField(undefined, event.traceparent),
  });
  await settle('provisionGreen', logger, async () => {
    const message = decodeMessage(event, deps, logger);
    if (!message) return;
    const notification = parseArtifactRegistryNotification(message.body);
    const decisions = classifyPushes(notification, deps.config);
    for (const [index, decision] of decisions.entries()) {
      if (decision.kind === 'ignored') {
        logger.info(`push ignored: ${decision.reason}`, { notification });
        continue;
      }
      const request = { service: decision.service, image: decision.imageRef, tag: decision.tag };
      const delivery = { kind: 'message' as const, id: `${message.delivery.messageId}/${index}` };
      await reportFailure(deps, decision.service.service, () =>
        provisionCandidate(deps, request, delivery),
      );
    }
  });
}
