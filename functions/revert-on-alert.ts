import type { Request, Response } from '@google-cloud/functions-framework';
import { classifyIncident } from '../shared/domain/incident-filter.js';
import { CutoverError, InvalidPayloadError } from '../shared/errors.js';
import { serviceConfig } from '../shared/schemas/config.js';
import { parseIncidentNotification } from '../shared/schemas/inbound/monitoring-incident.js';
import { decodeJson, decodePubsubDelivery, pubsubShape } from '../shared/schemas/inbound/pubsub.js';
import { logOutcome } from '../shared/usecases/log-outcome.js';
import type { Applied } from '../shared/usecases/apply.js';
import { applyIncident } from '../shared/usecases/revert.js';
import { reportFailure } from './report-failure.js';
import { runtime } from './runtime.js';
import { traceField } from './trace.js';
import { authorized } from './webhook-auth.js';

/**
 * revertOnAlert (HTTPS): a Cloud Monitoring incident — from the Basic-auth webhook, or the same
 * JSON inside a Pub/Sub push — bound to a configured service and revision: opened on the candidate
 * (or naming no revision) puts 100% back on the stable; opened on the stable holds the release
 * until it closes; anything older than the release, or about another revision, changes nothing. 401 without credentials, 400 for a malformed body (200, acknowledged and logged, when
 * it came through Pub/Sub, where a non-2xx means redeliver), 200 for applied or ignored, 500 for
 * a transient failure (the sender retries).
 */
export async function revertOnAlert(req: Request, res: Response): Promise<void> {
  const deps = runtime();
  const logger = deps.logger.with({
    function: 'revertOnAlert',
    ...traceField(req.get('x-cloud-trace-context'), req.get('traceparent')),
  });
  const { usernameEnv, passwordEnv } = deps.config.webhook;
  const username = process.env[usernameEnv];
  const password = process.env[passwordEnv];
  if (!username || !password) {
    logger.error(`webhook credentials missing: set ${usernameEnv} and ${passwordEnv}`);
    res
      .status(500)
      .json({ error: `webhook credentials are not configured (${usernameEnv}, ${passwordEnv})` });
    return;
  }
  // The Pub/Sub deployment (Eventarc trigger, internal ingress, IAM-restricted invoker) is
  // authenticated by Google before the request arrives; the public webhook needs Basic auth.
  const viaPubsub = process.env.CUTOVER_ALERT_TRANSPORT === 'pubsub';
  if (!viaPubsub && !authorized(req.get('authorization'), req.query, { username, password })) {
    res
      .set('WWW-Authenticate', 'Basic realm="cutover"')
      .status(401)
      .json({ error: 'valid Basic credentials required' });
    return;
  }
  try {
    const body: unknown = pubsubShape(req.body)
      ? decodeJson(decodePubsubDelivery(req.body).data ?? Buffer.alloc(0))
      : req.body;
    const decision = classifyIncident(parseIncidentNotification(body), deps.config);
    const config =
      decision.kind === 'ignored' ? undefined : serviceConfig(deps.config, decision.service);
    if (decision.kind === 'ignored' || !config) {
      const reason =
        decision.kind === 'ignored'
          ? decision.reason
          : `service ${decision.service} is not configured`;
      logger.info(`incident ignored: ${reason}`);
      res.status(200).json({ action: 'ignored', reason });
      return;
    }
    const outcome = await reportFailure(deps, config.service, () =>
      applyIncident(deps, config, decision),
    );
    logOutcome(
      logger.with({
        service: config.service,
        incidentId: decision.incidentId,
        revision: decision.revision,
      }),
      outcome,
    );
    res.status(200).json(answerFor(decision.kind, outcome));
  } catch (error) {
    if (error instanceof InvalidPayloadError && viaPubsub) {
      // A non-2xx is a negative ack: Pub/Sub would redeliver the poison message for a day.
      logger.error(`malformed incident acknowledged: ${error.message}`, {
        error,
        issues: error.issues,
      });
      res.status(200).json({ action: 'acknowledged', error: error.message });
    } else if (error instanceof InvalidPayloadError) {
      logger.warn(`malformed incident: ${error.message}`, { issues: error.issues });
      res.status(400).json({ error: error.message, issues: error.issues });
    } else if (error instanceof CutoverError && !error.retryable) {
      logger.error(`permanent failure: ${error.message}`, { error });
      res.status(200).json({ action: 'failed', error: error.message });
    } else {
      logger.error(`transient failure: ${(error as Error).message}`, { error });
      res.status(500).json({ error: (error as Error).message });
    }
  }
}

/** What the sender (and a person reading the channel's log) is told: the action and why. */
function answerFor(
  kind: 'opened' | 'closed',
  outcome: Applied,
): { action: 'reverted' | 'held' | 'released' | 'ignored' | 'failed'; detail: string } {
  switch (outcome.kind) {
    case 'applied': {
      const detail = outcome.transition.summary;
      if (kind === 'closed') return { action: 'released', detail };
      const phase = outcome.transition.record.release?.phase;
      // Superseded or aborted: a person had changed the traffic; cutover left it (out-of-band.ts).
      if (phase === 'superseded' || phase === 'aborted') return { action: 'ignored', detail };
      return { action: phase === 'rolled-back' ? 'reverted' : 'held', detail };
    }
    case 'ignored':
      return { action: 'ignored', detail: outcome.reason };
    case 'deploy-failed':
      return { action: 'failed', detail: outcome.error.message };
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
