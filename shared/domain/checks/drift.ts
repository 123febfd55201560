import type { Thresholds } from '../../schemas/config.js';
import type { CheckResult } from '../../schemas/release.js';
import type { Moments, RevisionMetrics } from '../measurement.js';
import { contrastBounds, meanEvidence, meanSampleNeeded, type Bounds } from '../stats/index.js';
import {
  conf,
  count,
  crossing,
  decisive,
  needed,
  num,
  pct,
  projectedSample,
  result,
  type LookAlphas,
} from './check-result.js';
import { contrastInterval } from './interval.js';

/**
 * Green's mean prediction μg against blue's μb: the allowed band is μb ± r·|μb|. Each edge of the
 * band is a linear contrast μg − k·μb (k = 1 ± r), tested with Welch t bounds (stats/mean.ts), so
 * blue's sampling error is in every bound; the two edges split each look's α.
 * - fail: green is outside μb ± maxPredictionDrift·|μb| (a contrast clears 0 at 1 − α_fail/2).
 * - pass: green is inside μb ± clearlyBad.predictionDrift·|μb| (both contrasts at 1 − α_pass/2).
 * Each contrast clears 0 by its t bound at this look's α, or by the always-valid Gaussian mixture
 * (stats/mixture.ts) at half the `always` α, with alternatives scaled to the band's half-width.
 * Needs minPredictions on each side. A blue mean of exactly 0 has no relative change: the band
 * is then absolute, ±r (so scores near 0 are still judged).
 */
