import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import { packRevision } from './cloud-run-codec.js';
import { parseRevisionName, parseServiceName } from './cloud-run-names.js';
import type { CloudRunStore } from './cloud-run-store.js';
import type { OperationMessage } from './cloud-run-types.js';

export interface DeleteRevisionRequest {
  name?: string;
  validate_only?: boolean;
  etag?: string;
}

/**
 * DeleteRevision: "Only retired revisions can be deleted" (google/cloud/run/v2/revision.proto). A
 * revision that traffic names (with a percent or a tag) or that is the service's latest is not
 * retired and is refused with FAILED_PRECONDITION; the operation is done at once with the Revision.
 */
export function deleteRevision(
  store: CloudRunStore,
  request: DeleteRevisionRequest,
): OperationMessage {
  const name = request.name ?? '';
  const parsed = parseRevisionName(name);
  const revision = parsed ? store.revisions.get(name) : undefined;
  if (!parsed || !revision)
    throw new RpcError(
      grpc.status.NOT_FOUND,
      `Resource '${name}' of kind 'REVISION' does not exist.`,
    );
  if (request.etag && request.etag !== revision.etag)
    throw new RpcError(grpc.status.ABORTED, `The etag "${request.etag}" does not match ${name}.`);
  const service = store.services.get(parsed.service)?.service;
  const named = (service?.traffic ?? []).some(
    (t) => t.revision === parsed.revision && ((t.percent ?? 0) > 0 || !!t.tag),
  );
  const latest = [service?.latest_created_revision, service?.latest_ready_revision].includes(name);
  if (named || latest)
    throw new RpcError(
      grpc.status.FAILED_PRECONDITION,
      `Revision ${parsed.revision} is not retired: ${named ? 'traffic names it' : 'it is the latest revision of its service'}. Only retired revisions can be deleted.`,
    );
  const { project, location } = parseServiceName(parsed.service);
  const operation = store.operations.startPacked(
    `projects/${project}/locations/${location}`,
    packRevision(revision),
  );
  if (!request.validate_only) store.revisions.delete(name);
  store.operations.completePacked(operation.name, packRevision(revision));
  store.persist();
  return { ...store.operations.get(operation.name) };
}
