import type { Thresholds } from '../../schemas/config.js';
import type { ShadowConfig } from '../../schemas/shadow-config.js';
import type { CheckName, CheckResult, Outcome } from '../../schemas/release.js';
import { median } from '../smoke.js';
import {
  meanBounds,
  momentsOf,
  proportionLower,
  proportionUpper,
  quantileRankBounds,
} from '../stats/index.js';
import { dkwHalfWidth, failed, ksDistance, scoredPairs, type ReplayPair } from './pairs.js';

/**
 * The shadow replay's paired checks. Each is a pair of one-sided tests at level α with a minimum
 * sample, like a step's: FAIL on evidence green is beyond the limit (the lower confidence bound
 * is above it), PASS on evidence green is short of "clearly bad" (the upper bound is at most
 * the clearly-bad margin: twice the limit, or criticalMultiple × the 5xx limit), otherwise
 * INCONCLUSIVE. Pairing (each request sent to blue and green at the same moment) cancels what
 * both colors share: the request mix, the machine's load, the model's own noise.
 */
export interface PairedContext {
  shadow: ShadowConfig;
  thresholds: Thresholds;
}

const CLEARLY_BAD = 2;

function decide(lower: number, upper: number, limit: number, clearlyBad: number): Outcome {
  if (lower > limit) return 'fail';
  return upper <= clearlyBad ? 'pass' : 'inconclusive';
}

function tooFew(check: CheckName, n: number, min: number, what: string): CheckResult {
  return {
    check,
    outcome: 'inconclusive',
    observed: null,
    baseline: null,
    limit: null,
    samples: n,
    critical: false,
    interval: null,
    boundary: null,
    needed: null,
    blocking: true,
    reason: `${n} ${what}, fewer than the minimum of ${min}`,
  };
}

const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** Green-only failures (5xx or no answer where blue answered): their rate against max5xxRate. */
export function pairedErrors(pairs: readonly ReplayPair[], ctx: PairedContext): CheckResult {
  const { alpha, minSamples } = ctx.shadow;
  const n = pairs.length;
  if (n < minSamples) return tooFew('shadow-error-rate', n, minSamples, 'replayed pairs');
  const greenOnly = pairs.filter((p) => failed(p.green) && !failed(p.blue)).length;
  const blueFailed = pairs.filter((p) => failed(p.blue)).length;
  const limit = ctx.thresholds.max5xxRate;
  const lower = proportionLower(greenOnly, n, alpha);
  const upper = proportionUpper(greenOnly, n, alpha);
  const outcome = decide(lower, upper, limit, limit * ctx.thresholds.criticalMultiple);
  return {
    check: 'shadow-error-rate',
    outcome,
    observed: greenOnly / n,
    baseline: blueFailed / n,
    limit,
    samples: n,
    critical: false,
    interval: { lower, upper },
    boundary: null,
    needed: null,
    blocking: true,
    reason: `green alone failed ${greenOnly} of ${n} replayed requests (${pct(greenOnly / n)}, bounds ${pct(lower)}–${pct(upper)} at α ${alpha}); limit ${pct(limit)}; blue failed ${blueFailed}`,
  };
}

/**
 * Median of the paired latency differences (green − blue) against blue's median × p95Tolerance
 * + p95SlackMs; bounds from order statistics (distribution-free, robust to a cold start).
 */
export function pairedLatency(pairs: readonly ReplayPair[], ctx: PairedContext): CheckResult {
  const { alpha, minSamples } = ctx.shadow;
  const answered = pairs.filter((p) => p.blue.status !== null && p.green.status !== null);
  const n = answered.length;
  if (n < minSamples) return tooFew('shadow-latency', n, minSamples, 'pairs answered by both');
  const diffs = answered.map((p) => p.green.latencyMs - p.blue.latencyMs).sort((a, b) => a - b);
  const blueMedian = median(answered.map((p) => p.blue.latencyMs)) ?? 0;
  const limit = blueMedian * ctx.thresholds.p95Tolerance + ctx.thresholds.p95SlackMs;
  const ranks = quantileRankBounds(n, 0.5, alpha);
  const lower = ranks.lower === null ? -Infinity : diffs[ranks.lower - 1]!;
  const upper = ranks.upper === null ? Infinity : diffs[ranks.upper - 1]!;
  const observed = median(diffs) ?? 0;
  return {
    check: 'shadow-latency',
    outcome: decide(lower, upper, limit, limit * CLEARLY_BAD),
    observed,
    baseline: blueMedian,
    limit,
    samples: n,
    critical: false,
    interval: { lower, upper },
    boundary: null,
    needed: null,
    blocking: true,
    reason: `median green − blue ${r3(observed)} ms (bounds ${r3(lower)}–${r3(upper)} ms at α ${alpha}); limit +${r3(limit)} ms (blue median ${r3(blueMedian)} ms × ${ctx.thresholds.p95Tolerance} + ${ctx.thresholds.p95SlackMs} ms)`,
  };
}

