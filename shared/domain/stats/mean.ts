import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import type { Moments } from '../measurement.js';

/** Moments of raw values (Welford), for sources and simulators that see every value. */
export function momentsOf(values: readonly number[]): Moments {
  let count = 0;
  let mean = 0;
  let ssd = 0;
  for (const v of values) {
    count += 1;
    const d = v - mean;
    mean += d / count;
    ssd += d * (v - mean);
  }
  return { count, mean, sumOfSquaredDeviation: ssd };
}

/** Pools moments (Chan et al.), as REDUCE_SUM pools distributions. */
export function mergeMoments(parts: readonly Moments[]): Moments {
  let acc: Moments = { count: 0, mean: 0, sumOfSquaredDeviation: 0 };
  for (const m of parts) {
    if (m.count <= 0) continue;
    const count = acc.count + m.count;
    const delta = m.mean - acc.mean;
    acc = {
      count,
      mean: acc.mean + (delta * m.count) / count,
      sumOfSquaredDeviation:
        acc.sumOfSquaredDeviation +
        m.sumOfSquaredDeviation +
        (delta * delta * acc.count * m.count) / count,
    };
  }
  return acc;
}

/** Sample variance (n − 1), or undefined below 2 values. */
export function variance(m: Moments): number | undefined {
  return m.count >= 2 ? Math.max(0, m.sumOfSquaredDeviation) / (m.count - 1) : undefined;
}

export interface Bounds {
  estimate: number;
  /** One-sided lower bound at 1 − α. */
  lower: number;
  /** One-sided upper bound at 1 − α. */
  upper: number;
  /** The estimate's standard error (0 when every value is the same). */
  se: number;
}

/**
 * One-sided Student-t bounds on μa − k·μb (k = 0: on μa alone), Welch–Satterthwaite degrees of
 * freedom, t quantile from @stdlib. Needs at least 2 values on each side that enters (k ≠ 0 for b);
 * undefined otherwise. Prediction scores are bounded, so the t approximation is good from ~30
 * values on (the configured minimum sample).
 */
export function contrastBounds(
  a: Moments,
  b: Moments | null,
  k: number,
  alpha: number,
): Bounds | undefined {
  const va = variance(a);
  const useB = b !== null && k !== 0;
  const vb = useB ? variance(b) : 0;
  if (va === undefined || vb === undefined) return undefined;
  const nb = useB ? b.count : 1;
  const ta = va / a.count;
  const tb = useB ? (k * k * vb) / nb : 0;
  const estimate = a.mean - (useB ? k * b.mean : 0);
  const se = Math.sqrt(ta + tb);
  if (se === 0) return { estimate, lower: estimate, upper: estimate, se };
  const df = useB
    ? (ta + tb) ** 2 / (ta ** 2 / (a.count - 1) + (tb > 0 ? tb ** 2 / (nb - 1) : 0))
    : a.count - 1;
  const t = tQuantile(1 - alpha, df);
  return { estimate, lower: estimate - t * se, upper: estimate + t * se, se };
}

/** One-sided t bounds on one mean. */
export function meanBounds(m: Moments, alpha: number): Bounds | undefined {
  return contrastBounds(m, null, 0, alpha);
}
