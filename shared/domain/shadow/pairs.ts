import type { ProbeResult } from '../smoke.js';
import type { LoggedRequest } from './log-lines.js';

/** One logged request sent to both tag URLs at the same moment, with both answers. */
export interface ReplayPair {
  request: LoggedRequest;
  blue: ProbeResult;
  green: ProbeResult;
}

/** A 5xx or no answer at all (refused, timed out): what the error checks count. */
export function failed(probe: ProbeResult): boolean {
  return probe.status === null || probe.status >= 500;
}

/** The score in a 2xx JSON answer's `field`, or null. */
export function scoreOf(probe: ProbeResult, field: string): number | null {
  if (probe.status === null || probe.status < 200 || probe.status >= 300) return null;
  const json = probe.json;
  if (typeof json !== 'object' || json === null) return null;
  const value = (json as Record<string, unknown>)[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The pairs where both colors answered with a score: [blue, green] scores. */
export function scoredPairs(pairs: readonly ReplayPair[], field: string): Array<[number, number]> {
  return pairs.flatMap((p) => {
    const b = scoreOf(p.blue, field);
    const g = scoreOf(p.green, field);
    return b === null || g === null ? [] : [[b, g] as [number, number]];
  });
}

/**
 * Two-sample Kolmogorov–Smirnov distance: the largest gap between the empirical CDFs of `a`
 * and `b` (0 = same distribution of values, 1 = no overlap). Both must be non-empty.
 */
export function ksDistance(a: readonly number[], b: readonly number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= v) i += 1;
    while (j < y.length && y[j]! <= v) j += 1;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * The Dvoretzky–Kiefer–Wolfowitz–Massart half-width: with probability ≥ 1 − α an empirical
 * CDF of n values is within this of the true CDF everywhere, ε = √(ln(2/α) / 2n). A closed
 * form (Massart 1990's tight constant), so no series is summed here.
 */
export function dkwHalfWidth(n: number, alpha: number): number {
  return Math.sqrt(Math.log(2 / alpha) / (2 * n));
}
