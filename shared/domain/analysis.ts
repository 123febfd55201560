import type { Thresholds } from '../schemas/config.js';
import type { CheckResult, Outcome, Verdict } from '../schemas/release.js';
import type { Measurement, RevisionSummary } from './measurement.js';

/**
 * The one judgement of a step (DESIGN.md §3): blue and green measured over the same window go in,
 * a verdict with every number behind it comes out. Pure; adapters only measure.
 *
 * Conventions shared by the three checks:
 * - "No data" is never 0: a no-data or non-finite measurement makes its check inconclusive, with
 *   observed/baseline null where the number is missing. A p95 or mean prediction backed by 0
 *   samples counts as no data; a request count of 0 is a real count (too few requests).
 * - "Exactly at the limit passes": comparisons ignore floating-point noise (a relative 1e-9), so
 *   `100 × 1.15 + 5` computed as 119.99999999999999 still lets a 120 ms p95 pass.
 * - Overall: any fail → fail (critical when a failing check is critical); else any inconclusive →
 *   inconclusive; else pass.
 */
export function judgeStep(input: {
  blue: RevisionSummary;
  green: RevisionSummary;
  thresholds: Thresholds;
  window: { start: Date; end: Date };
  now: Date;
}): Verdict {
  const { blue, green, thresholds } = input;
  const checks = [
    judgeErrorRate(blue, green, thresholds),
    judgeP95(blue, green, thresholds),
    judgePredictionDrift(blue, green, thresholds),
  ];
  return {
    outcome: overall(checks.map((c) => c.outcome)),
    critical: checks.some((c) => c.outcome === 'fail' && c.critical),
    checks,
    at: input.now.toISOString(),
    window: { start: input.window.start.toISOString(), end: input.window.end.toISOString() },
  };
}

/**
 * Green 5xx / green requests against max5xxRate, only with at least minRequests green requests
 * (exactly minRequests is enough). Critical when the rate is ≥ max5xxRate × criticalMultiple.
 * `baseline` is blue's rate, for the reader only: the limit is absolute, not relative to blue.
 * Missing 5xx data beside a request count is inconclusive: the metrics adapter reports 0 errors as
 * a value when it knows requests were served without any 5xx.
 */
export function judgeErrorRate(
  blue: RevisionSummary,
  green: RevisionSummary,
  t: Thresholds,
): CheckResult {
  const base = { check: 'error-rate' as const, limit: t.max5xxRate, critical: false };
  const baseline = rateOf(blue);
  if (!known(green.requests)) {
    return inconclusive(base, null, baseline, 0, `no green request data (${why(green.requests)})`);
  }
  const requests = green.requests.value;
  const samples = Math.max(0, Math.round(requests));
  const observed = rateOf(green);
  if (requests < t.minRequests) {
    return inconclusive(
      base,
      observed,
      baseline,
      samples,
      `only ${count(requests)} green requests, at least ${count(t.minRequests)} needed to judge the 5xx rate`,
    );
  }
  if (observed === null) {
    return inconclusive(
      base,
      null,
      baseline,
      samples,
      `no green 5xx data (${why(green.errors5xx)})`,
    );
  }
  const over = `over ${count(requests)} requests`;
  if (!exceeds(observed, t.max5xxRate)) {
    return {
      ...base,
      outcome: 'pass',
      observed,
      baseline,
      samples,
      reason: `5xx rate ${pct(observed)} ≤ ${pct(t.max5xxRate)} ${over}`,
    };
  }
  const criticalRate = t.max5xxRate * t.criticalMultiple;
  const critical = !exceeds(criticalRate, observed);
  const reason = critical
    ? `5xx rate ${pct(observed)} ≥ ${pct(criticalRate)} (critical: ${t.criticalMultiple} × ${pct(t.max5xxRate)}) ${over}`
    : `5xx rate ${pct(observed)} > ${pct(t.max5xxRate)} ${over}`;
  return { ...base, outcome: 'fail', observed, baseline, samples, critical, reason };
}

/**
 * Green p95 against blue p95 × (1 + p95Tolerance) + p95SlackMs; exactly at the limit passes.
 * A blue p95 of 0 is a valid baseline (the limit is the slack). No data on either side is
 * inconclusive. `samples` is the number of green requests behind green's p95.
 */
