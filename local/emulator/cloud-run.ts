import * as grpc from '@grpc/grpc-js';
import { RpcError, unary } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { clone, pruneService } from './cloud-run-codec.js';
import { defaultUrl, newEtag, parseParent, parseRevisionName } from './cloud-run-names.js';
import { operationsService } from './cloud-run-operations.js';
import { CloudRunStore } from './cloud-run-store.js';
import type { CloudRunStateDocument } from './cloud-run-store.js';
import { readyAtOnce } from './cloud-run-hooks.js';
import type {
  RevisionStarter,
  ServiceListener,
  ServiceSnapshot,
  UrlResolver,
} from './cloud-run-hooks.js';
import type { RevisionMessage, ServiceMessage } from './cloud-run-types.js';
import { createService, deleteService, updateService } from './cloud-run-writes.js';
import { deleteRevision, type DeleteRevisionRequest } from './cloud-run-delete-revision.js';
import type {
  CreateServiceRequest,
  DeleteServiceRequest,
  UpdateServiceRequest,
} from './cloud-run-writes.js';
import { paginate } from './paging.js';
import { loadProto, serviceDefinition } from './protos.js';
import type { EmulatorModule } from './server.js';

export type {
  RevisionInfoForHook,
  RevisionStartResult,
  RevisionStarter,
  ServiceListener,
  ServiceSnapshot,
  ServingTarget,
  UrlResolver,
} from './cloud-run-hooks.js';
export type { CloudRunStateDocument } from './cloud-run-store.js';

/** What tests and the local platform do to the emulated Cloud Run directly, beside the gRPC API. */
export interface CloudRunState {
  /** Decides whether new revisions become ready; null restores "ready at once". */
  setRevisionStarter(starter: RevisionStarter | null): void;
  /** Hands out service and tag URLs; null restores `https://[TAG---]S-<hash>-uc.a.run.app`. Applies to every service at once. */
  setUrlResolver(resolver: UrlResolver | null): void;
  /** Called after every completed write and deletion; returns the unsubscribe function. */
  onChange(listener: ServiceListener): () => void;
  /** A copy of the service as GetService returns it, or null. */
  getService(name: string): ServiceMessage | null;
  /** The listener's view of a service, or null. */
  snapshot(name: string): ServiceSnapshot | null;
  /** Copies of the service's revisions, oldest first. */
  listRevisions(service: string): RevisionMessage[];
  /**
   * Whether UpdateService refuses a stale etag with ABORTED (default true). Cloud Run v2 does not
   * document enforcement: tests turn it off to show what holds without it.
   */
  setEtagEnforcement(enforce: boolean): void;
  /** A concurrent writer: gives the service a new etag, so a write with the old one fails ABORTED. Returns the new etag. */
  touch(name: string): string;
  /** Resolves when every operation started so far is done. */
  idle(): Promise<void>;
  exportState(): CloudRunStateDocument;
  importState(document: CloudRunStateDocument): void;
}

const RUN_SERVICES = loadProto('run', 'google/cloud/run/v2/service.proto');
const RUN_REVISIONS = loadProto('run', 'google/cloud/run/v2/revision.proto');

interface ListRequest {
  parent?: string;
  page_size?: number;
  page_token?: string;
}

/** Cloud Run Admin v2: Services, Revisions and the Operations they return. `persist` runs after every change. */
export function createCloudRun(
  ctx: EmulatorContext,
  persist: () => void = () => undefined,
): EmulatorModule<CloudRunState> {
  const store = new CloudRunStore(ctx, persist);
  const services = (method: string): string => `google.cloud.run.v2.Services/${method}`;
  const revisions = (method: string): string => `google.cloud.run.v2.Revisions/${method}`;

  const servicesImpl: grpc.UntypedServiceImplementation = {
    CreateService: unary(ctx, services('CreateService'), (request: CreateServiceRequest) =>
      createService(store, { ...request, service: pruneService(request.service) }),
    ),
    UpdateService: unary(ctx, services('UpdateService'), (request: UpdateServiceRequest) =>
      updateService(store, { ...request, service: pruneService(request.service) }),
    ),
    DeleteService: unary(ctx, services('DeleteService'), (request: DeleteServiceRequest) =>
      deleteService(store, request),
    ),
    GetService: unary(
      ctx,
      services('GetService'),
      (request: { name?: string }) => store.require(request.name).service,
    ),
    ListServices: unary(ctx, services('ListServices'), (request: ListRequest) => {
      const { project, location } = parseParent(request.parent);
      const prefix =
        location === '-'
          ? `projects/${project}/locations/`
          : `projects/${project}/locations/${location}/services/`;
      const all = [...store.services.values()]
        .map((record) => record.service)
        .filter((service) => service.name?.startsWith(prefix));
      const page = paginate(all, request.page_size, request.page_token);
      return { services: page.items, next_page_token: page.nextPageToken };
    }),
  };
  const revisionsImpl: grpc.UntypedServiceImplementation = {
    GetRevision: unary(ctx, revisions('GetRevision'), (request: { name?: string }) => {
      const parsed = parseRevisionName(request.name ?? '');
      const revision = parsed ? store.revisions.get(request.name ?? '') : undefined;
      if (!revision) throw notFound(request.name, 'REVISION');
      return revision;
    }),
    DeleteRevision: unary(ctx, revisions('DeleteRevision'), (request: DeleteRevisionRequest) =>
      deleteRevision(store, request),
    ),
    ListRevisions: unary(ctx, revisions('ListRevisions'), (request: ListRequest) => {
      store.require(request.parent);
      const page = paginate(
        listRevisions(store, request.parent ?? ''),
        request.page_size,
        request.page_token,
      );
      return { revisions: page.items, next_page_token: page.nextPageToken };
    }),
  };

  const state: CloudRunState = {
    setRevisionStarter: (starter) => (store.starter = starter ?? readyAtOnce),
    setEtagEnforcement: (enforce) => (store.enforceEtags = enforce),
    setUrlResolver: (resolver) => {
      store.urlResolver = resolver ?? defaultUrl;
      for (const record of store.services.values()) store.applyUrls(record.service);
      persist();
    },
    onChange: (listener) => {
      store.listeners.add(listener);
      return () => store.listeners.delete(listener);
    },
    getService: (name) => {
      const record = store.services.get(name);
      return record ? clone(record.service) : null;
    },
    snapshot: (name) => {
      const record = store.services.get(name);
      return record ? store.snapshot(record) : null;
    },
    listRevisions: (service) => clone(listRevisions(store, service)),
    touch: (name) => {
      const record = store.require(name);
      record.service.etag = newEtag();
      persist();
      return record.service.etag;
    },
    idle: () => store.operations.idle(),
    exportState: () => clone(store.exportState()),
    importState: (document) => store.importState(clone(document)),
  };

  return {
    services: [
      {
        definition: serviceDefinition(RUN_SERVICES, 'google.cloud.run.v2.Services'),
        implementation: servicesImpl,
      },
      {
        definition: serviceDefinition(RUN_REVISIONS, 'google.cloud.run.v2.Revisions'),
        implementation: revisionsImpl,
      },
      operationsService(ctx, store.operations),
    ],
    state,
  };
}

function listRevisions(store: CloudRunStore, service: string): RevisionMessage[] {
  return [...store.revisions.values()].filter((revision) => revision.service === service);
}

function notFound(name: string | undefined, kind: string): RpcError {
  return new RpcError(
    grpc.status.NOT_FOUND,
    `Resource '${name ?? ''}' of kind '${kind}' does not exist.`,
  );
}
