import binomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { ServiceConfig } from '../../shared/schemas/config.js';
import {
  latencyCdf,
  predictionShape,
  scenariosFor,
  type Cell,
  type Change,
  type ScenarioKind,
} from './scenarios.js';

/** What the floors depend on: a service config's judging settings. */
export type JudgedSettings = Pick<
  ServiceConfig,
  'thresholds' | 'steps' | 'bakeSeconds' | 'monitoringLagSeconds'
>;

export interface Floor {
  /** Minutes from the first step's start to the decision; Infinity: never decides. */
  minutes: number;
  /** The check that sets it. */
  by: string;
}

/**
 * How soon a valid judge could decide a scenario, two ways, so a slow benchmark row reads as
 * "cutover pays here" or "nothing valid is faster". Both know both revisions' distributions
 * exactly (blue's p95 too), which no real judge does.
 *
 * - `median`: no valid judge's MEDIAN time is below it. Whatever a judge does over however many
 *   looks, "decided by the n-th request" is an event of the first n requests whose chance under the
 *   null is at most the judge's α, so by the Neyman–Pearson lemma its chance under the truth is
 *   at most the power of the most powerful (randomised) level-α test of n requests. The floor is
 *   the first n at which that power reaches ½.
 * - `anytime`: the EXPECTED time of the best judge valid at every look with no horizon, as
 *   cutover's fail side and its mixture tests are. Admissible anytime-valid tests are built on nonnegative
 *   (super)martingales (Ramdas, Ruf, Larsson & Koolen 2020), which must reach ln(1/α) to decide
 *   (Ville), and none grows faster in expectation than the likelihood ratio of the truth against
 *   the nearest null, by KL(truth ‖ null) a sample; by Wald's identity the expected sample is at
 *   least ln(1/α) / KL. cutover pays more again: it does not know the truth (a mixture, ln K
 *   nats), it estimates blue, and it splits α with its per-look tests.
 * Between the two lies the price of being able to decide at any look of an open-ended step: only a
 * judge that decides at a few planned looks gets close to `median`, as cutover's pass side does
 * (shared/domain/stats/planned-looks.ts).
 *
 * Time: a step's data is visible monitoringLagSeconds late, each step after a pass needs a full
 * bake of its own evidence, and evidence pools across steps (as the controller does). Fails
 * count failureLimit looks a minute apart, except a critical 5xx rate. Ticks are a minute apart.
 * The minimum samples hold too: no pass on fewer than minRequests requests (minPredictions for
 * drift), no latency or drift fail either; a 5xx rate may fail on fewer.
 */
export function decisionFloors(
  config: JudgedSettings,
  cell: Cell,
  kind: ScenarioKind,
): { median: Floor; anytime: Floor } {
  const scenario = scenariosFor(config.thresholds, cell).find((s) => s.kind === kind);
  if (!scenario) throw new Error(`no scenario of kind ${kind}`);
  const floor = (needed: Needed) =>
    scenario.expect === 'roll back'
      ? failFloor(config, cell, scenario.change, needed)
      : passFloor(config, cell, scenario.change, needed);
  return { median: floor(fixedSample), anytime: floor(anytimeValid) };
}

/** What a check tests, per green sample, against the null nearest the truth. */
type Test =
  /** Green's share p1 against p0 (5xx rate, share above a latency threshold), evidence `side` of it. */
  | { kind: 'binomial'; p0: number; p1: number; side: 'above' | 'below' }
  /** A mean `effect` standard deviations past the null's edge (drift); ≤ 0: on the null's side. */
  | { kind: 'normal'; effect: number };

interface Information {
  check: string;
  test: Test;
  /** Samples per green request (predictions come with successful requests only). */
  perRequest: number;
  /** The fewest samples the check decides on. */
  minimum: number;
}

/** Green requests a check needs at α, by one of the two floors. */
type Needed = (c: Information, alpha: number) => number;

const anytimeValid: Needed = (c, alpha) =>
  Math.max(Math.log(1 / alpha) / kl(c.test), c.minimum) / c.perRequest;

