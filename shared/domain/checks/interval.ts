import { proportionSequenceLower, proportionSequenceUpper } from '../stats/index.js';
import type { LookAlphas } from './check-result.js';

/**
 * The bounds a proportion's two one-sided tests decided on. A side crosses when its exact bound
 * at this look's α does, or its mixture does (LookAlphas); the mixture crosses exactly when its
 * confidence-sequence bound (stats/sequence.ts) is past the boundary. So the tighter of the two
 * bounds is the one the decision used, and the one a check records: `failSideLower` at the fail
 * side's α, `passSideUpper` at the pass side's (x may be fractional, as in proportionLower).
 */
export function failSideLower(exact: number, x: number, n: number, alpha: LookAlphas): number {
  return alpha.always ? Math.max(exact, proportionSequenceLower(x, n, alpha.always.fail)) : exact;
}

export function passSideUpper(exact: number, x: number, n: number, alpha: LookAlphas): number {
  return alpha.always ? Math.min(exact, proportionSequenceUpper(x, n, alpha.always.pass)) : exact;
}
