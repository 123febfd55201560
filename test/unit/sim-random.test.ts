import { describe, expect, it } from 'vitest';
import { multinomial, seededRandom } from '../../local/sim/random.js';

// The simulator's samplers: seeded, and with the right first two moments where the binomial
// switches from @stdlib's sampler to CDF inversion (n·p below 10).
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
    [300, 0.5], // mean 150: @stdlib
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
});
