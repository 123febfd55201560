import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';

/**
 * Exact (Clopper–Pearson) one-sided bounds on a binomial proportion from x successes in n
 * trials, through the beta quantile (@stdlib): P(p ≤ upper) ≥ 1 − α and P(p ≥ lower) ≥ 1 − α.
 * Exact at every n, including 0 (nothing known: [0, 1]) and 1. A fractional x (a count
 * interpolated inside a histogram bucket) uses the beta function's continuous extension.
 */
export function proportionUpper(x: number, n: number, alpha: number): number {
  if (n <= 0 || x >= n) return 1;
  return betaQuantile(1 - alpha, Math.max(0, x) + 1, n - Math.max(0, x));
}

export function proportionLower(x: number, n: number, alpha: number): number {
  if (n <= 0 || x <= 0) return 0;
  return betaQuantile(alpha, Math.min(x, n), n - Math.min(x, n) + 1);
}

/** P(X ≥ x) for X ~ Binomial(n, p): the p-value of "more than p" after x successes. */
export function binomialAtLeast(x: number, n: number, p: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  return 1 - binomialCdf(x - 1, n, p);
}

/** P(X ≤ x) for X ~ Binomial(n, p): the p-value of "less than p" after x successes. */
export function binomialAtMost(x: number, n: number, p: number): number {
  if (x < 0) return 0;
  if (x >= n) return 1;
  return binomialCdf(x, n, p);
}
