import { z } from 'zod';

// A step's verdict as the record keeps it and the events carry it: each check's evidence
// (release.ts re-exports these for the record's importers).

const Timestamp = z.iso.datetime({ offset: true });

export const CheckName = z.enum([
  'error-rate',
  'p95-latency',
  'prediction-drift',
  // The shadow replay's paired checks (shared/domain/shadow).
  'shadow-error-rate',
  'shadow-latency',
  'shadow-prediction-mean',
  'shadow-decision-flips',
  'shadow-distribution',
]);
export type CheckName = z.infer<typeof CheckName>;
export const Outcome = z.enum(['pass', 'fail', 'inconclusive']);
export type Outcome = z.infer<typeof Outcome>;

/** One check of one tick: what was observed, against what, and why it came out as it did. */
export const CheckResult = z.object({
  check: CheckName,
  outcome: Outcome,
  /** Green's value (rate, ms, mean prediction), or null when there was no data. */
  observed: z.number().nullable(),
  /** Blue's value where the check compares against it. */
  baseline: z.number().nullable(),
  /** The limit green had to stay within. */
  limit: z.number().nullable(),
  /** The sample behind the check: green's requests, or green's predictions for drift. */
  samples: z.number().int().nonnegative(),
  critical: z.boolean().default(false),
  /**
   * The two one-sided bounds the look decided on: `lower` against the fail boundary, `upper`
   * against the pass boundary, each the tighter of the exact per-look bound and the always-valid
   * confidence-sequence bound (stats/sequence.ts). Units: the 5xx rate; for latency the share of
   * green above the fail / pass thresholds; for drift green mean − blue mean. Null when the check
   * could not be tested (no data, too few samples).
   */
  interval: z.object({ lower: z.number(), upper: z.number() }).nullable().default(null),
  /** The boundary crossed, in words with its numbers ("fail: lower bound 2.41% > limit 2.00%"), or null. */
  boundary: z.string().nullable().default(null),
  /** Samples this check is projected to need for a decision at its current estimate, or null. */
  needed: z.number().nullable().default(null),
  /** False when the check is reported but does not hold the step (the 100% step without a blue baseline). */
  blocking: z.boolean().default(true),
  reason: z.string(),
});
export type CheckResult = z.infer<typeof CheckResult>;

/**
 * The split a step wrote beside the share of requests each side actually served over the verdict's
 * window (the metrics the tick read). They differ with session affinity, which keeps a user on the
 * revision they first reached; the checks judge what was served. Percent, 0..100.
 */
export const TrafficShares = z.object({
  written: z.object({ stable: z.number(), candidate: z.number() }),
  /** Null when either side's request count is no-data, or neither served a request. */
  served: z.object({ stable: z.number(), candidate: z.number() }).nullable(),
  requests: z.object({ stable: z.number().int(), candidate: z.number().int() }).nullable(),
});
export type TrafficShares = z.infer<typeof TrafficShares>;

export const Verdict = z.object({
  outcome: Outcome,
  critical: z.boolean(),
  checks: z.array(CheckResult),
  at: Timestamp,
  window: z.object({ start: Timestamp, end: Timestamp }),
  /** Which look this was, per side: fail the minute, pass the step's planned look (0: none). */
  looks: z
    .object({ fail: z.number().int().positive(), pass: z.number().int().nonnegative() })
    .default({ fail: 1, pass: 1 }),
  /** What a person should know or do: too little traffic, or stalled, with the numbers. */
  advice: z.string().nullable().default(null),
  /** Written split and served shares (absent on verdicts recorded before they were kept). */
  traffic: TrafficShares.optional(),
});
export type Verdict = z.infer<typeof Verdict>;
