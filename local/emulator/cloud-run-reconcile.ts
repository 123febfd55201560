import * as grpc from '@grpc/grpc-js';
import { clone, timestamp } from './cloud-run-codec.js';
import { parseRevisionName, revisionFullName } from './cloud-run-names.js';
import { revisionState } from './cloud-run-revisions.js';
import type { CloudRunStore, ServiceRecord } from './cloud-run-store.js';
import { servingRevisions, trafficStatuses } from './cloud-run-traffic.js';
import type { Condition, ConditionState, RevisionMessage } from './cloud-run-types.js';

/**
 * Brings the service's status in line with its spec once its latest created revision has settled:
 * on success the traffic is served as written. When traffic routes to a revision that is not ready
 * (or does not exist) the previous traffic keeps serving, the spec keeps what was written,
 * `terminalCondition` is FAILED and the pending operations end with Cloud Run's error (code 9 or
 * 13, docs/google-behaviour.md). A failed latest revision that traffic does not route to fails only
 * the configuration; the operations complete. Listeners hear of every settled write. While the
 * revision is still starting nothing completes.
 */
export function reconcile(store: CloudRunStore, record: ServiceRecord): void {
  const service = record.service;
  const now = timestamp(store.ctx.clock.now());
  const latest = store.revisions.get(service.latest_created_revision ?? '');
  const latestState = latest ? revisionState(latest) : 'ready';
  if (latestState === 'pending') {
    service.reconciling = true;
    service.terminal_condition = {
      type: 'Ready',
      state: 'CONDITION_RECONCILING',
      last_transition_time: now,
    };
    store.persist();
    return;
  }
  if (latest && latestState === 'ready') service.latest_ready_revision = latest.name;
  const latestReady = parseRevisionName(service.latest_ready_revision ?? '')?.revision ?? null;
  // A target that serves or carries a tag must be ready; a failed latest revision that traffic no
  // longer names fails only the configuration (the service is not Ready) while the routes apply,
  // as Cloud Run does when traffic is moved off a failed deployment.
  const tagged = (service.traffic ?? []).filter(
    (t) => (t.percent ?? 0) === 0 && t.tag && t.revision,
  );
  const routed = [
    ...servingRevisions(service.traffic ?? [], latestReady),
    ...tagged.map((t) => t.revision ?? ''),
  ];
  const fullName = (id: string): string => revisionFullName(service.name ?? '', id);
  const missing = routed.find((id) => !store.revisions.has(fullName(id)));
  const notReady = routed.find(
    (id) => revisionState(store.revisions.get(fullName(id))) !== 'ready',
  );
  // A LATEST target written with a failing new template meant the new revision: it fails too.
  const latestMeant =
    latest && latestState === 'failed'
      ? (service.traffic ?? []).some(
          (t) =>
            t.type === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' && ((t.percent ?? 0) > 0 || t.tag),
        )
      : false;
  const routeFailure: OperationFailure | null = missing
    ? {
        code: grpc.status.INTERNAL,
        message: `Revision '${missing}' does not exist or is deleted. Update all traffic to route to currently available revisions.`,
      }
    : notReady || latestMeant
      ? {
          code: grpc.status.FAILED_PRECONDITION,
          message:
            `Revision '${notReady ?? parseRevisionName(latest?.name ?? '')?.revision}' is not ready and cannot serve traffic. ${latest && (latestMeant || parseRevisionName(latest.name)?.revision === notReady) ? latestMessage(latest) : ''}`.trim(),
        }
      : null;
  const configFailure =
    latest && latestState === 'failed'
      ? `Revision '${parseRevisionName(latest.name)?.revision}' is not ready. ${latestMessage(latest)}`
      : null;
  const failure = routeFailure?.message ?? configFailure;
  // The spec keeps what was written (a failed write's traffic included); what serves stays.
  if (routeFailure === null) record.servingTraffic = clone(service.traffic ?? []);
  const state: ConditionState = failure === null ? 'CONDITION_SUCCEEDED' : 'CONDITION_FAILED';
  const terminal: Condition = { type: 'Ready', state, last_transition_time: now };
  if (failure !== null)
    Object.assign(terminal, { message: failure, severity: 'ERROR', reason: 'REVISION_FAILED' });
  service.terminal_condition = terminal;
  service.conditions = [
    {
      type: 'RoutesReady',
      state: routeFailure === null ? 'CONDITION_SUCCEEDED' : 'CONDITION_FAILED',
      last_transition_time: now,
    },
    {
      type: 'ConfigurationsReady',
      state: latestState === 'failed' ? 'CONDITION_FAILED' : 'CONDITION_SUCCEEDED',
      last_transition_time: now,
    },
  ];
  service.traffic_statuses = trafficStatuses(record.servingTraffic, (tag) =>
    store.urlResolver(service.name ?? '', tag),
  );
  service.observed_generation = service.generation;
  service.reconciling = false;
  // A write whose routes cannot apply ends its operation with the error Cloud Run gives (code 9
  // for a revision that is not ready, 13 for one that does not exist); others complete.
  for (const operation of record.pendingOperations.splice(0))
    if (routeFailure) store.operations.fail(operation, routeFailure.code, routeFailure.message);
    else store.operations.complete(operation, service);
  store.persist();
  store.notify(record, false);
}

interface OperationFailure {
  code: grpc.status;
  message: string;
}

function latestMessage(revision: RevisionMessage): string {
  return revision.conditions.find((condition) => condition.type === 'Ready')?.message ?? '';
}
