import type { Config } from '../schemas/config.js';
import type { IncidentNotification } from '../schemas/inbound/monitoring-incident.js';
import { resolveServiceRef, splitServiceName } from './service-ref.js';

/** What revertOnAlert does with one incident notification, before it reads the service. */
export type IncidentDecision =
  | {
      kind: 'opened' | 'closed';
      /** Full service name. */
      service: string;
      incidentId: string;
      /** The policy's display name, when sent. */
      policy: string | null;
      /** `resource.labels.revision_name`: the policies group by revision. Null when absent. */
      revision: string | null;
      /** `started_at`, when sent. */
      startedAt: Date | null;
    }
  | { kind: 'ignored'; reason: string };

/** Policy user label naming the service an alert policy guards: a service id or full name. */
export const SERVICE_LABEL = 'cutover_service';

/**
 * Judges an incident (schema 1.2, or a 1.1 fallback, the same way) and binds it to one configured
 * service in one project:
 * - a `test` notification, or one without `incident_id`, is ignored; a missing `state` is read from
 *   `ended_at` (a positive number means closed);
 * - the project is `resource.labels.project_id` (the monitored revision's), else the scoping
 *   project; an incident with neither is ignored;
 * - the service is the policy user label `cutover_service` (what terraform's policies carry; their
 *   group-by keeps no `service_name`), else `resource.labels.service_name`, resolved inside that
 *   project (and `resource.labels.location` when present). A full name in the label must be in that
 *   project; a resource `service_name` that contradicts the label is ignored;
 * - `revision` and `startedAt` are passed on: the release decides what they mean.
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
  if (!id) return ignored(`no incident id (${state} incident)`);

  const policy = incident.policy_name ?? null;
  const labels = incident.resource?.labels ?? {};
  const project = labels.project_id ?? incident.scoping_project_id ?? null;
  const what = policy ? `policy "${policy}"` : `incident ${id}`;
  if (!project)
    return ignored(`${what} names no project: no resource project_id and no scoping_project_id`);
  const named = incident.policy_user_labels?.[SERVICE_LABEL];
  const ref = named ?? labels.service_name;
  if (!ref) {
    return ignored(
      `${what} names no service: no ${SERVICE_LABEL} policy label and no resource service_name`,
    );
  }
  const via = named
    ? `policy label ${SERVICE_LABEL}=${named} in project ${project}`
    : `resource service_name=${ref} in project ${project}`;
  const match = resolveServiceRef(ref, config, { project, location: labels.location ?? null });
  if (match.kind === 'unknown') return ignored(`${via} is not a configured service`);
  if (match.kind === 'ambiguous')
    return ignored(
      `${via} matches several services (${match.candidates.join(', ')}); name it in full`,
    );
  const service = match.service.service;
  const parts = splitServiceName(service);
  if (parts && parts.project !== project)
    return ignored(`${via}: the incident is about project ${project}, not ${parts.project}`);
  if (named && labels.service_name && parts && labels.service_name !== parts.id)
    return ignored(
      `${via}, but its resource is service ${labels.service_name}: the incident is not about ${service}`,
    );
  return {
    kind: state === 'closed' ? 'closed' : 'opened',
    service,
    incidentId: id,
    policy,
    revision: labels.revision_name ?? null,
    startedAt:
      typeof incident.started_at === 'number' && incident.started_at > 0
        ? new Date(incident.started_at * 1000)
        : null,
  };
}
