import type { ActiveRelease, Transition } from '../domain/release-input.js';
import type { ServiceRecord } from '../schemas/release.js';
import { applyDecision } from './apply.js';
import type { Deps } from './deps.js';

/**
 * How long a smoke-phase lease lasts: the longest an event function can run (540 s), so an
 * invocation that dies holding it delays the phase by at most this much.
 */
export const SMOKE_LEASE_SECONDS = 540;

export type LeaseState =
  | { kind: 'mine' }
  /** Nobody holds it: the transition that claims it (a write of the record alone). */
  | { kind: 'free'; claim: Transition }
  | { kind: 'held'; why: string };

/**
 * One smoke phase at a time per release. A tick and the `release.provisioned` event (or a
 * redelivery of it) can each reach a smoke-testing release at once; each would probe both tag
 * URLs and replay the stable's logged requests on them, doubling the load and the inference
 * logs it writes, while the record keeps one result. So an invocation first claims the phase in
 * the record (guarded by the etag, as every write is: of two claims, one lands), runs it only
 * while it holds the claim, and clears it with the phase's outcome; a live claim of another
 * owner means waiting. A claim outlives its owner by at most SMOKE_LEASE_SECONDS.
 */
export function smokeLease(
  record: ServiceRecord,
  release: ActiveRelease,
  owner: string,
  now: Date,
): LeaseState {
  const lease = record.smokeLease;
  const live = lease && lease.releaseId === release.id && Date.parse(lease.until) > now.getTime();
  if (live && lease.owner === owner) return { kind: 'mine' };
  if (live)
    return {
      kind: 'held',
      why: `the smoke phase of ${release.id} runs in another invocation (until ${lease.until})`,
    };
  const until = new Date(now.getTime() + SMOKE_LEASE_SECONDS * 1000).toISOString();
  return {
    kind: 'free',
    claim: {
      record: { ...record, smokeLease: { releaseId: release.id, owner, until } },
      commands: [],
      ignored: null,
      summary: `smoke phase of ${release.id} claimed until ${until}`,
      provisional: true,
    },
  };
}

/** The transition with the lease cleared from its record (the phase it guarded is over). */
export function releasingLease(t: Transition): Transition {
  if (!t.record.smokeLease) return t;
  const { smokeLease: _done, ...record } = t.record;
  return { ...t, record };
}

/** The phase is still waiting: clear the lease so the next tick may run it. */
export function waitingWithoutLease(record: ServiceRecord, why: string): Transition {
  return releasingLease({ record, commands: [], ignored: null, summary: why });
}

/** Whether `owner` holds a live smoke lease on the service now (one read). */
export async function holdsSmokeLease(
  deps: Deps,
  service: string,
  owner: string,
): Promise<boolean> {
  const lease = (await deps.platform().get(service)).record?.smokeLease;
  return lease?.owner === owner && Date.parse(lease.until) > deps.clock.now().getTime();
}

/** Clears `owner`'s lease after its phase failed, so the next tick need not wait it out. */
export async function letGoOfSmokeLease(deps: Deps, service: string, owner: string): Promise<void> {
  await applyDecision(deps, service, (record) =>
    record.smokeLease?.owner === owner
      ? waitingWithoutLease(record, 'smoke phase let go after an error')
      : {
          record,
          commands: [],
          ignored: "the smoke lease is not this invocation's",
          summary: 'ignored',
        },
  );
}
