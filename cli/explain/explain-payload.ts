import { classifyIncident } from '../../shared/domain/incident-filter.js';
import { classifyPushes } from '../../shared/domain/push-filter.js';
import { resolveServiceRef } from '../../shared/domain/service-ref.js';
import { InvalidPayloadError } from '../../shared/errors.js';
import type { Config } from '../../shared/schemas/config.js';
import { DeploymentEvent } from '../../shared/schemas/events.js';
import { parseArtifactRegistryNotification } from '../../shared/schemas/inbound/artifact-registry.js';
import { parseInbound } from '../../shared/schemas/inbound/issues.js';
import { parseIncidentNotification } from '../../shared/schemas/inbound/monitoring-incident.js';
import {
  cloudEventFromBinary,
  decodeJson,
  decodePubsubDelivery,
  MESSAGE_DATA_KIND,
  PUBSUB_KIND,
  pubsubShape,
} from '../../shared/schemas/inbound/pubsub.js';
import { parseRollbackRequest } from '../../shared/schemas/inbound/rollback-request.js';
import { describeEvent } from './describe-event.js';
import { describeNotInbound } from './not-inbound.js';
import { type Envelope, type Explanation, ignore, type PayloadKind } from './explanation.js';

const EXPECTED =
  'expected an Artifact Registry notification, a Pub/Sub push envelope or CloudEvent, ' +
  'a Cloud Monitoring incident notification, a rollback request or a deployment event';

/**
 * Says what cutover would do with a parsed JSON payload, changing nothing. A Pub/Sub delivery
 * (push envelope, CloudEvent, `{ headers, body }` binary-mode capture, background event) is
 * unwrapped and its `message.data` explained. Throws InvalidPayloadError naming the field path.
 */
export function explainPayload(input: unknown, config: Config): Explanation {
  if (isObject(input) && 'headers' in input && 'body' in input && isObject(input.headers)) {
    const body =
      typeof input.body === 'string'
        ? decodeJson(Buffer.from(input.body), 'body', PUBSUB_KIND)
        : input.body;
    return unwrap(cloudEventFromBinary(input.headers, body), 'cloudevent-binary', config);
  }
  const shape = pubsubShape(input);
  if (shape !== null) {
    const envelope: Envelope =
      shape === 'push' ? 'pubsub-push' : shape === 'background' ? 'background-event' : 'cloudevent';
    return unwrap(input, envelope, config);
  }
  return explainBare(input, config);
}

function unwrap(input: unknown, type: Envelope, config: Config): Explanation {
  const delivery = decodePubsubDelivery(input);
  const path =
    type === 'pubsub-push'
      ? 'message.data'
      : type === 'background-event'
        ? 'data.data'
        : 'data.message.data';
  if (delivery.data === null) {
    throw new InvalidPayloadError(PUBSUB_KIND, [
      `${path}: absent; every topic cutover reads carries JSON data`,
    ]);
  }
  const inner = withPathPrefix(path, () =>
    explainBare(decodeJson(delivery.data as Buffer, path), config),
  );
  const { messageId, publishTime, subscription } = delivery;
  return { ...inner, envelope: { type, messageId, publishTime, subscription } };
}

/** Re-throws an inner payload's issues with their paths under the data field that held it. */
function withPathPrefix<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (
      !(e instanceof InvalidPayloadError) ||
      e.kind === PUBSUB_KIND ||
      e.kind === MESSAGE_DATA_KIND
    )
      throw e;
    const issues = e.issues.map((i) =>
      i.startsWith('(root)') ? `${path}${i.slice('(root)'.length)}` : `${path}.${i}`,
    );
    throw new InvalidPayloadError(e.kind, issues, { cause: e });
  }
}

function explainBare(input: unknown, config: Config): Explanation {
  switch (detectKind(input)) {
    case 'artifact-registry-notification':
      return explainPush(parseArtifactRegistryNotification(input), config);
    case 'monitoring-incident': {
      const decision = classifyIncident(parseIncidentNotification(input), config);
      if (decision.kind === 'ignored') return ignore('monitoring-incident', decision.reason);
      if (decision.kind === 'closed') {
        const detail = `release the hold incident ${decision.incidentId} placed on ${decision.service}'s release, if any`;
        return { kind: 'monitoring-incident', action: 'resume', detail };
      }
      const detail = decision.revision
        ? `revert ${decision.service} to its stable revision if ${decision.revision} is its candidate, hold the release if it is its stable (incident ${decision.incidentId})`
        : `revert ${decision.service} to its stable revision (incident ${decision.incidentId})`;
      return { kind: 'monitoring-incident', action: 'revert', detail };
    }
    case 'rollback-request': {
      const request = parseRollbackRequest(input);
      const match = resolveServiceRef(request.service, config);
      if (match.kind === 'unknown')
        return ignore('rollback-request', `${request.service} is not a configured service`);
      if (match.kind === 'ambiguous') {
        return ignore(
          'rollback-request',
          `${request.service} matches several services (${match.candidates.join(', ')}); name it in full`,
        );
      }
      const detail = `rollback ${match.service.service} (${request.mode}), requested by ${request.requestedBy}: ${request.reason}`;
      return { kind: 'rollback-request', action: 'rollback', detail };
    }
    case 'deployment-event':
      return describeEvent(parseInbound(DeploymentEvent, 'deployment event', input), config);
    case null:
      throw new InvalidPayloadError('payload', [
        `(root): ${describeNotInbound(input)}, not a payload cutover receives; ${EXPECTED}`,
      ]);
  }
}

function explainPush(
  notification: ReturnType<typeof parseArtifactRegistryNotification>,
  config: Config,
): Explanation {
  const decisions = classifyPushes(notification, config);
  const releases = decisions.filter((d) => d.kind === 'release');
  if (releases.length === 0) {
    const first = decisions[0];
    return ignore(
      'artifact-registry-notification',
      first?.kind === 'ignored' ? first.reason : 'no decision',
    );
  }
  const detail = releases
    .map(
      (r) =>
        `start release of ${r.digest} on ${r.service.service} (tag ${r.tag}; unless the digest already failed or is already deployed)`,
    )
    .join('; ');
  return { kind: 'artifact-registry-notification', action: 'start-release', detail };
}

/** Which payload `input` is, judged on its keys; null when none fits. */
export function detectKind(input: unknown): PayloadKind | null {
  if (!isObject(input)) return null;
  if ('incident' in input || ['1.1', '1.2', 'test'].includes(String(input.version)))
    return 'monitoring-incident';
  if ('action' in input || 'digest' in input || 'tag' in input)
    return 'artifact-registry-notification';
  if ('type' in input) return 'deployment-event';
  if ('mode' in input || ('service' in input && ('reason' in input || 'requestedBy' in input)))
    return 'rollback-request';
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
