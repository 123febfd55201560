import * as grpc from '@grpc/grpc-js';
import { RpcError } from './faults.js';
import type { EmulatorContext } from './faults.js';
import { clone } from './cloud-run-codec.js';
import { defaultUrl, parseRevisionName } from './cloud-run-names.js';
import { OperationStore } from './cloud-run-operations.js';
import { reconcile } from './cloud-run-reconcile.js';
import { LATEST } from './cloud-run-types.js';
import type { RevisionMessage, ServiceMessage, TrafficTarget } from './cloud-run-types.js';
import { readyAtOnce } from './cloud-run-hooks.js';
import type {
  RevisionStarter,
  ServiceListener,
  ServiceSnapshot,
  UrlResolver,
} from './cloud-run-hooks.js';
import { newRevision, revisionState, settleRevision } from './cloud-run-revisions.js';

/** A stored service and what the emulator keeps beside it. */
export interface ServiceRecord {
  service: ServiceMessage;
  /** The N of the last generated `S-0000N-xyz`. */
  revisionCounter: number;
  /** The traffic last reconciled successfully: what a failed write falls back to. */
  servingTraffic: TrafficTarget[];
  /** Operations that complete when the service next settles. */
  pendingOperations: string[];
}

/** The persisted form (JSON). */
export interface CloudRunStateDocument {
  services: Array<Omit<ServiceRecord, 'pendingOperations'>>;
  revisions: RevisionMessage[];
}

/** Cloud Run's state: services, revisions, operations, and the hooks the local platform sets. */
export class CloudRunStore {
  readonly services = new Map<string, ServiceRecord>();
  readonly revisions = new Map<string, RevisionMessage>();
  readonly operations = new OperationStore();
  starter: RevisionStarter = readyAtOnce;
  urlResolver: UrlResolver = defaultUrl;
  readonly listeners = new Set<ServiceListener>();
  /** Whether a write's etag must match (ABORTED otherwise). Real v2 does not document it. */
  enforceEtags = true;

  constructor(
    readonly ctx: EmulatorContext,
    readonly persist: () => void,
  ) {}

  require(name: string | undefined): ServiceRecord {
    const record = this.services.get(name ?? '');
    if (!record)
      throw new RpcError(
        grpc.status.NOT_FOUND,
        `Resource '${name ?? ''}' of kind 'SERVICE' does not exist.`,
      );
    return record;
  }

  /** Short ids of the service's revisions. */
  revisionIds(service: string): Set<string> {
    const ids = new Set<string>();
    for (const name of this.revisions.keys()) {
      const parsed = parseRevisionName(name);
      if (parsed?.service === service) ids.add(parsed.revision);
    }
    return ids;
  }

  /** Records a new revision from the service's template and asks the starter whether it becomes ready. */
  addRevision(record: ServiceRecord, id: string): void {
    const service = record.service;
    const revision = newRevision(service, id, this.ctx.clock.now());
    this.revisions.set(revision.name, revision);
    service.latest_created_revision = revision.name;
    const info = {
      name: revision.name,
      revision: id,
      service: service.name ?? '',
      image: revision.containers?.[0]?.image ?? '',
      message: clone(revision),
    };
    if (this.starter === readyAtOnce) {
      // The default decides at once, so the write's operation is already done when it is returned.
      settleRevision(revision, { ready: true }, this.ctx.clock.now());
      return;
    }
    void Promise.resolve()
      .then(() => this.starter(info))
      .catch((error: unknown) => ({
        ready: false as const,
        message: error instanceof Error ? error.message : String(error),
      }))
      .then((result) => {
        const current = this.revisions.get(revision.name);
        if (!current) return;
        settleRevision(current, result, this.ctx.clock.now());
        const owner = this.services.get(current.service);
        if (owner) this.reconcile(owner);
        else this.persist();
      });
  }

  /** Recomputes `uri`, `urls` and the tag URLs with the current resolver. */
  applyUrls(service: ServiceMessage): void {
    const name = service.name ?? '';
    service.uri = this.urlResolver(name, null);
    service.urls = [service.uri];
    for (const status of service.traffic_statuses ?? [])
      if (status.tag) status.uri = this.urlResolver(name, status.tag);
  }

  /** See `reconcile` in cloud-run-reconcile.ts. */
  reconcile(record: ServiceRecord): void {
    reconcile(this, record);
  }

  notify(record: ServiceRecord, deleted: boolean): void {
    const snapshot = this.snapshot(record, deleted);
    for (const listener of this.listeners) listener(snapshot);
  }

  snapshot(record: ServiceRecord, deleted = false): ServiceSnapshot {
    const service = record.service;
    const latestReady = parseRevisionName(service.latest_ready_revision ?? '')?.revision ?? null;
    const serving = (service.traffic_statuses ?? []).flatMap((status) => {
      const revision = status.type === LATEST ? latestReady : (status.revision ?? null);
      return revision
        ? [
            {
              revision,
              percent: status.percent ?? 0,
              tag: status.tag ?? null,
              uri: status.uri ?? null,
            },
          ]
        : [];
    });
    return {
      name: service.name ?? '',
      deleted,
      uri: service.uri ?? null,
      latestReadyRevision: latestReady,
      serving,
      service: clone(service),
    };
  }

  exportState(): CloudRunStateDocument {
    return {
      services: [...this.services.values()].map(({ service, revisionCounter, servingTraffic }) => ({
        service,
        revisionCounter,
        servingTraffic,
      })),
      revisions: [...this.revisions.values()],
    };
  }

  /** Loads persisted state; a revision that was still starting is marked failed (its process is gone). */
  importState(document: CloudRunStateDocument): void {
    for (const revision of document.revisions) {
      if (revisionState(revision) === 'pending')
        settleRevision(
          revision,
          { ready: false, message: 'the emulator restarted while the revision was starting' },
          this.ctx.clock.now(),
        );
      this.revisions.set(revision.name, revision);
    }
    for (const { service, revisionCounter, servingTraffic } of document.services) {
      const record: ServiceRecord = {
        service,
        revisionCounter,
        servingTraffic,
        pendingOperations: [],
      };
      this.services.set(service.name ?? '', record);
      if (service.reconciling) this.reconcile(record);
    }
  }
}
