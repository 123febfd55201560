import { describe, expect, it } from 'vitest';
import { multinomial, seededRandom } from '../../local/sim/random.js';
import { latencyProbabilities } from '../../local/sim/scenarios.js';

// The simulator's samplers: seeded, and with the right first two moments on both sides of the
// binomial's switch from sequential inversion (n·p below 10) to @stdlib's binomial quantile.
describe('simulator random draws', () => {
  const moments = (draw: () => number, runs: number) => {
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < runs; i++) {
      const x = draw();
      sum += x;
      squares += x * x;
    }
    const mean = sum / runs;
    return { mean, variance: squares / runs - mean * mean };
  };

  it.each([
    [3000, 0.001], // mean 3: inversion
    [3000, 0.999], // mean 2997: inversion by symmetry
    [40, 0.2], // mean 8: inversion
    [300, 0.5], // mean 150: quantile inversion
    // where @stdlib/random-base-binomial 0.2.2 draws ~0.5 too high (its BTRD loops start early)
    [270, 0.12],
    [40, 0.5],
    [60, 0.4],
    [3000, 0.3],
  ])('Binomial(%d, %d) has mean n·p and variance n·p·(1 − p)', (n, p) => {
    const r = seededRandom(7);
    const { mean, variance } = moments(() => r.binomial(n, p), 20_000);
    const v = n * p * (1 - p);
    // 20 000 draws: the mean's standard error is √(v / 20 000); allow 5 of them
    expect(Math.abs(mean - n * p)).toBeLessThan(5 * Math.sqrt(v / 20_000));
    expect(variance / v).toBeGreaterThan(0.9);
    expect(variance / v).toBeLessThan(1.1);
  });

  it('replays a seed exactly, and a multinomial keeps every draw', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    const probs = [0.5, 0.3, 0.15, 0.05];
    const x = multinomial(a, 3000, probs);
    expect(multinomial(b, 3000, probs)).toEqual(x);
    expect(x.reduce((s, c) => s + c, 0)).toBe(3000);
  });

  it('a multinomial over the latency buckets keeps the tail’s share (the p95 depends on it)', () => {
    // Cloud Run's buckets of a lognormal with p95 100 ms, σ 1: the buckets above ~79 ms hold
    // 7.7 % of requests; 20 000 minutes of 270 requests give each share to ~0.1 % of itself.
    const probs = latencyProbabilities({ rps: 5, baseline5xx: 0.005, sigma: 1, p95Ms: 100 });
    const r = seededRandom(9);
    const sums = new Array<number>(probs.length).fill(0);
    const minutes = 20_000;
    for (let i = 0; i < minutes; i++) multinomial(r, 270, probs).forEach((c, k) => (sums[k]! += c));
    const tail = (xs: readonly number[], total: number) =>
      xs.slice(14).reduce((a, b) => a + b, 0) / total;
    const expected = tail(probs, 1);
    const draws = minutes * 270;
    // binomial standard error of the share over 5.4 M draws; allow 5 of them
    const se = Math.sqrt((expected * (1 - expected)) / draws);
    expect(Math.abs(tail(sums, draws) - expected)).toBeLessThan(5 * se);
  });
});
