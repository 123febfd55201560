import type { ServiceConfig } from '../../shared/schemas/config.js';
import {
  latencyCdf,
  predictionShape,
  scenariosFor,
  type Cell,
  type Change,
  type ScenarioKind,
} from './scenarios.js';

/** What the floor depends on: a service config's judging settings. */
export type JudgedSettings = Pick<
  ServiceConfig,
  'thresholds' | 'steps' | 'bakeSeconds' | 'monitoringLagSeconds'
>;

export interface Floor {
  /** Expected minutes from the first step's start to the decision; Infinity: never decides. */
  minutes: number;
  /** The check that sets it. */
  by: string;
}

const TAIL = 0.05;

/**
 * How soon ANY valid judge could decide a scenario, in expectation: a floor under the benchmark's
 * medians, so a missed speed target reads as "cutover is slow here" or as "nothing valid is faster".
 *
 * The judge must stay valid though it looks every minute, for as long as a step lasts. Admissible
 * anytime-valid tests are built on nonnegative (super)martingales (Ramdas, Ruf, Larsson & Koolen,
 * "Admissible anytime-valid sequential inference must rely on nonnegative martingales", 2020), and
 * one at level α must reach ln(1/α) to decide (Ville). No test martingale grows faster in
 * expectation than the likelihood ratio of the truth against the nearest null, by KL(truth ‖ null)
 * nats a sample, so by Wald's identity its expected sample to a decision is at least
 * ln(1/α) / KL — the sample an oracle needs that knows both revisions' distributions exactly
 * (blue's p95 too) and bets on the truth alone. cutover pays more: it does not know the truth
 * (a mixture over alternatives, ln K nats), it estimates blue, and it splits α with its per-look
 * tests. The floor is an expectation; these first passages are close to symmetric, so a median
 * sits near it.
 *
 * Time: a step's data is visible monitoringLagSeconds late, each step after a pass needs a full
 * bake of its own evidence, and evidence pools across steps (as the controller does). Fails count
 * failureLimit looks a minute apart, except a critical 5xx rate. Ticks are a minute apart. The
 * issue's minimum samples hold for the oracle too: no pass on fewer than minRequests requests
 * (minPredictions for drift), no latency or drift fail either; a 5xx rate may fail on fewer.
 */
export function decisionFloor(config: JudgedSettings, cell: Cell, kind: ScenarioKind): Floor {
  const scenario = scenariosFor(config.thresholds, cell).find((s) => s.kind === kind);
  if (!scenario) throw new Error(`no scenario of kind ${kind}`);
  return scenario.expect === 'roll back'
    ? failFloor(config, cell, scenario.change)
    : passFloor(config, cell, scenario.change);
}

interface Information {
  check: string;
  /** KL(truth ‖ nearest null) per request (predictions: per successful request). */
  kl: number;
  /** Samples per green request (predictions come with successful requests only). */
  perRequest: number;
  /** The fewest samples the check decides on. */
  minimum: number;
}

/** Green requests a check needs: ln(1/α) nats of evidence, and its minimum sample. */
function requestsNeeded(c: Information, alpha: number): number {
  return Math.max(Math.log(1 / alpha) / c.kl, c.minimum) / c.perRequest;
}

/** Every check must pass every step; the last at promoteAlpha. */
function passFloor(config: JudgedSettings, cell: Cell, change: Change): Floor {
  const t = config.thresholds;
  const p5xx = change.errorRate ?? cell.baseline5xx;
  const share = 1 - latencyCdf(cell, change)(passThreshold(config, cell));
  const info: Information[] = [
    {
      check: 'error-rate',
      kl: below(p5xx, t.clearlyBad.max5xxRate),
      perRequest: 1,
      minimum: t.minRequests,
    },
    { check: 'p95-latency', kl: below(share, TAIL), perRequest: 1, minimum: t.minRequests },
    {
      check: 'prediction-drift',
      kl: meanKl(change.drift, t.clearlyBad.predictionDrift, 'inside'),
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
    // (served until lag ago, earlier steps included) carry ln(1/α) nats for every check.
    const needs = info.map((c) => ({
      check: c.check,
      minutes: (requestsNeeded(c, alpha) - generated) / rate,
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
function failFloor(config: JudgedSettings, cell: Cell, change: Change): Floor {
  const t = config.thresholds;
  const p5xx = change.errorRate ?? cell.baseline5xx;
  const share = 1 - latencyCdf(cell, change)(failThreshold(config, cell));
  const confirm = t.failureLimit - 1;
  const candidates: (Information & { extra: number })[] = [
    {
      check: 'error-rate',
      kl: above(p5xx, t.max5xxRate),
      perRequest: 1,
      minimum: 0,
      extra: confirm,
    },
    {
      check: 'error-rate (critical)',
      kl: above(p5xx, t.max5xxRate * t.criticalMultiple),
      perRequest: 1,
      minimum: 0,
      extra: 0,
    },
    {
      check: 'p95-latency',
      kl: above(share, TAIL),
      perRequest: 1,
      minimum: t.minRequests,
      extra: confirm,
    },
    {
      check: 'prediction-drift',
      kl: meanKl(change.drift, t.maxPredictionDrift, 'beyond'),
      perRequest: 1 - p5xx,
      minimum: t.minPredictions,
      extra: confirm,
    },
  ];
  const rate = (cell.rps * 60 * (config.steps[0] ?? 100)) / 100;
  const lag = config.monitoringLagSeconds / 60;
  return candidates
    .map((c) => {
      const requests = requestsNeeded(c, t.failAlpha);
      return { minutes: Math.ceil(lag + requests / rate) + c.extra, by: c.check };
    })
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

/** KL(Bernoulli(p) ‖ Bernoulli(p0)) when p < p0 (evidence below p0), else 0. */
function below(p: number, p0: number): number {
  return p < p0 ? bernoulliKl(p, p0) : 0;
}

/** KL(Bernoulli(p) ‖ Bernoulli(p0)) when p > p0, else 0. */
function above(p: number, p0: number): number {
  return p > p0 ? bernoulliKl(p, p0) : 0;
}

function bernoulliKl(p: number, p0: number): number {
  const term = (a: number, b: number) => (a > 0 ? a * Math.log(a / b) : 0);
  return term(p, p0) + term(1 - p, 1 - p0);
}

/**
 * Green's mean prediction against the nearest null, per prediction, blue known: KL between
 * normals of green's sd, c² / 2σ², c the distance of green's mean from the null's edge
 * (blue × (1 ± band)). `beyond`: evidence of drift past the band; `inside`: of drift short of it.
 * The judge tests means (a CLT test), so this is the information its statistic carries.
 */
function meanKl(drift: number, band: number, side: 'beyond' | 'inside'): number {
  const blue = shapeMean(predictionShape(0));
  const green = predictionShape(drift);
  const gap = Math.abs(shapeMean(green) - blue);
  const c = side === 'beyond' ? gap - band * blue : band * blue - gap;
  if (!(c > 0)) return 0;
  return (c * c) / (2 * shapeVariance(green));
}

const shapeMean = ({ a, b }: { a: number; b: number }) => a / (a + b);
const shapeVariance = ({ a, b }: { a: number; b: number }) =>
  (a * b) / ((a + b) ** 2 * (a + b + 1));
