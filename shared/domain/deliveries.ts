import { NO_INPUTS, SEEN_LIMIT } from '../schemas/outbox.js';
import type { ServiceRecord } from '../schemas/release.js';

/**
 * What identifies one input across its redeliveries: a scheduler tick by its time slot, any other
 * message by its id (Pub/Sub message id, incident id). Pub/Sub delivers at least once; a delivery
 * the record already acted on changes nothing.
 */
export type Delivery = { kind: 'tick'; slot: string } | { kind: 'message'; id: string };

/**
 * The slot of a tick published at `publishedAt` without one: the minute, which is Cloud
 * Scheduler's finest schedule (unix-cron), so two executions of one scheduled run share it.
 */
export function minuteSlot(publishedAt: Date): string {
  const ms = publishedAt.getTime();
  return new Date(ms - (ms % 60_000)).toISOString();
}

/** Why the record already acted on this delivery (or on a later tick), or null when it did not. */
export function alreadyActedOn(record: ServiceRecord, delivery: Delivery): string | null {
  const inputs = record.inputs ?? NO_INPUTS;
  if (delivery.kind === 'tick') {
    const last = inputs.lastTick;
    if (last !== null && Date.parse(delivery.slot) <= Date.parse(last))
      return `tick ${delivery.slot} is not newer than the last tick acted on (${last})`;
    return null;
  }
  return inputs.seen.includes(delivery.id) ? `delivery ${delivery.id} was already acted on` : null;
}

/** The record, remembering that it acted on this delivery. */
export function actedOn(record: ServiceRecord, delivery: Delivery): ServiceRecord {
  const inputs = record.inputs ?? NO_INPUTS;
  const next =
    delivery.kind === 'tick'
      ? { ...inputs, lastTick: delivery.slot }
      : {
          ...inputs,
          seen: [delivery.id, ...inputs.seen.filter((s) => s !== delivery.id)].slice(0, SEEN_LIMIT),
        };
  return { ...record, inputs: next };
}
