import type { CheckResult, Verdict } from '../shared/schemas/release.js';

const counts = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const pct = (r: number) => `${(r * 100).toFixed(2)}%`;
const num = (x: number) => (Math.abs(x) >= 1 ? x.toFixed(1) : x.toFixed(4));

/** The estimate in the check's own unit. */
function estimate(c: CheckResult): string {
  if (c.observed === null) return 'no estimate';
  if (c.check === 'error-rate') return `5xx ${pct(c.observed)}`;
  if (c.check === 'p95-latency') return `p95 ${c.observed.toFixed(1)} ms`;
  return `mean ${num(c.observed)}`;
}

/** The bounds the look decided on, in words of their unit (CheckResult.interval). */
function interval(c: CheckResult): string {
  const i = c.interval;
  if (!i) return 'no interval yet';
  if (c.check === 'error-rate') return `5xx rate in [${pct(i.lower)}, ${pct(i.upper)}]`;
  if (c.check === 'p95-latency')
    return `green above the fail threshold ≥ ${pct(i.lower)}, above the pass threshold ≤ ${pct(i.upper)} (vs 5%)`;
  return `green − blue mean in [${num(i.lower)}, ${num(i.upper)}]`;
}

/**
 * One line per check with the evidence behind it: the sample, the estimate, the interval the
 * look tested, the boundary it crossed (or none) and the sample a decision is projected to need;
 * then the verdict's advice (too little traffic, stalled, what a person can do), when it has one.
 */
export function evidenceLines(v: Verdict, indent = '  '): string[] {
  const lines = v.checks.map((c) => {
    const n = `n ${counts.format(c.samples)}`;
    const crossed = c.boundary ?? 'no boundary crossed';
    const needs =
      c.outcome === 'inconclusive' && c.needed !== null
        ? `; needs ~${counts.format(c.needed)}`
        : '';
    const blocking = c.blocking ? '' : ' (not blocking)';
    return `${indent}${c.check}: ${c.outcome}${blocking} · ${n}, ${estimate(c)}, ${interval(c)} · ${crossed}${needs}`;
  });
  lines.push(
    `${indent}fail look ${v.looks.fail}, ${v.looks.pass > 0 ? `planned pass look ${v.looks.pass}` : 'no planned pass look'}, window ${v.window.start} → ${v.window.end}`,
  );
  if (v.advice) lines.push(`${indent}advice: ${v.advice}`);
  return lines;
}