export function judgeP95(
  blue: RevisionSummary,
  green: RevisionSummary,
  t: Thresholds,
): CheckResult {
  const base = { check: 'p95-latency' as const, critical: false };
  const b = blue.p95LatencyMs;
  const g = green.p95LatencyMs;
  const baseline = usable(b) ? b.value : null;
  const limit = baseline === null ? null : baseline * (1 + t.p95Tolerance) + t.p95SlackMs;
  const observed = usable(g) ? g.value : null;
  const samples = usable(g) ? g.samples : 0;
  if (observed === null || baseline === null || limit === null) {
    const missing = observed === null ? `green (${why(g)})` : `blue (${why(b)})`;
    return {
      ...base,
      outcome: 'inconclusive',
      observed,
      baseline,
      limit,
      samples,
      reason: `no p95 latency data for ${missing}`,
    };
  }
  const failed = exceeds(observed, limit);
  const formula = `blue ${ms(baseline)} × ${num(1 + t.p95Tolerance)} + ${ms(t.p95SlackMs)}`;
  const reason = `p95 latency ${ms(observed)} ${failed ? '>' : '≤'} ${ms(limit)} (${formula}) over ${count(samples)} requests`;
  return { ...base, outcome: failed ? 'fail' : 'pass', observed, baseline, limit, samples, reason };
}

/**
 * |mean green − mean blue| / |mean blue| against maxPredictionDrift; exactly at the limit passes.
 * `limit` is the largest distance from blue's mean green may have (|mean blue| × maxPredictionDrift).
 * A blue mean of 0 has no relative change: then the absolute difference is compared against
 * maxPredictionDrift itself (limit = maxPredictionDrift), so scores near 0 still get judged.
 * No data on either side is inconclusive. `samples` is green's number of predictions.
 */
export function judgePredictionDrift(
  blue: RevisionSummary,
  green: RevisionSummary,
  t: Thresholds,
): CheckResult {
  const base = { check: 'prediction-drift' as const, critical: false };
  const b = blue.prediction;
  const g = green.prediction;
  const baseline = usable(b) ? b.value : null;
  const observed = usable(g) ? g.value : null;
  const samples = usable(g) ? g.samples : 0;
  if (observed === null || baseline === null) {
    const missing = observed === null ? `green (${why(g)})` : `blue (${why(b)})`;
    return {
      ...base,
      outcome: 'inconclusive',
      observed,
      baseline,
      limit: null,
      samples,
      reason: `no prediction data for ${missing}`,
    };
  }
  const distance = Math.abs(observed - baseline);
  const absolute = baseline === 0;
  const limit = absolute ? t.maxPredictionDrift : Math.abs(baseline) * t.maxPredictionDrift;
  const failed = exceeds(distance, limit);
  const op = failed ? '>' : '≤';
  const means = `mean prediction ${num(observed)} vs blue ${num(baseline)}`;
  const change = absolute
    ? `absolute change ${num(distance)} ${op} ${num(limit)} (blue mean is 0)`
    : `change ${signedPct((observed - baseline) / Math.abs(baseline))} ${op} ±${pct(t.maxPredictionDrift)}`;
  const reason = `${means}: ${change} over ${count(samples)} predictions`;
  return { ...base, outcome: failed ? 'fail' : 'pass', observed, baseline, limit, samples, reason };
}

function overall(outcomes: Outcome[]): Outcome {
  if (outcomes.includes('fail')) return 'fail';
  if (outcomes.includes('inconclusive')) return 'inconclusive';
  return 'pass';
}

function inconclusive(
  base: { check: CheckResult['check']; limit: number | null; critical: boolean },
  observed: number | null,
  baseline: number | null,
  samples: number,
  reason: string,
): CheckResult {
  return { ...base, outcome: 'inconclusive', observed, baseline, samples, reason };
}

/** errors5xx / requests, or null when either count is missing or there were no requests. */
function rateOf(m: RevisionSummary): number | null {
  if (!known(m.requests) || !known(m.errors5xx) || m.requests.value <= 0) return null;
  return m.errors5xx.value / m.requests.value;
}

type Value = Extract<Measurement, { kind: 'value' }>;

/** A finite value. Enough for counts (requests, 5xx), where 0 is a real count. */
function known(m: Measurement): m is Value {
  return m.kind === 'value' && Number.isFinite(m.value);
}

/** A value that can be judged as a statistic (p95, mean): finite and backed by a sample. */
function usable(m: Measurement): m is Value {
  return known(m) && m.samples > 0;
}

function why(m: Measurement): string {
  if (m.kind === 'no-data') return m.reason;
  return Number.isFinite(m.value) ? 'no samples' : `not a number: ${m.value}`;
}

/** a > b, ignoring floating-point noise, so values exactly at a limit never exceed it. */
function exceeds(a: number, b: number): boolean {
  return a - b > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const count = (n: number): string => counts.format(n);
const num = (n: number): string => decimals.format(n);
const pct = (ratio: number): string => `${(ratio * 100).toFixed(2)}%`;
const signedPct = (ratio: number): string => `${ratio >= 0 ? '+' : ''}${pct(ratio)}`;
const ms = (n: number): string => `${decimals.format(n)} ms`;
