import beta from '@stdlib/random-base-beta';
import binomial from '@stdlib/random-base-binomial';
import mt19937 from '@stdlib/random-base-mt19937';
import normal from '@stdlib/random-base-normal';
import poisson from '@stdlib/random-base-poisson';

/** Seeded samplers on one Mersenne Twister (@stdlib), so a seed replays a whole run exactly. */
export interface Random {
  uniform(): number;
  poisson(mean: number): number;
  binomial(n: number, p: number): number;
  beta(a: number, b: number): number;
  normal(mean: number, sd: number): number;
}

export function seededRandom(seed: number): Random {
  // `normalized` (uniform on [0, 1)) exists at run time but is missing from the package's types.
  const twister = mt19937.factory({ seed: seed >>> 0 || 1 }) as unknown as {
    normalized: () => number;
  };
  const uniform = twister.normalized;
  const options = { prng: uniform };
  const p = poisson.factory(options);
  const bi = binomial.factory(options);
  const be = beta.factory(options);
  const no = normal.factory(options);
  return {
    uniform,
    poisson: (mean) => (mean > 0 ? p(mean) : 0),
    binomial: (n, prob) =>
      n <= 0 || prob <= 0
        ? 0
        : prob >= 1
          ? n
          : n * Math.min(prob, 1 - prob) < SMALL_MEAN
            ? inversion(uniform, n, prob)
            : bi(n, prob),
    beta: (a, b) => be(a, b),
    normal: (mean, sd) => no(mean, sd),
  };
}

/**
 * Below this mean @stdlib's binomial sums n Bernoulli draws (O(n): 3000 a bucket a minute at 50
 * requests/s, most of the simulator's time); inversion of the CDF costs O(mean) instead.
 */
const SMALL_MEAN = 10;

/** Binomial(n, p) by sequential inversion of its CDF (exact; p > ½ by symmetry). */
function inversion(uniform: () => number, n: number, p: number): number {
  if (p > 0.5) return n - inversion(uniform, n, 1 - p);
  const ratio = p / (1 - p);
  let pk = Math.exp(n * Math.log1p(-p));
  let cdf = pk;
  const u = uniform();
  let k = 0;
  while (u > cdf && k < n) {
    pk *= ((n - k) / (k + 1)) * ratio;
    k += 1;
    cdf += pk;
  }
  return k;
}

/** Multinomial counts of n draws over `probs` (which sum to 1), by conditional binomials. */
export function multinomial(r: Random, n: number, probs: readonly number[]): number[] {
  const counts = new Array<number>(probs.length).fill(0);
  let left = n;
  let mass = 1;
  for (let i = 0; i < probs.length && left > 0; i++) {
    const p = probs[i] ?? 0;
    if (p <= 0) continue;
    const k = i === probs.length - 1 || mass <= p ? left : r.binomial(left, Math.min(1, p / mass));
    counts[i] = k;
    left -= k;
    mass -= p;
  }
  return counts;
}
