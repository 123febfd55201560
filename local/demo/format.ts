import type { CheckResult } from '../../shared/schemas/release.js';

/** ANSI styling, or none (plain output for logs and pipes). */
export interface Paint {
  ok(text: string): string;
  bad(text: string): string;
  unsure(text: string): string;
  blue(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
  /** Green's cells of the bar: solid when colors tell blue from green, shaded when they cannot. */
  greenCell: string;
}

const sgr = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
export const ANSI: Paint = {
  ok: sgr('32'),
  bad: sgr('31'),
  unsure: sgr('33'),
  blue: sgr('34'),
  green: sgr('32'),
  dim: sgr('2'),
  bold: sgr('1'),
  greenCell: '█',
};
const same = (text: string) => text;
export const PLAIN: Paint = {
  ok: same,
  bad: same,
  unsure: same,
  blue: same,
  green: same,
  dim: same,
  bold: same,
  greenCell: '░',
};

const pct = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const ms = (value: number) => `${Math.round(value)} ms`;
const score = (value: number) => value.toFixed(3);
const signed = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)}%`;

const CHECK_LABELS: Record<CheckResult['check'], string> = {
  'error-rate': '5xx',
  'p95-latency': 'p95',
  'prediction-drift': 'drift',
  'shadow-error-rate': 'r·5xx',
  'shadow-latency': 'r·lat',
  'shadow-prediction-mean': 'r·mean',
  'shadow-decision-flips': 'r·flip',
  'shadow-distribution': 'r·ks',
};

/**
 * One check of a verdict as a line of numbers against its threshold, e.g.
 * `✓ 5xx    0.00% ≤ 2.00% (412 req)`, `✗ p95    183 ms > 121 ms (blue 110 ms)`,
 * `✓ drift  0.641 vs blue 0.637: +0.6% ≤ ±20.0%`. An inconclusive check shows its reason.
 */
export function formatCheck(check: CheckResult, paint: Paint): string {
  const mark =
    check.outcome === 'pass'
      ? paint.ok('✓')
      : check.outcome === 'fail'
        ? paint.bad('✗')
        : paint.unsure('?');
  const name = CHECK_LABELS[check.check];
  const { observed, baseline, limit } = check;
  const op = check.outcome === 'fail' ? '>' : '≤';
  let text = check.reason;
  if (check.outcome !== 'inconclusive' && observed !== null && limit !== null) {
    if (check.check === 'error-rate') {
      text = `${pct(observed)} ${op} ${pct(limit)} (${check.samples} req)${check.critical ? ' critical' : ''}`;
    } else if (check.check === 'p95-latency' && baseline !== null) {
      text = `${ms(observed)} ${op} ${ms(limit)} (blue ${ms(baseline)}, ${check.samples} req)`;
    } else if (check.check === 'prediction-drift' && baseline !== null) {
      text =
        baseline === 0
          ? `${score(observed)} vs blue 0: |Δ| ${score(Math.abs(observed))} ${op} ${score(limit)}`
          : `${score(observed)} vs blue ${score(baseline)}: ${signed((observed - baseline) / Math.abs(baseline))} ${op} ±${(
              (limit / Math.abs(baseline)) *
              100
            ).toFixed(1)}%`;
    }
  }
  return `${mark} ${name.padEnd(6)}${text}`;
}

/**
 * The served split as a bar: blue's share, then green's, then any other version's, e.g.
 * `blue 1.0.0  90% ████████████████████████████████████░░░░  10% 2.0.0 green`.
 */
export function formatBar(
  split: Record<string, number>,
  colors: Record<string, 'blue' | 'green'>,
  paint: Paint,
  width = 40,
): string {
  const versions = Object.keys(split);
  const of = (color: 'blue' | 'green') => versions.find((v) => colors[v] === color) ?? null;
  const blue = of('blue');
  const green = of('green');
  const bluePct = blue ? (split[blue] ?? 0) : 0;
  const greenPct = green ? (split[green] ?? 0) : 0;
  if (versions.length === 0) return paint.dim('(no answers yet)');
  const blueCells = Math.round((bluePct / 100) * width);
  const greenCells = Math.min(width - blueCells, Math.round((greenPct / 100) * width));
  const rest = width - blueCells - greenCells;
  const bar =
    paint.blue('█'.repeat(blueCells)) +
    paint.green(paint.greenCell.repeat(greenCells)) +
    paint.dim('·'.repeat(rest));
  const left = `blue ${(blue ?? '-').padEnd(6)}${String(bluePct).padStart(4)}%`;
  const right = `${String(greenPct).padStart(3)}% ${(green ?? '-').padEnd(6)} green`;
  return `${paint.blue(left)} ${bar} ${paint.green(right)}`;
}

/** Seconds with one decimal, e.g. `12.3 s`. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
