import binomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';

/**
 * Distribution-free one-sided confidence bounds on the q-quantile ξ of a population from n
 * samples, as order-statistic ranks: P(X(lower) ≤ ξ) ≥ 1 − α and P(X(upper) ≥ ξ) ≥ 1 − α, since
 * P(X(r) ≤ ξ) = P(Binomial(n, q) ≥ r). A rank of null means no bound exists at this n (too few
 * samples): the bound is −∞ (lower) or +∞ (upper). Binomial quantiles from @stdlib.
 */
export function quantileRankBounds(
  n: number,
  q: number,
  alpha: number,
): { lower: number | null; upper: number | null } {
  if (n <= 0) return { lower: null, upper: null };
  const lo = binomialQuantile(alpha, n, q);
  const hi = binomialQuantile(1 - alpha, n, q) + 1;
  return { lower: lo >= 1 ? lo : null, upper: hi <= n ? hi : null };
}
