import { randomUUID } from 'node:crypto';
import { clone, timestamp } from './cloud-run-codec.js';
import { newEtag, parseServiceName, revisionFullName } from './cloud-run-names.js';
import type { RevisionStartResult } from './cloud-run-hooks.js';
import type { RevisionMessage, ServiceMessage } from './cloud-run-types.js';

/** RevisionTemplate fields that a Revision reports under the same name. */
const COPIED_FIELDS = [
  'scaling',
  'vpc_access',
  'timeout',
  'service_account',
  'containers',
  'volumes',
  'execution_environment',
  'encryption_key',
  'service_mesh',
  'encryption_key_revocation_action',
  'encryption_key_shutdown_duration',
  'session_affinity',
  'node_selector',
  'max_instance_request_concurrency',
] as const;

/** A new revision `id` of `service`, made from its current template, Ready pending. */
export function newRevision(service: ServiceMessage, id: string, now: Date): RevisionMessage {
  const serviceName = service.name ?? '';
  const { project, location } = parseServiceName(serviceName);
  const template = service.template ?? {};
  const created = timestamp(now);
  const revision: RevisionMessage = {
    name: revisionFullName(serviceName, id),
    uid: randomUUID(),
    generation: '1',
    service: serviceName,
    create_time: created,
    update_time: created,
    launch_stage: service.launch_stage ?? 'GA',
    conditions: [{ type: 'Ready', state: 'CONDITION_RECONCILING', last_transition_time: created }],
    observed_generation: '1',
    reconciling: true,
    log_uri: `https://console.cloud.google.com/logs/viewer?project=${project}&resource=cloud_run_revision/service_name/${serviceName.slice(serviceName.lastIndexOf('/') + 1)}/revision_name/${id}&advancedFilter=resource.labels.location%3D%22${location}%22`,
    etag: newEtag(),
  };
  if (template.labels) revision.labels = clone(template.labels);
  if (template.annotations) revision.annotations = clone(template.annotations);
  for (const field of COPIED_FIELDS)
    if (template[field] !== undefined)
      (revision as Record<string, unknown>)[field] = clone(template[field]);
  return revision;
}

export type RevisionState = 'pending' | 'ready' | 'failed';

/** A revision's readiness from its Ready condition; an unknown revision counts as failed. */
export function revisionState(revision: RevisionMessage | undefined): RevisionState {
  const ready = revision?.conditions.find((condition) => condition.type === 'Ready');
  if (!ready) return 'failed';
  if (ready.state === 'CONDITION_SUCCEEDED') return 'ready';
  if (ready.state === 'CONDITION_FAILED') return 'failed';
  return 'pending';
}

/** Records the starter's verdict on the revision's Ready condition. */
export function settleRevision(
  revision: RevisionMessage,
  result: RevisionStartResult,
  now: Date,
): void {
  const at = timestamp(now);
  revision.reconciling = false;
  revision.update_time = at;
  revision.etag = newEtag();
  revision.conditions = result.ready
    ? [{ type: 'Ready', state: 'CONDITION_SUCCEEDED', last_transition_time: at }]
    : [
        {
          type: 'Ready',
          state: 'CONDITION_FAILED',
          message: startFailure(revision, result.message),
          severity: 'ERROR',
          last_transition_time: at,
        },
      ];
}

/**
 * Cloud Run's condition message for a container that did not start (captured text,
 * docs/google-behaviour.md), with what the emulator's starter said in brackets.
 */
function startFailure(revision: RevisionMessage, detail: string): string {
  const ports = revision.containers?.[0]?.ports as Array<{ container_port?: number }> | undefined;
  const port = ports?.[0]?.container_port ?? 8080;
  return `The user-provided container failed to start and listen on the port defined provided by the PORT=${port} environment variable within the allocated timeout. Logs for this revision might contain more information. (${detail})`;
}