const fixedSample: Needed = (c, alpha) =>
  Math.max(halfPowerSample(c.test, alpha), c.minimum) / c.perRequest;

const TAIL = 0.05;

/** Every check must pass every step; the last at promoteAlpha. */
function passFloor(config: JudgedSettings, cell: Cell, change: Change, needed: Needed): Floor {
  const t = config.thresholds;
  const p5xx = change.errorRate ?? cell.baseline5xx;
  const share = 1 - latencyCdf(cell, change)(passThreshold(config, cell));
  const info: Information[] = [
    {
      check: 'error-rate',
      test: { kind: 'binomial', p0: t.clearlyBad.max5xxRate, p1: p5xx, side: 'below' },
      perRequest: 1,
      minimum: t.minRequests,
    },
    {
      check: 'p95-latency',
      test: { kind: 'binomial', p0: TAIL, p1: share, side: 'below' },
      perRequest: 1,
      minimum: t.minRequests,
    },
    {
      check: 'prediction-drift',
      test: {
        kind: 'normal',
        effect: driftEffect(change.drift, t.clearlyBad.predictionDrift, 'inside'),
      },
      perRequest: 1 - p5xx,
      minimum: t.minPredictions,
    },
  ];
  const lag = config.monitoringLagSeconds / 60;
  const bake = config.bakeSeconds / 60;
  const perMinute = config.steps.map((percent) => (cell.rps * 60 * percent) / 100);
  let start = 0;
  let generated = 0; // green requests served before this step began
  let by = 'lag and bake';
  for (const [i, rate] of perMinute.entries()) {
    const alpha = i === perMinute.length - 1 ? t.promoteAlpha : t.passAlpha;
    // The step passes at the first tick at least lag + bake in, once the requests visible then
    // (served until lag ago, earlier steps included) are enough for every check.
    const needs = info.map((c) => ({
      check: c.check,
      minutes: (needed(c, alpha) - generated) / rate,
    }));
    const slowest = needs.reduce((a, b) => (b.minutes > a.minutes ? b : a));
    if (!Number.isFinite(slowest.minutes)) return { minutes: Infinity, by: slowest.check };
    if (slowest.minutes > bake) by = slowest.check;
    const minutes = Math.ceil(lag + Math.max(bake, slowest.minutes));
    generated += rate * minutes;
    start += minutes;
  }
  return { minutes: start, by };
}

/** The fastest failing check at the first step. */
function failFloor(config: JudgedSettings, cell: Cell, change: Change, needed: Needed): Floor {
  const t = config.thresholds;
  const p5xx = change.errorRate ?? cell.baseline5xx;
  const share = 1 - latencyCdf(cell, change)(failThreshold(config, cell));
  const confirm = t.failureLimit - 1;
  const candidates: (Information & { extra: number })[] = [
    {
      check: 'error-rate',
      test: { kind: 'binomial', p0: t.max5xxRate, p1: p5xx, side: 'above' },
      perRequest: 1,
      minimum: 0,
      extra: confirm,
    },
    {
      check: 'error-rate (critical)',
      test: { kind: 'binomial', p0: t.max5xxRate * t.criticalMultiple, p1: p5xx, side: 'above' },
      perRequest: 1,
      minimum: 0,
      extra: 0,
    },
    {
      check: 'p95-latency',
      test: { kind: 'binomial', p0: TAIL, p1: share, side: 'above' },
      perRequest: 1,
      minimum: t.minRequests,
      extra: confirm,
    },
    {
      check: 'prediction-drift',
      test: { kind: 'normal', effect: driftEffect(change.drift, t.maxPredictionDrift, 'beyond') },
      perRequest: 1 - p5xx,
      minimum: t.minPredictions,
      extra: confirm,
    },
  ];
  const rate = (cell.rps * 60 * (config.steps[0] ?? 100)) / 100;
  const lag = config.monitoringLagSeconds / 60;
  return candidates
    .map((c) => ({
      minutes: Math.ceil(lag + needed(c, t.failAlpha) / rate) + c.extra,
      by: c.check,
    }))
    .reduce((best, c) => (c.minutes < best.minutes ? c : best));
}

