import type { Hold } from '../schemas/hold.js';
import type { ServiceRecord, Verdict } from '../schemas/release.js';
import { eventBase, publish } from './release-events.js';
import { promote, rollBack } from './release-endings.js';
import {
  ignore,
  type ActiveRelease,
  type MachineContext,
  type ReleaseInput,
  type ShiftingRelease,
  type Transition,
} from './release-input.js';

type Alert = Extract<ReleaseInput, { type: 'alert' }>;
type Closed = Extract<ReleaseInput, { type: 'incident-closed' }>;

/** Which revision of the release an incident is about. */
export type IncidentTarget = 'candidate' | 'stable' | 'unnamed' | 'other';

export function incidentTarget(
  record: ServiceRecord,
  release: ActiveRelease,
  revision: string | null,
): IncidentTarget {
  if (revision === null) return 'unnamed';
  if (revision === release.candidate.revision) return 'candidate';
  if (revision === record.stable.revision) return 'stable';
  return 'other';
}

const holdId = (incidentId: string): string => `incident:${incidentId}`;

/**
 * An open incident, judged by the revision it names and when it started:
 * - started before the release began (a replay, or an incident about an earlier candidate):
 *   nothing happens (logged);
 * - the candidate's revision: roll back;
 * - the stable's revision: hold the release (it is never promoted while the incident is open);
 * - no revision (the policy does not group by revision): roll back, unless
 *   `incidents.withoutRevision` is `ignore`;
 * - any other revision: nothing happens.
 * Start times are compared in whole seconds, as Monitoring sends them.
 */
export function onIncident(
  record: ServiceRecord,
  active: ActiveRelease,
  input: Alert,
  ctx: MachineContext,
): Transition {
  const service = ctx.config.service;
  const incident = `incident ${input.incidentId}${input.policy ? ` of policy ${input.policy}` : ''}`;
  const releaseStart = Math.floor(Date.parse(active.startedAt) / 1000) * 1000;
  if (input.startedAt !== null && input.startedAt.getTime() < releaseStart) {
    return ignore(
      record,
      `${incident} started at ${input.startedAt.toISOString()}, before release ${active.id} began (${active.startedAt}): an older incident or a replay; not acted on`,
    );
  }
  const target = incidentTarget(record, active, input.revision);
  const rollBackFor = (reason: string) =>
    rollBack(record, active, { trigger: 'alert', reason, requestedBy: null }, ctx, service);
  switch (target) {
    case 'candidate':
      return rollBackFor(`${incident} opened on the candidate revision ${input.revision}`);
    case 'unnamed':
      if (ctx.config.incidents.withoutRevision === 'ignore')
        return ignore(
          record,
          `${incident} names no revision and incidents.withoutRevision is "ignore"`,
        );
      return rollBackFor(
        `${incident} opened; it names no revision, so the release is rolled back (incidents.withoutRevision: rollback)`,
      );
    case 'stable':
      return holdRelease(
        record,
        active,
        {
          id: holdId(input.incidentId),
          reason: `${incident} is open on the stable revision ${record.stable.revision}: the release is not promoted until it closes`,
          since: ctx.now.toISOString(),
        },
        ctx,
      );
    case 'other':
      return ignore(
        record,
        `${incident} is about revision ${input.revision}, neither the candidate ${active.candidate.revision} nor the stable ${record.stable.revision}`,
      );
    default: {
      const unreachable: never = target;
      throw new Error(`unhandled incident target ${String(unreachable)}`);
    }
  }
}

function holdRelease(
  record: ServiceRecord,
  active: ActiveRelease,
  hold: Hold,
  ctx: MachineContext,
): Transition {
  const holds = active.holds ?? [];
  if (holds.some((h) => h.id === hold.id))
    return ignore(record, `release ${active.id} is already held: ${hold.reason}`);
  const release: ActiveRelease = { ...active, holds: [...holds, hold] };
  return {
    record: { ...record, release },
    commands: [
      publish({
        type: 'release.promotion-held',
        ...eventBase(ctx.config.service, release, ctx.now),
        holdId: hold.id,
        reason: hold.reason,
      }),
    ],
    ignored: null,
    summary: `held ${active.id}: ${hold.reason}`,
  };
}

/** A closed incident releases the hold it placed; the next passing verdict may promote again. */
export function onIncidentClosed(
  record: ServiceRecord,
  active: ActiveRelease,
  input: Closed,
  ctx: MachineContext,
): Transition {
  const id = holdId(input.incidentId);
  const holds = active.holds ?? [];
  const hold = holds.find((h) => h.id === id);
  if (!hold) return ignore(record, `incident ${input.incidentId} closed; it held nothing`);
  const rest = holds.filter((h) => h.id !== id);
  const release: ActiveRelease = { ...active, holds: rest };
  const reason = `incident ${input.incidentId} closed${rest.length ? `; still held by ${rest.map((h) => h.id).join(', ')}` : ''}`;
  return {
    record: { ...record, release },
    commands: [
      publish({
        type: 'release.promotion-hold-released',
        ...eventBase(ctx.config.service, release, ctx.now),
        holdId: id,
        reason,
      }),
    ],
    ignored: null,
    summary: `${reason}: release ${active.id} may be promoted again`,
  };
}

/**
 * Promotes, unless something holds the release. A held release judged at its last step keeps its
 * verdict and says so each tick; an operator's promote is refused with the reason.
 */
export function promoteUnlessHeld(
  record: ServiceRecord,
  release: ShiftingRelease,
  verdict: Verdict | null,
  ctx: MachineContext,
  by: 'analysis' | 'operator',
): Transition {
  const holds = release.holds ?? [];
  if (holds.length === 0) return promote(record, release, verdict, ctx, ctx.config.service);
  const why = `not promoted: ${holds.map((h) => h.reason).join('; ')}`;
  if (by === 'operator') return ignore(record, why);
  return {
    record: { ...record, release },
    commands: [
      publish({
        type: 'release.verdict',
        ...eventBase(ctx.config.service, release, ctx.now, verdict),
        decision: 'hold',
      }),
    ],
    ignored: null,
    summary: `step ${release.step.index + 1} passed; ${why}`,
  };
}
