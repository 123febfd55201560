import type { protos } from '@google-cloud/run';
import { ingressFromApi } from '../../schemas/network.js';
import { decodeRecord } from '../../schemas/record-codec.js';
import type {
  RevisionInfo,
  ServedTarget,
  ServiceView,
  TrafficTarget,
} from '../../ports/service-platform.js';

export type RunService = protos.google.cloud.run.v2.IService;
export type RunRevision = protos.google.cloud.run.v2.IRevision;
export type RunCondition = protos.google.cloud.run.v2.ICondition;

const LATEST = ['TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', 1] as const;
const CONDITION_STATES = [
  'STATE_UNSPECIFIED',
  'CONDITION_PENDING',
  'CONDITION_RECONCILING',
  'CONDITION_FAILED',
  'CONDITION_SUCCEEDED',
];

/**
 * Plain data from whatever a client returned. Unary calls already give enums and int64 as strings;
 * LRO results are protobufjs messages with numeric enums and Long int64s, so they go through their
 * type's `toObject` with enums and longs as String.
 */
export function plain<T>(message: T): T {
  const type = (message as { $type?: { toObject(m: unknown, o: object): unknown } } | null)?.$type;
  return type ? (type.toObject(message, { enums: String, longs: String }) as T) : message;
}

/** `projects/P/locations/L/services/S/revisions/S-00002-abc` or `S-00002-abc` → `S-00002-abc`. */
export function shortRevision(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** A condition's state by name, whether it arrived as a string or a number. */
export function conditionState(condition: RunCondition | null | undefined): string {
  const state = condition?.state;
  if (typeof state === 'number') return CONDITION_STATES[state] ?? 'STATE_UNSPECIFIED';
  return state ?? 'STATE_UNSPECIFIED';
}

/** The condition's message, else its reason, else the state. */
export function conditionDetail(condition: RunCondition | null | undefined): string {
  if (!condition) return 'no condition reported';
  const reason = condition.reason ?? condition.revisionReason;
  return (
    condition.message ||
    (reason !== undefined && reason !== null ? String(reason) : '') ||
    conditionState(condition)
  );
}

const blank = (s: string | null | undefined): string | null => (s ? s : null);

/**
 * The service as cutover sees it. Traffic comes from `trafficStatuses` (what serves), not
 * `traffic` (what was asked). A LATEST target is resolved through `latestReadyRevision`; it is
 * left out when no revision is ready (it serves nothing then). A missing percent is 0 (proto3
 * omits zeros); the etag is kept byte-for-byte, quotes included.
 */
export function toServiceView(service: RunService): ServiceView {
  const latest = blank(service.latestReadyRevision);
  const traffic: ServedTarget[] = [];
  for (const status of service.trafficStatuses ?? []) {
    const isLatest = (LATEST as readonly unknown[]).includes(status.type);
    const revision = isLatest ? latest : blank(status.revision);
    if (!revision) continue;
    traffic.push({
      revision: shortRevision(revision),
      percent: status.percent ?? 0,
      tag: blank(status.tag),
      url: blank(status.uri),
    });
  }
  const written: TrafficTarget[] = [];
  for (const target of service.traffic ?? []) {
    const isLatest = (LATEST as readonly unknown[]).includes(target.type);
    const revision = isLatest ? latest : blank(target.revision);
    if (!revision) continue;
    const tag = blank(target.tag);
    written.push({
      revision: shortRevision(revision),
      percent: target.percent ?? 0,
      ...(tag ? { tag } : {}),
    });
  }
  return {
    name: service.name ?? '',
    etag: service.etag ?? '',
    record: decodeRecord(service.annotations),
    traffic,
    written,
    latestReadyRevision: latest ? shortRevision(latest) : null,
    latestCreatedRevision: service.latestCreatedRevision
      ? shortRevision(service.latestCreatedRevision)
      : null,
    uri: blank(service.uri),
    ingress: ingressFromApi(service.ingress),
  };
}

/** State from the `Ready` condition: succeeded → ready, failed → failed, anything else pending. */
export function toRevisionInfo(revision: RunRevision): RevisionInfo {
  const ready = (revision.conditions ?? []).find((c) => c.type === 'Ready');
  const state = conditionState(ready);
  const info = (s: RevisionInfo['state']): RevisionInfo => ({
    name: shortRevision(revision.name ?? ''),
    image: revision.containers?.[0]?.image ?? '',
    state: s,
    detail: conditionDetail(ready),
  });
  if (state === 'CONDITION_FAILED') return info('failed');
  if (state === 'CONDITION_SUCCEEDED' && !revision.reconciling) return info('ready');
  return info('pending');
}