function passThreshold(config: JudgedSettings, cell: Cell): number {
  const t = config.thresholds;
  return cell.p95Ms * (1 + t.clearlyBad.p95Increase) + t.p95SlackMs;
}

function failThreshold(config: JudgedSettings, cell: Cell): number {
  const t = config.thresholds;
  return cell.p95Ms * (1 + t.p95Tolerance) + t.p95SlackMs;
}

/** KL(truth ‖ null) per sample; 0 when the truth is on the null's side. */
function kl(test: Test): number {
  if (test.kind === 'normal') return test.effect > 0 ? test.effect ** 2 / 2 : 0;
  const { p0, p1 } = test;
  if (!(test.side === 'above' ? p1 > p0 : p1 < p0)) return 0;
  const term = (a: number, b: number) => (a > 0 ? a * Math.log(a / b) : 0);
  return term(p1, p0) + term(1 - p1, 1 - p0);
}

/**
 * The fewest samples at which the most powerful level-α test of the null against the truth has
 * power ½: for a normal mean, √n·effect = z_{1−α}; for a binomial, the randomised Neyman–Pearson
 * test (reject beyond a critical count, with chance γ at it), whose power grows with n (a test of
 * n + 1 samples can ignore one), searched by bisection.
 */
function halfPowerSample(test: Test, alpha: number): number {
  if (test.kind === 'normal')
    return test.effect > 0 ? (normalQuantile(1 - alpha, 0, 1) / test.effect) ** 2 : Infinity;
  if (kl(test) === 0) return Infinity;
  // Evidence "below p0" is evidence "above 1 − p0" of the failures: one direction suffices.
  const up = test.side === 'above';
  const p0 = up ? test.p0 : 1 - test.p0;
  const p1 = up ? test.p1 : 1 - test.p1;
  const power = (n: number) => upperTestPower(n, p0, p1, alpha);
  let hi = 1;
  while (power(hi) < 0.5) {
    hi *= 2;
    if (hi > 1e8) return Infinity;
  }
  let lo = hi / 2;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (power(mid) >= 0.5) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Power at p1 of the randomised level-α test rejecting p ≤ p0 for large counts of n trials. */
function upperTestPower(n: number, p0: number, p1: number, alpha: number): number {
  const atMost = (k: number, p: number) => (k < 0 ? 0 : binomialCdf(k, n, p));
  // the critical count c: P0(X > c) ≤ α < P0(X ≥ c); reject above c, and at c with chance γ
  let lo = -1;
  let hi = n;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (1 - atMost(mid, p0) <= alpha) hi = mid;
    else lo = mid;
  }
  const c = hi;
  const beyond0 = 1 - atMost(c, p0);
  const at0 = atMost(c, p0) - atMost(c - 1, p0);
  const gamma = at0 > 0 ? Math.min(1, (alpha - beyond0) / at0) : 0;
  const beyond1 = 1 - atMost(c, p1);
  const at1 = atMost(c, p1) - atMost(c - 1, p1);
  return beyond1 + gamma * at1;
}

/**
 * Green's mean prediction against the nearest null, in green's standard deviations, blue known:
 * c / σ with c the distance of green's mean from the null's edge (blue × (1 ± band)). `beyond`:
 * evidence of drift past the band; `inside`: of drift short of it. The judge tests means (a CLT
 * test), so this is the information its statistic carries.
 */
function driftEffect(drift: number, band: number, side: 'beyond' | 'inside'): number {
  const blue = shapeMean(predictionShape(0));
  const green = predictionShape(drift);
  const gap = Math.abs(shapeMean(green) - blue);
  const c = side === 'beyond' ? gap - band * blue : band * blue - gap;
  return c / Math.sqrt(shapeVariance(green));
}

const shapeMean = ({ a, b }: { a: number; b: number }) => a / (a + b);
const shapeVariance = ({ a, b }: { a: number; b: number }) =>
  (a * b) / ((a + b) ** 2 * (a + b + 1));
