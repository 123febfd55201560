import type { ServiceChange } from '../../ports/service-platform.js';
import type { ServiceRecord, Slot } from '../../schemas/release.js';

/**
 * The change with the revision the domain asked for (`deploy.revision`) replaced by the name
 * Cloud Run gave it, in the traffic and in every slot of the record, and the deploy dropped (it
 * is done). cutover deploys unnamed revisions (see templateFrom), so the name is known only once
 * the deploy's operation reports the service's `latestCreatedRevision`.
 */
export function renamedChange(
  change: ServiceChange,
  actual: string,
): Omit<ServiceChange, 'deploy'> {
  const asked = change.deploy?.revision;
  if (!asked || asked === actual) return { traffic: change.traffic, record: change.record };
  const slot = (s: Slot): Slot => (s.revision === asked ? { ...s, revision: actual } : s);
  const release = change.record.release;
  const record: ServiceRecord = {
    ...change.record,
    stable: slot(change.record.stable),
    release: release ? { ...release, candidate: slot(release.candidate) } : null,
  };
  return {
    traffic: change.traffic.map((t) => (t.revision === asked ? { ...t, revision: actual } : t)),
    record,
  };
}