/** Mean relative change of the prediction (paired differences, t bounds) against ±maxPredictionDrift. */
export function pairedMean(pairs: readonly ReplayPair[], ctx: PairedContext): CheckResult {
  const { alpha, minSamples, predictionField } = ctx.shadow;
  const scored = scoredPairs(pairs, predictionField);
  const n = scored.length;
  if (n < minSamples) return tooFew('shadow-prediction-mean', n, minSamples, 'pairs with scores');
  const blueMean = momentsOf(scored.map(([b]) => b)).mean;
  const bounds = meanBounds(
    momentsOf(scored.map(([b, g]) => g - b)),
    alpha,
  )!; /* n ≥ minSamples ≥ 2 */
  const scale = blueMean === 0 ? 1 : Math.abs(blueMean);
  const drift = ctx.thresholds.maxPredictionDrift;
  const [lo, hi] = [bounds.lower / scale, bounds.upper / scale];
  // Beyond the limit in either direction fails; pass needs the whole interval inside ±2×limit.
  const outcome: Outcome =
    lo > drift || hi < -drift
      ? 'fail'
      : lo >= -drift * CLEARLY_BAD && hi <= drift * CLEARLY_BAD
        ? 'pass'
        : 'inconclusive';
  return {
    check: 'shadow-prediction-mean',
    outcome,
    observed: blueMean + bounds.estimate,
    baseline: blueMean,
    limit: drift * scale,
    samples: n,
    critical: false,
    interval: null,
    boundary: null,
    needed: null,
    blocking: true,
    reason: `mean change ${pct(bounds.estimate / scale)} (bounds ${pct(lo)} to ${pct(hi)} at α ${alpha}); limit ±${pct(drift)}`,
  };
}

/** Share of pairs whose decision (score ≥ decisionThreshold) differs between blue and green. */
export function pairedFlips(pairs: readonly ReplayPair[], ctx: PairedContext): CheckResult {
  const { alpha, minSamples, predictionField, decisionThreshold, maxFlipShare } = ctx.shadow;
  const scored = scoredPairs(pairs, predictionField);
  const n = scored.length;
  if (n < minSamples) return tooFew('shadow-decision-flips', n, minSamples, 'pairs with scores');
  const flips = scored.filter(([b, g]) => b >= decisionThreshold !== g >= decisionThreshold).length;
  const lower = proportionLower(flips, n, alpha);
  const upper = proportionUpper(flips, n, alpha);
  return {
    check: 'shadow-decision-flips',
    outcome: decide(lower, upper, maxFlipShare, maxFlipShare * CLEARLY_BAD),
    observed: flips / n,
    baseline: 0,
    limit: maxFlipShare,
    samples: n,
    critical: false,
    interval: { lower, upper },
    boundary: null,
    needed: null,
    blocking: true,
    reason: `${flips} of ${n} decisions flip at threshold ${decisionThreshold} (${pct(flips / n)}, bounds ${pct(lower)}–${pct(upper)} at α ${alpha}); limit ${pct(maxFlipShare)}`,
  };
}

/**
 * Kolmogorov–Smirnov distance between green's and blue's score distributions, with a DKW band
 * on each empirical CDF (α/2 each): the true distance is within D ± (ε_blue + ε_green).
 */
export function pairedDistribution(pairs: readonly ReplayPair[], ctx: PairedContext): CheckResult {
  const { alpha, minSamples, predictionField, maxKsDistance } = ctx.shadow;
  const scored = scoredPairs(pairs, predictionField);
  const n = scored.length;
  if (n < minSamples) return tooFew('shadow-distribution', n, minSamples, 'pairs with scores');
  const d = ksDistance(
    scored.map(([b]) => b),
    scored.map(([, g]) => g),
  );
  const band = 2 * dkwHalfWidth(n, alpha / 2);
  const [lower, upper] = [d - band, d + band];
  return {
    check: 'shadow-distribution',
    outcome: decide(lower, upper, maxKsDistance, maxKsDistance * CLEARLY_BAD),
    observed: d,
    baseline: 0,
    limit: maxKsDistance,
    samples: n,
    critical: false,
    interval: { lower, upper },
    boundary: null,
    needed: null,
    blocking: true,
    reason: `KS distance ${r3(d)} (bounds ${r3(Math.max(0, lower))}–${r3(Math.min(1, upper))} at α ${alpha}); limit ${maxKsDistance}`,
  };
}
