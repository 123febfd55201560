import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { finiteBuckets, lowerBound, upperBound } from '../../shared/domain/histogram.js';
import { CLOUD_RUN_LATENCY_LAYOUT } from './cloud-run-layout.js';

/** One simulated service: its traffic, and how blue (the stable) behaves. */
export interface Cell {
  /** Requests per second to the service, split between blue and green by the step. */
  rps: number;
  /** Blue's 5xx probability per request. */
  baseline5xx: number;
  /** Log-sd of the lognormal latency. */
  sigma: number;
  /** Blue's p95 latency (ms). */
  p95Ms: number;
}

/** How green differs from blue. */
export interface Change {
  /** Green latency = blue × this (the whole distribution). */
  latencyScale: number;
  /** Green latency above blue's p90 = × this (tail only; the median is unchanged). */
  tailScale: number;
  /** Green's 5xx probability, or null for blue's. */
  errorRate: number | null;
  /** Green's mean prediction = blue's × (1 + this). */
  drift: number;
}

const SAME: Change = { latencyScale: 1, tailScale: 1, errorRate: null, drift: 0 };

/** What a release should end as: the benchmark's columns are judged against this. */
export type Expectation = 'promote' | 'roll back' | 'either';

export interface Scenario {
  name: string;
  change: Change;
  expect: Expectation;
}

/** The scenarios (issue 10 "Targets"). */
export const SCENARIOS: Scenario[] = [
  { name: 'A/A', change: SAME, expect: 'promote' },
  {
    name: 'good (p95 +5%, 5xx 1%, drift +10%)',
    change: { ...SAME, latencyScale: 1.05, errorRate: 0.01, drift: 0.1 },
    expect: 'promote',
  },
  {
    name: 'at limit (p95 +10%, 5xx 2%, drift +20%)',
    change: { ...SAME, latencyScale: 1.1, errorRate: 0.02, drift: 0.2 },
    expect: 'promote',
  },
  { name: 'bad p95 +25% (scaled)', change: { ...SAME, latencyScale: 1.25 }, expect: 'roll back' },
  { name: 'bad p95 +25% (tail only)', change: { ...SAME, tailScale: 1.25 }, expect: 'roll back' },
  { name: 'bad 5xx 3%', change: { ...SAME, errorRate: 0.03 }, expect: 'roll back' },
  { name: 'bad drift +25%', change: { ...SAME, drift: 0.25 }, expect: 'roll back' },
  { name: 'gross p95 +50%', change: { ...SAME, latencyScale: 1.5 }, expect: 'roll back' },
  { name: 'gross 5xx 10%', change: { ...SAME, errorRate: 0.1 }, expect: 'roll back' },
  { name: 'gross drift +40%', change: { ...SAME, drift: 0.4 }, expect: 'roll back' },
];

/** z of a standard normal's 95th and 90th percentiles. */
const Z95 = 1.6448536269514722;
const Z90 = 1.2815515655446004;

/**
 * Bucket probabilities (Cloud Run's layout) of a lognormal latency with blue's p95 and σ, with the
 * change's whole-distribution scale and its tail-only scale applied: values above blue's p90 are
 * multiplied by tailScale (a monotone map, so green's p95 = blue's × tailScale).
 */
export function latencyProbabilities(cell: Cell, change: Change = SAME): number[] {
  const mu = Math.log(cell.p95Ms) - Z95 * cell.sigma + Math.log(change.latencyScale);
  const p90 = Math.exp(mu + Z90 * cell.sigma);
  const base = (x: number) =>
    x <= 0 ? 0 : x === Infinity ? 1 : normalCdf(Math.log(x), mu, cell.sigma);
  // P(green ≤ x): below p90 unchanged; above, x maps back to x / tailScale (not below p90).
  const cdf = (x: number) => (x < p90 ? base(x) : Math.max(base(p90), base(x / change.tailScale)));
  const layout = CLOUD_RUN_LATENCY_LAYOUT;
  const probs: number[] = [];
  for (let i = 0; i <= finiteBuckets(layout) + 1; i++)
    probs.push(cdf(upperBound(layout, i)) - cdf(i === 0 ? 0 : lowerBound(layout, i)));
  return probs;
}

/** Blue's predictions: Beta(2, 5) (mean 0.286); green keeps the concentration, shifts the mean. */
export function predictionShape(drift: number): { a: number; b: number } {
  const concentration = 7;
  const mean = (2 / concentration) * (1 + drift);
  return { a: mean * concentration, b: (1 - mean) * concentration };
}
