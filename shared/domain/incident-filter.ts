import type { Config } from '../schemas/config.js';
import type { IncidentNotification } from '../schemas/inbound/monitoring-incident.js';
import { resolveServiceRef, type ServiceMatch } from './service-ref.js';

/** What revertOnAlert does with one incident notification, before it reads the service. */
export type IncidentDecision =
  | {
      kind: 'revert';
      /** Full service name. */
      service: string;
      incidentId: string;
      /** The policy's display name, when sent. */
      policy: string | null;
      /** `resource.labels.revision_name`, when the condition groups by revision. */
      revision: string | null;
    }
  | { kind: 'ignored'; reason: string };

/** Policy user label naming the service an alert policy guards: a service id or full name. */
export const SERVICE_LABEL = 'cutover_service';

/**
 * Judges an incident (schema 1.2, or a 1.1 fallback, the same way):
 * - a `test` notification, a closed incident, or one without `incident_id` is ignored;
 * - a missing `state` is read from `ended_at` (a positive number means closed);
 * - the service comes from the policy user label `cutover_service` (service id or full name), else
 *   from `resource.labels.service_name` within `resource.labels.project_id` (or the scoping project)
 *   and `resource.labels.location` when present. A label that names no configured service is not
 *   overridden by the resource labels: the policy said which service it guards.
 */
export function classifyIncident(
  notification: IncidentNotification,
  config: Config,
): IncidentDecision {
  const ignored = (reason: string): IncidentDecision => ({ kind: 'ignored', reason });
  const incident = notification.incident;
  if (notification.version === 'test') return ignored('test notification');
  const state = incident.state ?? ((incident.ended_at ?? 0) > 0 ? 'closed' : 'open');
  const id = incident.incident_id ?? null;
  if (state === 'closed') return ignored(`closed incident${id ? ` ${id}` : ''}`);
  if (!id) return ignored('no incident id');

  const policy = incident.policy_name ?? null;
  const labels = incident.resource?.labels ?? {};
  const named = incident.policy_user_labels?.[SERVICE_LABEL];
  let match: ServiceMatch;
  let via: string;
  if (named) {
    match = resolveServiceRef(named, config);
    via = `policy label ${SERVICE_LABEL}=${named}`;
  } else if (labels.service_name) {
    const project = labels.project_id ?? incident.scoping_project_id ?? null;
    match = resolveServiceRef(labels.service_name, config, {
      project,
      location: labels.location ?? null,
    });
    via = `resource service_name=${labels.service_name}${project ? ` in project ${project}` : ''}`;
  } else {
    const what = policy ? `policy "${policy}"` : 'the incident';
    return ignored(
      `${what} names no service: no ${SERVICE_LABEL} policy label and no resource service_name`,
    );
  }
  if (match.kind === 'unknown') return ignored(`${via} is not a configured service`);
  if (match.kind === 'ambiguous')
    return ignored(
      `${via} matches several services (${match.candidates.join(', ')}); name it in full`,
    );
  return {
    kind: 'revert',
    service: match.service.service,
    incidentId: id,
    policy,
    revision: labels.revision_name ?? null,
  };
}
