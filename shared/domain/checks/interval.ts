import {
  crosses,
  meanEvidence,
  meanSequenceLower,
  meanSequenceUpper,
  proportionEvidence,
  proportionSequenceLower,
  proportionSequenceUpper,
} from '../stats/index.js';
import type { LookAlphas } from './check-result.js';

/**
 * The bounds a check's two one-sided tests decided on. A side crosses when its exact bound at
 * this look's α does, or its mixture does (LookAlphas); the mixture crosses exactly when its
 * confidence-sequence bound (stats/sequence.ts) is past the boundary. So the tighter of the two
 * bounds is the one the decision used, and the one a check records. The sequence bound is sought
 * only when it is the tighter one — when the mixture already rejects the exact bound's value —
 * which on most looks costs one evaluation of the mixture instead of a root search.
 */

/** Lower bound on a proportion at the fail side's α (x may be fractional, as in proportionLower). */
export function failSideLower(exact: number, x: number, n: number, alpha: LookAlphas): number {
  const a = alpha.always?.fail;
  if (a === undefined || !crosses(proportionEvidence(x, n, exact, 'above'), a)) return exact;
  return Math.max(exact, proportionSequenceLower(x, n, a));
}

/** Upper bound on a proportion at the pass side's α. */
export function passSideUpper(exact: number, x: number, n: number, alpha: LookAlphas): number {
  const a = alpha.always?.pass;
  if (a === undefined || !crosses(proportionEvidence(x, n, exact, 'below'), a)) return exact;
  return Math.min(exact, proportionSequenceUpper(x, n, a));
}

/**
 * Bounds on a contrast (drift: green mean − blue mean) from its t bounds and the Gaussian
 * mixture at `scale`, both at α (the caller's share of the pass side).
 */
export function contrastInterval(
  t: { estimate: number; se: number; lower: number; upper: number },
  scale: number,
  alpha: number | undefined,
): { lower: number; upper: number } {
  if (alpha === undefined) return { lower: t.lower, upper: t.upper };
  const tighterLower = crosses(meanEvidence(t.estimate - t.lower, t.se, scale, 'above'), alpha);
  const tighterUpper = crosses(meanEvidence(t.estimate - t.upper, t.se, scale, 'below'), alpha);
  return {
    lower: tighterLower
      ? Math.max(t.lower, meanSequenceLower(t.estimate, t.se, scale, alpha))
      : t.lower,
    upper: tighterUpper
      ? Math.min(t.upper, meanSequenceUpper(t.estimate, t.se, scale, alpha))
      : t.upper,
  };
}
