/**
 * Always-valid one-sided tests: mixtures of likelihood ratios (test martingales). A step is
 * judged every minute for as long as it lasts; the per-look spending of looks.ts pays for that
 * with a bar that rises with every look (z ≈ 3.5 at look 20 for α = 0.1), so a long step — a
 * release at the limit, or a quiet service — would need many times the data a single test does.
 * A test martingale needs no look count at all: M_n is a nonnegative supermartingale under the
 * null, so by Ville's inequality P(M_n ≥ 1/α for SOME n) ≤ α, however often it is looked at,
 * across steps and traffic changes (Howard, Ramdas, McAuliffe & Sekhon, "Time-uniform,
 * nonparametric, nonasymptotic confidence sequences", Ann. Statist. 2021; Ramdas et al.,
 * "Game-theoretic statistics and safe anytime-valid inference", Statist. Sci. 2023).
 *
 * M_n is the average of the likelihood ratios of a few alternatives on the far side of the null's
 * boundary, equally weighted: a discrete prior, so the mixture is exact (no integral to
 * approximate) and costs ln(number of alternatives) nats over the best single one. Each ratio is
 * a supermartingale under every value on the null's side (its expected factor per observation
 * is ≤ 1 there, = 1 at the boundary), so the average is too.
 */

/** Alternatives on the log-odds scale, as distances from the boundary: ×1.16 … ×10 in odds. */
export const LOG_ODDS_SHIFTS = [0.15, 0.3, 0.5, 0.9, 1.6, 2.3];
/** Gaussian alternatives, in units of the caller's scale (the margin the test is about). */
export const MEAN_SHIFTS = [0.15, 0.3, 0.5, 1, 2];

export const EDGE = 1e-12;

/**
 * ln M_n for a binomial proportion p after x successes in n trials (x may be fractional: a count
 * interpolated in a histogram bucket), against the null p ≤ p0 (`above`: evidence p > p0) or
 * p ≥ p0 (`below`: evidence p < p0). 0 with no trials; −∞ when the evidence side is empty
 * (p0 = 1 above, p0 = 0 below).
 */
export function proportionEvidence(
  x: number,
  n: number,
  p0: number,
  side: 'above' | 'below',
): number {
  if (n <= 0) return 0;
  if ((side === 'above' && p0 >= 1) || (side === 'below' && p0 <= 0)) return -Infinity;
  const q0 = Math.min(1 - EDGE, Math.max(EDGE, p0));
  const k = Math.min(n, Math.max(0, x));
  const logit0 = Math.log(q0 / (1 - q0));
  const sign = side === 'above' ? 1 : -1;
  const logs = LOG_ODDS_SHIFTS.map((shift) => {
    const p = 1 / (1 + Math.exp(-(logit0 + sign * shift)));
    return k * Math.log(p / q0) + (n - k) * Math.log((1 - p) / (1 - q0));
  });
  return logMeanExp(logs);
}

/**
 * ln M for a contrast c estimated at `estimate` with standard error `se`, against the null
 * c ≤ 0 (`above`: evidence c > 0) or c ≥ 0 (`below`). Gaussian alternatives at `scale` × the
 * shifts: the ratio for an alternative δ is exp((δ·ĉ − δ²/2)/se²), a martingale in the
 * information 1/se² when ĉ is normal with known se. With se estimated (Welch) and unequal
 * group sizes it is approximate, as the t test it sits beside is.
 */
export function meanEvidence(
  estimate: number,
  se: number,
  scale: number,
  side: 'above' | 'below',
): number {
  if (!(se > 0) || !(scale > 0)) return 0;
  const c = side === 'above' ? estimate : -estimate;
  const info = 1 / (se * se);
  return logMeanExp(MEAN_SHIFTS.map((s) => (s * scale * c - (s * scale) ** 2 / 2) * info));
}

/**
 * Trials the binomial mixture is projected to need before it reaches ln(1/α), with the rate
 * staying at `estimate`: ln M grows by about KL(estimate ‖ p0) a trial (the expected log ratio of
 * the alternative nearest the truth), less the ln(number of alternatives) the mixture pays.
 * Infinity on the wrong side of p0 or without α.
 */
export function proportionSampleNeeded(
  n: number,
  estimate: number,
  p0: number,
  side: 'above' | 'below',
  alpha: number | undefined,
): number {
  const d = side === 'above' ? estimate - p0 : p0 - estimate;
  if (!(d > 0) || alpha === undefined || !(alpha > 0) || p0 <= 0 || p0 >= 1) return Infinity;
  const q = Math.min(1 - EDGE, Math.max(EDGE, estimate));
  const kl = q * Math.log(q / p0) + (1 - q) * Math.log((1 - q) / (1 - p0));
  const bar = Math.log(1 / alpha) + Math.log(LOG_ODDS_SHIFTS.length);
  return Math.max(n, Math.ceil(bar / kl));
}

/**
 * Samples the Gaussian mixture is projected to need, from n samples whose contrast sits at
 * `estimate` (se `se`): ln M reaches about c²·I/2 − ln(number of alternatives) at information I,
 * and I grows with n. Infinity on the wrong side of 0 or without α.
 */
export function meanSampleNeeded(
  n: number,
  estimate: number,
  se: number,
  side: 'above' | 'below',
  alpha: number | undefined,
): number {
  const c = side === 'above' ? estimate : -estimate;
  if (!(c > 0) || !(se > 0) || n <= 0 || alpha === undefined || !(alpha > 0)) return Infinity;
  const bar = Math.log(1 / alpha) + Math.log(MEAN_SHIFTS.length);
  return Math.max(n, Math.ceil((n * 2 * bar * se * se) / (c * c)));
}

/** Whether ln M has reached ln(1/α). */
export function crosses(logEvidence: number, alpha: number): boolean {
  return alpha > 0 && logEvidence >= Math.log(1 / alpha);
}

function logMeanExp(logs: number[]): number {
  const max = Math.max(...logs);
  if (!Number.isFinite(max)) return max;
  const sum = logs.reduce((acc, l) => acc + Math.exp(l - max), 0);
  return max + Math.log(sum / logs.length);
}
