import type { CheckResult } from '../../schemas/release.js';
import { crosses } from '../stats/index.js';

/**
 * The alphas of one look, per side: `fail` bounds the chance that a green at the limit fails,
 * `pass` the chance that a clearly bad green passes. Each side crosses when either of two tests
 * does: the exact test at this look's share of its α (stats/looks.ts), or the always-valid
 * mixture test (stats/mixture.ts) at `always`, a fixed share valid over every look. By the union
 * bound the chance of a wrong crossing is at most the sum. `always` absent: the exact tests only.
 */
export interface LookAlphas {
  fail: number;
  pass: number;
  always?: { fail: number; pass: number };
  /**
   * False when this tick is no planned pass look (stats/planned-looks.ts): the exact pass test
   * does not decide, and `pass` is the α of the next look, for projections. Absent: it decides.
   */
  exactPass?: boolean;
}

/** The exact pass bound when it may decide this tick, else `none` (the bound that knows nothing). */
export function decisive(bound: number, alpha: LookAlphas, none: number): number {
  return alpha.exactPass === false ? none : bound;
}

/** How a side crossed, for the reader: the exact bound, the mixture's evidence, or not at all. */
export function crossing(
  exact: boolean,
  evidence: number,
  alpha: number | undefined,
): { crossed: boolean; by: string | null } {
  if (exact) return { crossed: true, by: null };
  if (alpha !== undefined && crosses(evidence, alpha))
    return {
      crossed: true,
      by: `always-valid evidence ${evidenceText(evidence)} ≥ ${count(1 / alpha)} (1/α ${num(alpha)})`,
    };
  return { crossed: false, by: null };
}

/** e^ln M, readable: "×12.3", or "×1.2e+7". */
export function evidenceText(logEvidence: number): string {
  const m = Math.exp(logEvidence);
  return `×${m >= 1e6 ? m.toExponential(1) : decimals.format(Math.round(m * 10) / 10)}`;
}

export type CheckBase = Pick<CheckResult, 'check' | 'limit' | 'baseline'>;

/** A check's result; unset evidence fields default to "none". */
export function result(
  base: CheckBase,
  outcome: CheckResult['outcome'],
  fields: {
    [K in Exclude<keyof CheckResult, 'check' | 'outcome' | 'limit' | 'baseline'>]?: CheckResult[K];
  } & { reason: string },
): CheckResult {
  return {
    ...base,
    outcome,
    observed: null,
    samples: 0,
    critical: false,
    interval: null,
    boundary: null,
    needed: null,
    blocking: true,
    ...fields,
  };
}

/**
 * Samples a one-sided bound is projected to need before it crosses `boundary`, from n samples
 * whose estimate sits at `estimate` with its bound at `bound`: the bound's distance from the
 * estimate shrinks like 1/√n, so it needs n·(h/d)² with h = |bound − estimate| and d the
 * estimate's distance past the boundary. Infinity when the estimate is on the wrong side.
 */
export function projectedSample(
  n: number,
  estimate: number,
  bound: number,
  boundary: number,
  direction: 'below' | 'above',
): number {
  const d = direction === 'below' ? boundary - estimate : estimate - boundary;
  if (!(d > 0) || n <= 0) return Infinity;
  const h = Math.abs(bound - estimate);
  return Math.max(n, Math.ceil(n * (h / d) ** 2));
}

/** The smaller of two projections, or null when neither side can be reached at this estimate. */
export function needed(a: number, b: number): number | null {
  const n = Math.min(a, b);
  return Number.isFinite(n) ? n : null;
}

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
export const count = (n: number): string => counts.format(n);
export const num = (n: number): string => decimals.format(n);
export const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;
export const ms = (n: number): string => `${decimals.format(Math.round(n * 10) / 10)} ms`;
export const conf = (alpha: number): string => `${Number(((1 - alpha) * 100).toPrecision(4))}%`;
