import { z } from 'zod';

const Timestamp = z.iso.datetime({ offset: true });

const EffectBase = z.object({
  /** Deterministic: `<release id>.<seq>`; a published event carries it as its `id`. */
  id: z.string().min(1),
  /** The invocation that wrote it: it carries out its own effects at once, right after the write. */
  owner: z.string().min(1),
  /** From then on any invocation may carry it out: its writer is presumed gone (crashed, timed out). */
  dueAt: Timestamp,
  /** Failed attempts so far, and the last error with what to do about it. */
  attempts: z.number().int().nonnegative().default(0),
  lastError: z.string().nullable().default(null),
});

/** A side effect a decision requires, written into the record with the decision. */
export const Effect = z.discriminatedUnion('kind', [
  /**
   * A deployment event. Kept loose here (events.ts imports this module's neighbours, so importing
   * it back would be a cycle); the outbox drain parses it with DeploymentEvent before publishing.
   */
  EffectBase.extend({
    kind: z.literal('publish'),
    event: z.looseObject({ type: z.string().min(1), id: z.string().optional() }),
  }),
  /** Points `tag` at the image `image` names (`repo@sha256:…`, or `repo:tag` to be resolved). */
  EffectBase.extend({ kind: z.literal('tag-image'), image: z.string().min(1), tag: z.string() }),
]);
export type Effect = z.infer<typeof Effect>;

/** Side effects still owed, and the sequence that numbers the next one. */
export const Outbox = z.object({
  seq: z.number().int().nonnegative(),
  owed: z.array(Effect),
});
export type Outbox = z.infer<typeof Outbox>;
export const EMPTY_OUTBOX: Outbox = { seq: 0, owed: [] };

/**
 * What the record remembers of its inputs, so a redelivery changes it at most once: the newest
 * tick slot it acted on, and the ids of the recent deliveries (Pub/Sub message ids, incident ids)
 * that changed it, newest first.
 */
export const Inputs = z.object({
  lastTick: Timestamp.nullable(),
  seen: z.array(z.string().min(1)),
});
export type Inputs = z.infer<typeof Inputs>;
export const NO_INPUTS: Inputs = { lastTick: null, seen: [] };
export const SEEN_LIMIT = 20;
