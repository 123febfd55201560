import type { ServiceChange } from '../../ports/service-platform.js';
import type { ServiceRecord } from '../../schemas/release.js';
import type { RunService } from './cloud-run-mapping.js';

/** `value` with every string equal to `from` replaced by `to`, at any depth. */
function replaced<T>(value: T, from: string, to: string): T {
  if (value === from) return to as T;
  if (Array.isArray(value)) return value.map((v: unknown) => replaced(v, from, to)) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaced(v, from, to)]),
    ) as T;
  return value;
}

/**
 * The change with the revision the domain asked for (`deploy.revision`) replaced by the name
 * Cloud Run gave it, in the traffic and everywhere in the record (slots, and the events still owed
 * in its outbox), and the deploy dropped (it is done). cutover deploys unnamed revisions (see
 * templateFrom), so the name is known only once the deploy's operation reports the service's
 * `latestCreatedRevision`.
 */
export function renamedChange(
  change: ServiceChange,
  actual: string,
): Omit<ServiceChange, 'deploy'> {
  const asked = change.deploy?.revision;
  if (!asked || asked === actual) return { traffic: change.traffic, record: change.record };
  return {
    traffic: change.traffic.map((t) => (t.revision === asked ? { ...t, revision: actual } : t)),
    record: replaced<ServiceRecord>(change.record, asked, actual),
  };
}

/**
 * A record read back after a deploy, with the revision the domain asked for (`asked`) named as
 * Cloud Run named it (`actual`); null when it does not name `asked`, so it was not built on the
 * deploy's record (the write after the deploy landed already, or another decision replaced it).
 */
export function renamedRecord(
  record: ServiceRecord,
  asked: string,
  actual: string,
): ServiceRecord | null {
  if (!JSON.stringify(record).includes(JSON.stringify(asked))) return null;
  return replaced(record, asked, actual);
}

const LATEST_TARGET = new Set<unknown>(['TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', 1]);

/**
 * The service's traffic with every LATEST target pinned to the revision it resolves to now
 * (`latestReadyRevision`), for the deploy's body. A service created without a traffic block
 * (terraform's first apply, `gcloud run deploy`) serves 100% LATEST, and a deploy that sends that
 * back would give the candidate every user the moment it is ready, before any smoke test. A
 * LATEST target with no ready revision serves nothing and is dropped.
 */
export function pinnedTraffic(service: RunService): RunService['traffic'] {
  const ready = service.latestReadyRevision;
  const revision = ready ? ready.slice(ready.lastIndexOf('/') + 1) : null;
  return (service.traffic ?? []).flatMap((t) => {
    if (!LATEST_TARGET.has(t.type)) return [t];
    if (!revision) return [];
    return [{ ...t, type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION' as const, revision }];
  });
}
