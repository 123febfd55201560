import { countAbove, quantile, totalCount } from '../../shared/domain/histogram.js';
import type { Histogram } from '../../shared/domain/measurement.js';
import { effectiveSample, TAIL } from '../../shared/domain/checks/latency.js';
import type { JudgedSettings } from './feasibility.js';
import { minuteOf, type RevisionModel } from './minute-traffic.js';
import { seededRandom } from './random.js';
import { latencyProbabilities, predictionShape, scenariosFor, type Cell } from './scenarios.js';

/** One row: at a minute of the first step, the chance a test at `level` has rolled back the gross green. */
export interface ReachRow {
  /** Minutes from the step's start (evidence minutes + the lag). */
  minute: number;
  /** Mean green requests judged by then. */
  green: number;
  level: number;
  /** The test's real level at the worse of the two at-limit greens (≤ level). */
  atLimit: number;
  /** Its chance of rolling back the gross green by then, at that one look. */
  power: number;
}

/**
 * How soon ANY single look of the p95 fail test could roll back a gross p95 green, with blue's
 * p95 estimated from blue's own requests as every real judge must (local/sim/feasibility.ts's
 * floors know blue exactly). The statistic is the one a valid test of "green's p95 is above
 * blue's × (1 + p95Tolerance) + p95SlackMs" rests on: green's share above that threshold, here
 * standardised at the two-sample effective sample (checks/latency.ts). Its critical value at each
 * minute is CALIBRATED by simulation at the two greens exactly at the limit (scaled, tail only) —
 * an oracle no judge has (its null distribution depends on the latency shape) — so the power is
 * an upper bound for this statistic at that look; and by the sign test's optimality for a
 * quantile, no other statistic of the requests does better against every green at the limit.
 *
 * Traffic as the benchmark's: the first step's share of Poisson arrivals, Cloud Run's buckets.
 * A median of M minutes needs power ½ by minute M; a level spent at one look is that much of the
 * check's failAlpha gone from every other look, and that much chance of rolling back a green at
 * the limit.
 */
export function p95Reach(input: {
  config: JudgedSettings;
  cell: Cell;
  minutes: number;
  levels: readonly number[];
  releases: number;
  seed: number;
}): ReachRow[] {
  const { config, cell } = input;
  const t = config.thresholds;
  const kinds = scenariosFor(t, cell);
  const change = (kind: string) => kinds.find((s) => s.kind === kind)!.change;
  const limit = change('at-limit');
  const greens = {
    scaled: { ...limit, errorRate: null, drift: 0 },
    tail: { ...limit, latencyScale: 1, tailScale: limit.latencyScale, errorRate: null, drift: 0 },
    gross: change('gross-p95'),
  };
  const share = (config.steps[0] ?? 100) / 100;
  const model = (c: (typeof greens)['gross'] | undefined): RevisionModel => ({
    latency: latencyProbabilities(cell, c),
    errorRate: 0,
    prediction: predictionShape(0),
  });
  const blueModel = model(undefined);
  const r = seededRandom(input.seed);
  // z[scenario][minute][release]
  const z = Object.fromEntries(
    Object.entries(greens).map(([name, c]) => {
      const greenModel = model(c);
      const perMinute: number[][] = Array.from({ length: input.minutes }, () => []);
      for (let i = 0; i < input.releases; i++) {
        let blue: Histogram | null = null;
        let green: Histogram | null = null;
        for (let m = 0; m < input.minutes; m++) {
          blue = add(blue, minuteOf(r, blueModel, cell.rps * (1 - share), 0).latency);
          green = add(green, minuteOf(r, greenModel, cell.rps * share, 0).latency);
          perMinute[m]!.push(standardised(blue, green, t.p95Tolerance, t.p95SlackMs));
        }
      }
      return [name, perMinute];
    }),
  ) as Record<keyof typeof greens, number[][]>;
  const lag = Math.ceil(config.monitoringLagSeconds / 60);
  const rows: ReachRow[] = [];
  for (let m = 0; m < input.minutes; m++)
    for (const level of input.levels) {
      const critical = Math.max(
        upperQuantile(z.scaled[m]!, level),
        upperQuantile(z.tail[m]!, level),
      );
      const above = (xs: number[]) => xs.filter((x) => x > critical).length / xs.length;
      rows.push({
        minute: m + 1 + lag,
        green: (m + 1) * cell.rps * share * 60,
        level,
        atLimit: Math.max(above(z.scaled[m]!), above(z.tail[m]!)),
        power: above(z.gross[m]!),
      });
    }
  return rows;
}

/** Green's share above blue's limit, in null standard deviations at the effective sample. */
function standardised(blue: Histogram, green: Histogram, tolerance: number, slack: number): number {
  const nb = totalCount(blue);
  const ng = totalCount(green);
  const p95 = quantile(blue, 1 - TAIL);
  if (ng <= 0 || nb <= 0 || p95 === undefined) return -Infinity;
  const share = countAbove(green, p95 * (1 + tolerance) + slack) / ng;
  return ((share - TAIL) * Math.sqrt(effectiveSample(ng, nb))) / Math.sqrt(TAIL * (1 - TAIL));
}

/** The smallest value that at most `level` of xs exceed. */
function upperQuantile(xs: readonly number[], level: number): number {
  const sorted = [...xs].sort((a, b) => b - a);
  return sorted[Math.min(sorted.length - 1, Math.floor(level * sorted.length))] ?? Infinity;
}

function add(sum: Histogram | null, h: Histogram): Histogram {
  return sum === null
    ? { layout: h.layout, counts: [...h.counts] }
    : { layout: sum.layout, counts: sum.counts.map((c, i) => c + (h.counts[i] ?? 0)) };
}
