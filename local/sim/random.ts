import beta from '@stdlib/random-base-beta';
import mt19937 from '@stdlib/random-base-mt19937';
import normal from '@stdlib/random-base-normal';
import poisson from '@stdlib/random-base-poisson';
import gammaln from '@stdlib/math-base-special-gammaln';

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
            : fromMode(uniform, n, prob),
    beta: (a, b) => be(a, b),
    normal: (mean, sd) => no(mean, sd),
  };
}

/**
 * Binomial draws are inversions of the CDF, exact by construction: below this mean by sequential
 * search from 0 (O(mean)), above it by search outward from the mode (O(√(n·p·q))).
 * @stdlib/random-base-binomial 0.2.2 is NOT used: its BTRD sampler (sample2.js) starts both of
 * its ratio loops one index early (i = m and i = k instead of m + 1 and k + 1, Hörmann 1993 step
 * 3.1), which biases every draw with n·p ≥ 10 up by ~0.3–0.5. In a multinomial of latency buckets
 * by conditional binomials that moves mass from the tail to the body: the simulated p95 sat ~2 %
 * low at σ 1 (test/unit/sim-random.test.ts measures both).
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

/**
 * Binomial(n, p) by inversion over the support enumerated outward from the mode (m, m + 1,
 * m − 1, m + 2, …): subtracting each value's probability from one uniform draw until it is spent
 * is exact for any fixed order of the values, and this order spends it in O(standard deviation)
 * steps. P(m) from log-gamma (@stdlib); neighbours by the pmf's ratio recurrences.
 */
function fromMode(uniform: () => number, n: number, p: number): number {
  const q = 1 - p;
  const m = Math.min(n, Math.floor((n + 1) * p));
  const pm = Math.exp(
    gammaln(n + 1) - gammaln(m + 1) - gammaln(n - m + 1) + m * Math.log(p) + (n - m) * Math.log(q),
  );
  let u = uniform() - pm;
  if (u <= 0) return m;
  let up = m;
  let pUp = pm;
  let down = m;
  let pDown = pm;
  while (up < n || down > 0) {
    if (up < n) {
      pUp *= ((n - up) / (up + 1)) * (p / q);
      up += 1;
      u -= pUp;
      if (u <= 0) return up;
    }
    if (down > 0) {
      pDown *= (down / (n - down + 1)) * (q / p);
      down -= 1;
      u -= pDown;
      if (u <= 0) return down;
    }
  }
  return m; // the probabilities summed to just under the draw: rounding, at the mode
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
