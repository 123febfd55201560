import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import { clone, sameTemplate, timestamp } from './cloud-run-codec.js';
import { MUTABLE_FIELDS, pickMutable, validateTemplate } from './cloud-run-fields.js';
import { applyMask, maskPaths, touchedFields } from './cloud-run-mask.js';
export type {
  CreateServiceRequest,
  DeleteServiceRequest,
  UpdateServiceRequest,
} from './cloud-run-fields.js';
import type {
  CreateServiceRequest,
  DeleteServiceRequest,
  UpdateServiceRequest,
} from './cloud-run-fields.js';
import {
  generatedRevisionId,
  newEtag,
  parseParent,
  parseServiceName,
  validateServiceId,
} from './cloud-run-names.js';
import type { CloudRunStore, ServiceRecord } from './cloud-run-store.js';
import { normaliseTraffic } from './cloud-run-traffic.js';
import type { OperationMessage, ServiceMessage } from './cloud-run-types.js';

const EMULATOR_PRINCIPAL = 'emulator@cutover.local';

/** Stores the written service, starts its new revision if any, and returns the write's operation. */
function commit(
  store: CloudRunStore,
  record: ServiceRecord,
  location: string,
  newRevisionId: string | null,
): OperationMessage {
  if (newRevisionId) store.addRevision(record, newRevisionId);
  store.applyUrls(record.service);
  const operation = store.operations.start(location, record.service);
  record.pendingOperations.push(operation.name);
  store.reconcile(record);
  return { ...store.operations.get(operation.name) };
}

function validatedOnly(
  store: CloudRunStore,
  location: string,
  service: ServiceMessage,
): OperationMessage {
  const operation = store.operations.start(location, service);
  store.operations.complete(operation.name, service);
  return { ...store.operations.get(operation.name) };
}

export function createService(
  store: CloudRunStore,
  request: CreateServiceRequest,
): OperationMessage {
  const { project, location } = parseParent(request.parent);
  const parent = `projects/${project}/locations/${location}`;
  const id = validateServiceId(request.service_id);
  const name = `${parent}/services/${id}`;
  if (store.services.has(name))
    throw new RpcError(grpc.status.ALREADY_EXISTS, `Resource '${name}' already exists.`);
  const body = request.service ?? {};
  validateTemplate(body.template, id);
  const revisionId = body.template?.revision || generatedRevisionId(id, 1);
  const now = timestamp(store.ctx.clock.now());
  const service: ServiceMessage = { name, uid: randomUUID(), generation: '1' };
  pickMutable(service, body, MUTABLE_FIELDS);
  Object.assign(service, {
    traffic: normaliseTraffic(body.traffic, name),
    ingress: body.ingress ?? 'INGRESS_TRAFFIC_ALL',
    launch_stage: body.launch_stage ?? 'GA',
    create_time: now,
    update_time: now,
    creator: EMULATOR_PRINCIPAL,
    last_modifier: EMULATOR_PRINCIPAL,
    etag: newEtag(),
    reconciling: true,
  });
  if (request.validate_only) return validatedOnly(store, parent, service);
  const record: ServiceRecord = {
    service,
    revisionCounter: 1,
    servingTraffic: [],
    pendingOperations: [],
  };
  store.services.set(name, record);
  return commit(store, record, parent, revisionId);
}

/**
 * UpdateService as Cloud Run does it: an etag that is sent must match (ABORTED otherwise) unless the
 * store was told not to enforce etags (`enforceEtags`, as real v2 may not: docs/google-behaviour.md);
 * with an update mask only the named fields change (cloud-run-mask.ts); without one the body
 * replaces every mutable field, so an omitted `traffic` becomes 100% LATEST; a changed template (or
 * a new `template.revision`) makes a new revision, anything else makes none.
 */
export function updateService(
  store: CloudRunStore,
  request: UpdateServiceRequest,
): OperationMessage {
  const body = request.service ?? {};
  const { project, location, service: id } = parseServiceName(body.name);
  const parent = `projects/${project}/locations/${location}`;
  const existing = store.services.get(body.name ?? '');
  if (!existing) {
    if (request.allow_missing)
      return createService(store, {
        parent,
        service: body,
        service_id: id,
        validate_only: request.validate_only,
      });
    store.require(body.name);
  }
  const record = existing as ServiceRecord;
  const current = record.service;
  if (store.enforceEtags && body.etag && body.etag !== current.etag) {
    throw new RpcError(
      grpc.status.ABORTED,
      `The etag "${body.etag}" does not match the current etag of ${current.name}; re-read the service and retry.`,
    );
  }
  const paths = maskPaths(request.update_mask?.paths);
  const fields = paths ? touchedFields(paths) : null;
  let next = clone(current);
  if (paths) next = applyMask(current, body, paths);
  else pickMutable(next, body, MUTABLE_FIELDS);
  const newName = next.template?.revision;
  const templateChanged =
    !sameTemplate(next.template, current.template) ||
    (!!newName && newName !== current.template?.revision);
  let revisionId: string | null = null;
  if (templateChanged) {
    validateTemplate(next.template, id);
    revisionId = newName || generatedRevisionId(id, record.revisionCounter + 1);
    if (store.revisionIds(next.name ?? '').has(revisionId))
      throw new RpcError(
        grpc.status.ALREADY_EXISTS,
        `Revision named '${revisionId}' with different configuration already exists.`,
      );
  }
  if (!fields || fields.has('traffic')) {
    next.traffic = normaliseTraffic(next.traffic, next.name ?? '');
  }
  Object.assign(next, {
    generation: String(Number(current.generation ?? '0') + 1),
    update_time: timestamp(store.ctx.clock.now()),
    last_modifier: EMULATOR_PRINCIPAL,
    etag: newEtag(),
    reconciling: true,
  });
  if (request.validate_only) return validatedOnly(store, parent, next);
  record.service = next;
  if (revisionId) record.revisionCounter += 1;
  return commit(store, record, parent, revisionId);
}

export function deleteService(
  store: CloudRunStore,
  request: DeleteServiceRequest,
): OperationMessage {
  const record = store.require(request.name);
  const { project, location } = parseServiceName(request.name);
  const parent = `projects/${project}/locations/${location}`;
  if (request.etag && request.etag !== record.service.etag) {
    throw new RpcError(
      grpc.status.ABORTED,
      `The etag "${request.etag}" does not match the current etag of ${request.name ?? ''}.`,
    );
  }
  const service = clone(record.service);
  if (request.validate_only) return validatedOnly(store, parent, service);
  store.services.delete(request.name ?? '');
  for (const name of [...store.revisions.keys()])
    if (name.startsWith(`${request.name ?? ''}/revisions/`)) store.revisions.delete(name);
  for (const operation of record.pendingOperations.splice(0))
    store.operations.complete(operation, service);
  const operation = store.operations.start(parent, service);
  store.operations.complete(operation.name, service);
  store.persist();
  store.notify(record, true);
  return { ...store.operations.get(operation.name) };
}