export function judgePredictionDrift(
  blue: RevisionMetrics,
  green: RevisionMetrics,
  t: Thresholds,
  alpha: LookAlphas,
): CheckResult {
  const b = blue.prediction;
  const g = green.prediction;
  const baseline = b.kind === 'value' && b.value.count > 0 ? b.value.mean : null;
  const limit = baseline === null ? null : band(baseline, t.maxPredictionDrift);
  const base = { check: 'prediction-drift' as const, baseline, limit };
  if (g.kind === 'no-data')
    return result(base, 'inconclusive', { reason: `no green prediction data (${g.reason})` });
  const observed = g.value.count > 0 ? g.value.mean : null;
  const samples = g.value.count;
  if (b.kind === 'no-data')
    return result(base, 'inconclusive', {
      observed,
      samples,
      reason: `no blue prediction data to compare with (${b.reason})`,
    });
  const min = Math.max(2, t.minPredictions);
  if (samples < min || b.value.count < min)
    return result(base, 'inconclusive', {
      observed,
      samples,
      reason: `only ${count(samples)} green and ${count(b.value.count)} blue predictions; drift is judged from ${count(min)} on each side`,
    });
  const mb = b.value.mean;
  const fail = edges(g.value, b.value, mb, t.maxPredictionDrift, alpha.fail / 2);
  const pass = edges(g.value, b.value, mb, t.clearlyBad.predictionDrift, alpha.pass / 2);
  const distance = g.value.mean - mb;
  // Bounds on μg − μb at the pass side's confidence, for the reader: the t bounds, or the
  // mixture's confidence sequence (stats/sequence.ts) where tighter, as the pass side decides.
  const diff = contrastBounds(g.value, b.value, 1, alpha.pass / 2);
  const passScale = band(mb, t.clearlyBad.predictionDrift);
  const interval = diff
    ? contrastInterval(
        {
          ...diff,
          lower: decisive(diff.lower, alpha, -Infinity),
          upper: decisive(diff.upper, alpha, Infinity),
        },
        passScale,
        alpha.always ? alpha.always.pass / 2 : undefined,
      )
    : null;
  const fields = {
    observed,
    samples,
    interval,
    // per edge, the sooner of the t bound's and the mixture's projections (half α each edge)
    needed: needed(
      Math.min(
        projectedSample(samples, fail.high.estimate, fail.high.lower, 0, 'above'),
        projectedSample(samples, fail.low.estimate, fail.low.upper, 0, 'below'),
        mixtureNeeded(samples, fail.high, 'above', alpha.always?.fail),
        mixtureNeeded(samples, fail.low, 'below', alpha.always?.fail),
      ),
      Math.max(
        Math.min(
          projectedSample(samples, pass.high.estimate, pass.high.upper, 0, 'below'),
          mixtureNeeded(samples, pass.high, 'below', alpha.always?.pass),
        ),
        Math.min(
          projectedSample(samples, pass.low.estimate, pass.low.lower, 0, 'above'),
          mixtureNeeded(samples, pass.low, 'above', alpha.always?.pass),
        ),
      ),
    ),
  };
  const change =
    mb === 0 ? `absolute change ${num(distance)}` : `change ${signed(distance / Math.abs(mb))}`;
  const means = `mean prediction ${num(g.value.mean)} vs blue ${num(mb)} (${change}) over ${count(samples)} / ${count(b.value.count)} predictions`;
  const allowed = (r: number) => (mb === 0 ? `±${num(r)}` : `±${pct(r)}`);
  const failScale = band(mb, t.maxPredictionDrift);
  const half = (a: number | undefined) => (a === undefined ? undefined : a / 2);
  const clears = (
    b: Bounds,
    side: 'above' | 'below',
    scale: number,
    a: number | undefined,
    exact = true,
  ) =>
    crossing(
      exact && (side === 'above' ? b.lower > 0 : b.upper < 0),
      meanEvidence(b.estimate, b.se, scale, side),
      half(a),
    );
  const failHigh = clears(fail.high, 'above', failScale, alpha.always?.fail);
  const failLow = clears(fail.low, 'below', failScale, alpha.always?.fail);
  if (failHigh.crossed || failLow.crossed) {
    const by = failHigh.by ?? failLow.by;
    return result(base, 'fail', {
      ...fields,
      boundary: `fail: outside blue ${allowed(t.maxPredictionDrift)} ${by ? `(${by})` : `at ${conf(alpha.fail)}`}`,
      reason: `${means}: drifted beyond ${allowed(t.maxPredictionDrift)} at ${by ? 'always-valid' : conf(alpha.fail)} confidence`,
    });
  }
  const exactPass = alpha.exactPass !== false;
  const passHigh = clears(pass.high, 'below', passScale, alpha.always?.pass, exactPass);
  const passLow = clears(pass.low, 'above', passScale, alpha.always?.pass, exactPass);
  if (passHigh.crossed && passLow.crossed) {
    const by = passHigh.by ?? passLow.by;
    return result(base, 'pass', {
      ...fields,
      boundary: `pass: inside blue ${allowed(t.clearlyBad.predictionDrift)} ${by ? `(${by})` : `at ${conf(alpha.pass)}`}`,
      reason: `${means}: within the clearly-bad band ${allowed(t.clearlyBad.predictionDrift)} at ${by ? 'always-valid' : conf(alpha.pass)} confidence`,
    });
  }
  return result(base, 'inconclusive', {
    ...fields,
    reason: `${means}: not yet beyond ${allowed(t.maxPredictionDrift)} nor inside ${allowed(t.clearlyBad.predictionDrift)}`,
  });
}

/**
 * Bounds on the distance of μg past each edge of μb ± r·|μb|: `high` is μg − (upper edge), `low`
 * is μg − (lower edge). With μb = 0 the edges are ±r.
 */
function edges(g: Moments, b: Moments, mb: number, r: number, a: number) {
  const unavailable: Bounds = { estimate: 0, lower: -Infinity, upper: Infinity, se: 0 };
  if (mb === 0) {
    const d = contrastBounds(g, b, 1, a) ?? unavailable;
    const shift = (by: number): Bounds => ({
      estimate: d.estimate - by,
      lower: d.lower - by,
      upper: d.upper - by,
      se: d.se,
    });
    return { high: shift(r), low: shift(-r) };
  }
  const sign = Math.sign(mb);
  const high = contrastBounds(g, b, 1 + sign * r, a) ?? unavailable;
  const low = contrastBounds(g, b, 1 - sign * r, a) ?? unavailable;
  return { high, low };
}

function mixtureNeeded(n: number, b: Bounds, side: 'above' | 'below', alpha: number | undefined) {
  return meanSampleNeeded(n, b.estimate, b.se, side, alpha === undefined ? undefined : alpha / 2);
}

function band(mb: number, r: number): number {
  return mb === 0 ? r : Math.abs(mb) * r;
}

const signed = (ratio: number): string => `${ratio >= 0 ? '+' : ''}${pct(ratio)}`;
