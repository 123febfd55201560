import { EDGE, LOG_ODDS_SHIFTS, MEAN_SHIFTS } from './mixture.js';

/**
 * Confidence sequences: the bounds the always-valid mixture tests of mixture.ts imply, so that a
 * check's recorded interval is the one its decision used. The lower bound is the largest value
 * whose null the mixture rejects (sup{p0 : ln M_n(p0) ≥ ln(1/α)}); the set above it holds the
 * truth at every look with chance ≥ 1 − α (Howard et al. 2021, §3: inverting a family of test
 * martingales). Each ln M_n is decreasing in the null value for an "above" test, so the bound is
 * the root of one monotone function, found by Newton steps kept inside a bisection bracket.
 */

/** Lower confidence-sequence bound on a binomial p from x successes in n trials, at level α. */
export function proportionSequenceLower(x: number, n: number, alpha: number): number {
  if (n <= 0 || x <= 0 || !(alpha > 0)) return 0;
  const k = Math.min(n, x);
  const bar = Math.log(1 / alpha);
  // ln M and its derivative in θ = logit(p0); each ratio's derivative is n·(p0 − p_j).
  const f = (theta: number): [number, number] => {
    const q0 = sigmoid(theta);
    const terms = LOG_ODDS_SHIFTS.map((shift) => {
      const p = sigmoid(theta + shift);
      return {
        log: k * (Math.log(p) - Math.log(q0)) + (n - k) * (log1m(p) - log1m(q0)),
        slope: n * (q0 - p),
      };
    });
    const [value, slope] = meanOfExp(terms);
    return [value - bar, slope];
  };
  const lo = logit(EDGE);
  const hat = Math.min(1 - EDGE, k / n);
  const hi = logit(hat);
  if (f(lo)[0] < 0) return 0;
  // Start near the normal approximation of the bound: Newton then needs three or four steps.
  const width = Math.sqrt((2 * Math.log(LOG_ODDS_SHIFTS.length / alpha) * hat * (1 - hat)) / n);
  return sigmoid(decreasingRoot(f, lo, hi, logit(Math.max(EDGE, hat - width))));
}

/** Upper confidence-sequence bound on p: one minus the lower bound on 1 − p. */
export function proportionSequenceUpper(x: number, n: number, alpha: number): number {
  if (n <= 0 || !(alpha > 0)) return 1;
  return 1 - proportionSequenceLower(n - Math.min(n, Math.max(0, x)), n, alpha);
}

/**
 * Lower confidence-sequence bound on a contrast estimated at `estimate` with standard error
 * `se`, from the Gaussian mixture at `scale` (meanEvidence): sup{c0 : ln M(estimate − c0) ≥ ln(1/α)}.
 */
export function meanSequenceLower(
  estimate: number,
  se: number,
  scale: number,
  alpha: number,
): number {
  if (!(se > 0) || !(scale > 0) || !(alpha > 0)) return -Infinity;
  const bar = Math.log(1 / alpha);
  const info = 1 / (se * se);
  const f = (c0: number): [number, number] => {
    const terms = MEAN_SHIFTS.map((s) => {
      const a = s * scale;
      return { log: (a * (estimate - c0) - (a * a) / 2) * info, slope: -a * info };
    });
    const [value, slope] = meanOfExp(terms);
    return [value - bar, slope];
  };
  // ln M ≥ ln(1/α) where any one alternative a alone clears ln(K/α): left ends of the bracket.
  const lo = Math.max(
    ...MEAN_SHIFTS.map((s) => {
      const a = s * scale;
      return estimate - a / 2 - (Math.log(MEAN_SHIFTS.length / alpha) * se * se) / a;
    }),
  );
  return decreasingRoot(f, lo, estimate, lo);
}

/** Upper confidence-sequence bound on the contrast: minus the lower bound on its negation. */
export function meanSequenceUpper(
  estimate: number,
  se: number,
  scale: number,
  alpha: number,
): number {
  return -meanSequenceLower(-estimate, se, scale, alpha);
}

/** ln(mean of e^log) and its derivative, from each term's log and the log's derivative. */
function meanOfExp(terms: { log: number; slope: number }[]): [number, number] {
  const max = Math.max(...terms.map((t) => t.log));
  let sum = 0;
  let weighted = 0;
  for (const t of terms) {
    const w = Math.exp(t.log - max);
    sum += w;
    weighted += w * t.slope;
  }
  return [max + Math.log(sum / terms.length), weighted / sum];
}

/**
 * The root of a decreasing f on [lo, hi] (f(lo) ≥ 0 ≥ f(hi)): Newton, bisecting when a step
 * leaves the bracket. Ends on the side where f ≥ 0 (the null rejected), so the bound is valid.
 */
function decreasingRoot(
  f: (x: number) => [number, number],
  lo: number,
  hi: number,
  start = (lo + hi) / 2,
): number {
  let a = lo;
  let b = hi;
  let x = start > lo && start < hi ? start : (lo + hi) / 2;
  for (let i = 0; i < 60; i++) {
    const [value, slope] = f(x);
    if (value >= 0) a = x;
    else b = x;
    const tolerance = 1e-10 * Math.max(1, Math.abs(x));
    if (b - a <= tolerance) break;
    const newton = slope < 0 ? x - value / slope : NaN;
    if (Math.abs(newton - x) <= tolerance) return value >= 0 ? x : Math.max(a, newton);
    x = newton > a && newton < b ? newton : (a + b) / 2;
  }
  return a;
}

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
const logit = (p: number) => Math.log(p / (1 - p));
const log1m = (p: number) => Math.log1p(-p);
