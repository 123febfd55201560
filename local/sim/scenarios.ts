import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import { finiteBuckets, lowerBound, upperBound } from '../../shared/domain/histogram.js';
import type { Thresholds } from '../../shared/schemas/config.js';
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

/** Which of issue 10's scenarios a row is: stable across thresholds, unlike its name. */
/** Every scenario's kind, in the order scenariosFor returns them. */
export const SCENARIO_KINDS = [
  'aa',
  'good',
  'at-limit',
  'bad-p95-scaled',
  'bad-p95-tail',
  'bad-5xx',
  'bad-drift',
  'gross-p95',
  'gross-5xx',
  'gross-drift',
] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export interface Scenario {
  kind: ScenarioKind;
  name: string;
  change: Change;
  expect: Expectation;
}

/**
 * The scenarios (issue 10 "Targets") at a service's thresholds, for a cell (blue's p95):
 * - good: half of each limit (p95 +5 %, 5xx 1 %, drift +10 %);
 * - at limit: each limit itself — must promote;
 * - clearly bad: each clearly-bad margin (p95 scaled or tail only, 5xx 3 %, drift +25 %);
 * - gross: twice the clearly-bad p95 margin (+50 %), twice the drift limit (+40 %), and 5xx at
 *   1.25 × the critical level (max5xxRate × criticalMultiple: 10 %), which rolls back at once.
 * The p95 limits are blue × (1 + margin) + p95SlackMs, so the latency scenarios sit exactly there:
 * at blue p95 100 ms the 5 ms slack adds 5 points (at limit +15 %, clearly bad +30 %, gross +55 %).
 * Without it a "+25 %" green would be short of the clearly-bad margin and may rightly pass.
 */
export function scenariosFor(t: Thresholds, cell: Pick<Cell, 'p95Ms'>): Scenario[] {
  const p = (x: number) => `${Number((x * 100).toPrecision(3))}%`;
  const slack = t.p95SlackMs / cell.p95Ms;
  const good = {
    latency: 1 + t.p95Tolerance / 2,
    errors: t.max5xxRate / 2,
    drift: t.maxPredictionDrift / 2,
  };
  const bad = t.clearlyBad;
  const badP95 = bad.p95Increase + slack;
  const grossP95 = 2 * bad.p95Increase + slack;
  const limitP95 = t.p95Tolerance + slack;
  const gross5xx = Math.min(1, 1.25 * t.max5xxRate * t.criticalMultiple);
  return [
    { kind: 'aa', name: 'A/A', change: SAME, expect: 'promote' },
    {
      kind: 'good',
      name: `good (p95 +${p(good.latency - 1)}, 5xx ${p(good.errors)}, drift +${p(good.drift)})`,
      change: { ...SAME, latencyScale: good.latency, errorRate: good.errors, drift: good.drift },
      expect: 'promote',
    },
    {
      kind: 'at-limit',
      name: `at limit (p95 +${p(limitP95)}, 5xx ${p(t.max5xxRate)}, drift +${p(t.maxPredictionDrift)})`,
      change: {
        ...SAME,
        latencyScale: 1 + limitP95,
        errorRate: t.max5xxRate,
        drift: t.maxPredictionDrift,
      },
      expect: 'promote',
    },
    {
      kind: 'bad-p95-scaled',
      name: `bad p95 +${p(badP95)} (scaled)`,
      change: { ...SAME, latencyScale: 1 + badP95 },
      expect: 'roll back',
    },
    {
      kind: 'bad-p95-tail',
      name: `bad p95 +${p(badP95)} (tail only)`,
      change: { ...SAME, tailScale: 1 + badP95 },
      expect: 'roll back',
    },
    {
      kind: 'bad-5xx',
      name: `bad 5xx ${p(bad.max5xxRate)}`,
      change: { ...SAME, errorRate: bad.max5xxRate },
      expect: 'roll back',
    },
    {
      kind: 'bad-drift',
      name: `bad drift +${p(bad.predictionDrift)}`,
      change: { ...SAME, drift: bad.predictionDrift },
      expect: 'roll back',
    },
    {
      kind: 'gross-p95',
      name: `gross p95 +${p(grossP95)}`,
      change: { ...SAME, latencyScale: 1 + grossP95 },
      expect: 'roll back',
    },
    {
      kind: 'gross-5xx',
      name: `gross 5xx ${p(gross5xx)}`,
      change: { ...SAME, errorRate: gross5xx },
      expect: 'roll back',
    },
    {
      kind: 'gross-drift',
      name: `gross drift +${p(2 * t.maxPredictionDrift)}`,
      change: { ...SAME, drift: 2 * t.maxPredictionDrift },
      expect: 'roll back',
    },
  ];
}

/** z of a standard normal's 95th and 90th percentiles. */
const Z95 = 1.6448536269514722;
const Z90 = 1.2815515655446004;

/**
 * P(latency ≤ x) of a lognormal latency with blue's p95 and σ, with the change's whole-distribution
 * scale and its tail-only scale applied: values above blue's p90 are multiplied by tailScale (a
 * monotone map, so green's p95 = blue's × tailScale).
 */
export function latencyCdf(cell: Cell, change: Change = SAME): (x: number) => number {
  const mu = Math.log(cell.p95Ms) - Z95 * cell.sigma + Math.log(change.latencyScale);
  const p90 = Math.exp(mu + Z90 * cell.sigma);
  const base = (x: number) =>
    x <= 0 ? 0 : x === Infinity ? 1 : normalCdf(Math.log(x), mu, cell.sigma);
  // P(green ≤ x): below p90 unchanged; above, x maps back to x / tailScale (not below p90).
  return (x) => (x < p90 ? base(x) : Math.max(base(p90), base(x / change.tailScale)));
}

/** Bucket probabilities (Cloud Run's layout) of `latencyCdf`. */
export function latencyProbabilities(cell: Cell, change: Change = SAME): number[] {
  const cdf = latencyCdf(cell, change);
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
