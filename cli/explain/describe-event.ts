import { resolveServiceRef } from '../../shared/domain/service-ref.js';
import type { Config } from '../../shared/schemas/config.js';
import type { DeploymentEvent } from '../../shared/schemas/events.js';
import { evidenceLines } from '../verdict-evidence.js';
import { type Explanation, ignore } from './explanation.js';

const KIND = 'deployment-event';
const UNLESS = 'unless the release record has moved on';

/**
 * What advanceRelease would do with an event from `cutover-deployment-events`. Only provisioned,
 * smoke-passed, tick and operator events are acted on; the rest report what already happened.
 */
export function describeEvent(event: DeploymentEvent, config: Config): Explanation {
  const service = 'service' in event && event.service !== undefined ? event.service : null;
  const configured = service === null ? null : resolveServiceRef(service, config);
  const unknown = configured !== null && configured.kind !== 'found';
  const name = configured?.kind === 'found' ? configured.service.service : (service ?? '');
  const act = (action: Explanation['action'], detail: string): Explanation =>
    unknown
      ? ignore(KIND, `${service} is not a configured service`)
      : { kind: KIND, action, detail };

  switch (event.type) {
    case 'release.provisioned':
      return act(
        'smoke-test',
        `smoke test candidate ${event.candidate.revision} of ${name} against stable ${event.stable.revision} (release ${event.releaseId}; ${UNLESS})`,
      );
    case 'release.smoke-passed': {
      const first = configured?.kind === 'found' ? configured.service.steps[0] : undefined;
      return act(
        'first-step',
        `start the first step of ${name}: ${first ?? '?'}% to the candidate (release ${event.releaseId}; ${UNLESS})`,
      );
    }
    case 'release.tick':
      if (service === null)
        return {
          kind: KIND,
          action: 'analyse',
          detail: `analyse the current step of every configured service (${config.services.length})`,
        };
      return act(
        'analyse',
        `analyse the current step of ${name}: hold, advance, promote or roll back`,
      );
    case 'operator.promote':
    case 'operator.pause':
    case 'operator.resume': {
      const verb = event.type.slice('operator.'.length) as 'promote' | 'pause' | 'resume';
      return act(verb, `${verb} the active release of ${name} (requested by ${event.requestedBy})`);
    }
    case 'operator.retry':
      return act(
        'retry',
        `clear ${event.image ?? 'the last failed image'} of ${name} from the failed list and release it again (requested by ${event.requestedBy})`,
      );
    case 'release.step-started':
    case 'release.verdict':
    case 'release.rolled-back':
    case 'release.promoted': {
      const done = ignore(
        KIND,
        `${event.type} reports what happened to ${event.service}; nothing to do`,
      );
      return event.verdict
        ? {
            ...done,
            detail: [
              done.detail,
              `verdict ${event.verdict.outcome}:`,
              ...evidenceLines(event.verdict),
            ].join('\n'),
          }
        : done;
    }
    case 'release.superseded':
    case 'release.rejected':
    case 'release.paused':
    case 'release.resumed':
    case 'release.failed':
    case 'release.aborted':
    case 'release.held':
    case 'release.promotion-held':
    case 'release.promotion-hold-released':
      return ignore(KIND, `${event.type} reports what happened to ${event.service}; nothing to do`);
    case 'terraform.sync-requested':
      return ignore(
        KIND,
        `terraform.sync-requested is for pipelines that re-plan ${event.service}; nothing to do`,
      );
    default: {
      const never: never = event;
      throw new Error(`unhandled deployment event ${JSON.stringify(never)}`);
    }
  }
}
