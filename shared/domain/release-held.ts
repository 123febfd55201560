import type { Hold } from '../schemas/hold.js';
import type { HeldRequest, ServiceRecord } from '../schemas/release.js';
import { eventBase, publish } from './release-events.js';
import {
  activeRelease,
  type MachineContext,
  type ReleaseInput,
  type Transition,
} from './release-input.js';

/**
 * A person's rollback or pause that hit a permanent error (PERMISSION_DENIED…) is not dropped:
 * the record keeps it in `held`, the active release gets a hold (never promoted, and the tick
 * retries the request instead of judging, so it never moves on past it), and every tick retries
 * it until it is carried out. The first failure publishes release.held with the error and the fix.
 */
export type HeldInput = HeldRequest['request'];

/** The hold a held request puts on the active release. */
const holdId = (request: HeldInput) => `request:${request.type}`;

function describe(request: HeldInput): string {
  switch (request.type) {
    case 'rollback-traffic':
      return 'traffic rollback';
    case 'rollback-container':
      return `container rollback to ${request.tag}`;
    case 'pause':
      return 'pause';
    default: {
      const unreachable: never = request;
      throw new Error(`unhandled held request ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * Records that `request` by `requestedBy` failed with `error` (fix: `fix`). A request already held
 * counts one more attempt and keeps its hold; a new one holds the release and says so once.
 */
export function holdRequest(
  record: ServiceRecord,
  failure: { request: HeldInput; requestedBy: string; error: string; fix: string },
  ctx: MachineContext,
): Transition {
  const at = ctx.now.toISOString();
  const same = record.held?.request.type === failure.request.type ? record.held : null;
  const held: HeldRequest = same
    ? { ...same, attempts: same.attempts + 1, error: failure.error, fix: failure.fix }
    : { ...failure, since: at, attempts: 1 };
  const what = `${describe(failure.request)} by ${failure.requestedBy}`;
  if (same)
    return {
      record: { ...record, held },
      commands: [],
      ignored: null,
      summary: `${what} still cannot be carried out (attempt ${held.attempts}): ${failure.error}`,
    };
  const active = activeRelease(record);
  const hold: Hold = {
    id: holdId(failure.request),
    reason: `${what} could not be carried out (${failure.error}); ${failure.fix}`,
    since: at,
  };
  const release = active
    ? { ...active, holds: [...(active.holds ?? []).filter((h) => h.id !== hold.id), hold] }
    : record.release;
  return {
    record: { ...record, release, held },
    commands: release
      ? [
          publish({
            type: 'release.held',
            ...eventBase(ctx.config.service, release, ctx.now),
            request: failure.request.type,
            requestedBy: failure.requestedBy,
            error: failure.error,
            fix: failure.fix,
          }),
        ]
      : [],
    ignored: null,
    summary: `held: ${hold.reason}`,
  };
}

/** The input that carries out the held request again. */
export function heldInput(held: HeldRequest): ReleaseInput {
  const by = held.requestedBy;
  switch (held.request.type) {
    case 'rollback-traffic':
      return { type: 'rollback-traffic', requestedBy: by, reason: held.request.reason };
    case 'rollback-container': {
      const { type, ...rest } = held.request;
      return { type, ...rest, requestedBy: by };
    }
    case 'pause':
      return { type: 'pause', requestedBy: by };
    default: {
      const unreachable: never = held.request;
      throw new Error(`unhandled held request ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * After a transition that applied: a held request is settled when the same request was carried
 * out, or (a rollback or pause of the release) when the release it held ended. Its hold goes.
 */
export function settleHeld(
  before: ServiceRecord,
  input: ReleaseInput,
  result: Transition,
): Transition {
  const held = result.record.held ?? null;
  if (!held || result.ignored !== null || !before.held) return result;
  const done =
    input.type === held.request.type ||
    (held.request.type !== 'rollback-container' && !activeRelease(result.record));
  if (!done) return result;
  return { ...result, record: letGo(result.record) };
}

/** The record without its held request and the hold that request put on the active release. */
export function letGo(record: ServiceRecord): ServiceRecord {
  const active = activeRelease(record);
  const id = record.held ? holdId(record.held.request) : null;
  const release = active?.holds?.some((h) => h.id === id)
    ? { ...active, holds: active.holds.filter((h) => h.id !== id) }
    : record.release;
  return { ...record, release, held: null };
}
