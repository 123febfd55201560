import { randomBytes } from 'node:crypto';
import type { AlertCondition } from './alert-policies.js';
import { numericId } from './alert-policies.js';

/** The revision an incident is about: the labels of its `cloud_run_revision` resource. */
export interface RevisionResource {
  project: string;
  location: string;
  service: string;
  revision: string;
}

/** One incident as the evaluator tracks it between its open and closed notifications. */
export interface OpenIncident {
  id: string;
  condition: AlertCondition;
  resource: RevisionResource;
  /** Unix epoch seconds. */
  startedAt: number;
  observed: number;
}

/** A Cloud Monitoring notification, schema version 1.2 (webhook body and Pub/Sub channel data). */
export interface IncidentNotification {
  incident: Record<string, unknown>;
  version: '1.2';
}

/** `0.` and 12 base-36 characters, the shape of Monitoring's incident ids (`0.opqiw61fsv7p`). */
export function newIncidentId(): string {
  const digits = [...randomBytes(12)].map((b) => (b % 36).toString(36)).join('');
  return `0.${digits}`;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

/**
 * The notification Cloud Monitoring sends for an incident, every field of the documented 1.2
 * format (see test/fixtures/monitoring-webhook-incident-*.json): `state` lowercase, epoch seconds,
 * `ended_at` null while open, threshold and observed values as strings, the condition as the
 * AlertPolicy API spells it (camelCase), resource labels as grouping by revision leaves them
 * (`project_id`, `revision_name`).
 */
export function incidentNotification(
  incident: OpenIncident,
  state: { open: true } | { open: false; endedAt: number; observed: number | null },
): IncidentNotification {
  const c = incident.condition;
  const r = incident.resource;
  // The policies group by revision_name: Monitoring aggregates every other label away, so the
  // incident's resource keeps only that one and the project. The service is the policy label.
  const labels = { project_id: r.project, revision_name: r.revision };
  const resourceName = `${r.project} Cloud Run Revision labels {${Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
  const threshold = format(c.threshold);
  const observed = state.open ? incident.observed : state.observed;
  const observedText = observed === null ? 'no data' : format(observed);
  const direction = c.comparison === 'COMPARISON_GT' ? 'above' : 'below';
  const summary = state.open
    ? `${c.metricDisplayName} for ${resourceName} is ${direction} the threshold of ${threshold} with a value of ${observedText}.`
    : `${c.metricDisplayName} for ${resourceName} returned to normal with a value of ${observedText}.`;
  const aggregation = { alignmentPeriod: c.alignmentPeriod, ...c.aggregation };
  return {
    incident: {
      incident_id: incident.id,
      scoping_project_id: r.project,
      scoping_project_number: Number(numericId(r.project).slice(0, 12)),
      url: `https://console.cloud.google.com/monitoring/alerting/incidents/${incident.id}?project=${r.project}`,
      severity: 'no severity',
      started_at: incident.startedAt,
      ended_at: state.open ? null : state.endedAt,
      state: state.open ? 'open' : 'closed',
      resource_id: '',
      resource_name: resourceName,
      resource_display_name: r.revision,
      resource_type_display_name: 'Cloud Run Revision',
      resource: { type: 'cloud_run_revision', labels },
      metric: { type: c.metricType, displayName: c.metricDisplayName, labels: {} },
      metadata: { system_labels: {}, user_labels: {} },
      policy_name: c.policyName,
      policy_user_labels: c.userLabels,
      condition_name: c.conditionName,
      condition: {
        name: c.conditionResource,
        displayName: c.conditionName,
        conditionThreshold: {
          filter: c.filter,
          ...(c.denominatorFilter
            ? { denominatorFilter: c.denominatorFilter, denominatorAggregations: [aggregation] }
            : {}),
          aggregations: [aggregation],
          comparison: c.comparison,
          thresholdValue: c.threshold,
          duration: `${c.durationSeconds}s`,
          trigger: { count: 1 },
        },
      },
      threshold_value: threshold,
      observed_value: observedText,
      documentation: {
        content: c.documentation,
        mime_type: 'text/markdown',
        subject: `${state.open ? 'ALERT' : 'RESOLVED'} - No severity - ${c.policyName}`,
        links: [],
      },
      summary,
    },
    version: '1.2',
  };
}
