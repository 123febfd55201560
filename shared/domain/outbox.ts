import { EMPTY_OUTBOX, type Effect, type Outbox } from '../schemas/outbox.js';
import type { ServiceRecord } from '../schemas/release.js';
import type { Command } from './commands.js';

/** More owed effects than this and the oldest verdict events (informational) are dropped. */
export const OUTBOX_LIMIT = 8;

/** Who writes the effects and from when another invocation may carry them out instead. */
export interface Writer {
  owner: string;
  dueAt: Date;
}

/**
 * Writes a decision's side effects (publishes, image tags) into the record's outbox, so they
 * are persisted by the same write as the decision and carried out after it. Ids are
 * `<release id>.<seq>`: deterministic for the record that was read, and every re-publish of an
 * event carries the same id.
 */
export function enqueue(record: ServiceRecord, commands: Command[], writer: Writer): ServiceRecord {
  const outbox = record.outbox ?? EMPTY_OUTBOX;
  const prefix = record.release?.id ?? 'service';
  let seq = outbox.seq;
  const added: Effect[] = [];
  const base = () => {
    seq += 1;
    const id = `${prefix}.${seq}`;
    return {
      id,
      owner: writer.owner,
      dueAt: writer.dueAt.toISOString(),
      attempts: 0,
      lastError: null,
    };
  };
  for (const command of commands) {
    if (command.kind === 'publish') {
      const b = base();
      added.push({ ...b, kind: 'publish', event: { ...command.event, id: b.id } });
    } else if (command.kind === 'tag-image') {
      added.push({ ...base(), kind: 'tag-image', image: command.image, tag: command.tag });
    }
  }
  if (added.length === 0) return record;
  return { ...record, outbox: { seq, owed: bounded([...outbox.owed, ...added]) } };
}

/** Keeps the outbox within OUTBOX_LIMIT by dropping the oldest `release.verdict` events first. */
function bounded(owed: Effect[]): Effect[] {
  const out = [...owed];
  while (out.length > OUTBOX_LIMIT) {
    const i = out.findIndex((e) => e.kind === 'publish' && e.event.type === 'release.verdict');
    if (i < 0) break;
    out.splice(i, 1);
  }
  return out;
}

/** The effects an invocation may carry out now: those it wrote, and those past their due time. */
export function dueEffects(outbox: Outbox | undefined, owner: string, now: Date): Effect[] {
  return (outbox?.owed ?? []).filter(
    (e) => e.owner === owner || Date.parse(e.dueAt) <= now.getTime(),
  );
}

/** What carrying out some effects came to: ids done, and failures with what to do about them. */
export interface Settlement {
  done: string[];
  failed: Array<{ id: string; error: string }>;
}

/**
 * Clears done effects and counts failures, by id: it applies as well to a record re-read after a
 * conflict (another writer may have settled or added effects meanwhile).
 */
export function settle(record: ServiceRecord, result: Settlement): ServiceRecord {
  const outbox = record.outbox ?? EMPTY_OUTBOX;
  const failed = new Map(result.failed.map((f) => [f.id, f.error]));
  const owed = outbox.owed
    .filter((e) => !result.done.includes(e.id))
    .map((e) => {
      const error = failed.get(e.id);
      return error === undefined ? e : { ...e, attempts: e.attempts + 1, lastError: error };
    });
  return { ...record, outbox: { seq: outbox.seq, owed } };
}

/** True when the settlement changes the record (something was done or failed). */
export function settles(result: Settlement): boolean {
  return result.done.length > 0 || result.failed.length > 0;
}
