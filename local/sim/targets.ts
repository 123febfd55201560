import { proportionLower, proportionUpper } from '../../shared/domain/stats/index.js';
import { decisionFloors, type JudgedSettings } from './feasibility.js';
import type { CellRows } from './run-cells.js';
import type { ScenarioRow } from './run-cell.js';
import type { ScenarioKind } from './scenarios.js';
import { cellLabel } from './table.js';

/** One target of issue 10 ("Targets") against a run's rows. */
export interface TargetResult {
  target: string;
  /** Rows the target applies to (the scenarios it names, in the cells at its traffic). */
  checked: number;
  met: number;
  /**
   * A rate target's weakest met row as an exact 95 % one-sided Clopper–Pearson bound on the
   * side of the target, e.g. "0/120 → ≤ 2.5 %": 0 of 120 only shows ≤ 2.5 %, not ≤ 1 %.
   * Null for a median target, or when no row met.
   */
  evidence: string | null;
  /** One line per missed row: "5 rps, 5xx 0.5%, σ 1 at limit (…): 75.0% (90/120 → ≥ 67.7 %)". */
  missed: string[];
}

/** The one-sided level of every bound shown. */
export const TARGET_ALPHA = 0.05;

type Judge =
  /** A share of the row's releases, at most or at least `limit`. */
  | { type: 'rate'; side: '≤' | '≥'; limit: number; count: (row: ScenarioRow) => number }
  /** The median minutes to a decision, at most `limit`; a row with no decision misses. */
  | { type: 'median'; limit: number }
  /** As `median`, or: some releases ended undecided and every one of them was saying stalled. */
  | { type: 'median or stalled'; limit: number };

interface Target {
  text: string;
  kinds: readonly ScenarioKind[];
  /** The cells' requests/s it applies to; null: every cell. */
  rps: readonly number[] | null;
  judge: Judge;
}

const AA_GOOD: ScenarioKind[] = ['aa', 'good'];
const BAD: ScenarioKind[] = ['bad-p95-scaled', 'bad-p95-tail', 'bad-5xx', 'bad-drift'];
const GROSS: ScenarioKind[] = ['gross-p95', 'gross-5xx', 'gross-drift'];

/**
 * Issue 10's targets (cells at 0.5, 5 and 50 requests/s). "Stopped at 10 %" counts releases that
 * never went past the first step (`firstStepOnly`): those rolled back there, and those still held
 * there when the run ended. At 0.5 requests/s an undecided A/A release counts as having said it
 * needs traffic or a person only if it was still saying so at its last tick (`stalled`), not if
 * it said so once (`saidStalled`, which decided releases count too).
 */
const TARGETS: Target[] = [
  {
    text: 'A/A and good rolled back ≤ 1 %',
    kinds: AA_GOOD,
    rps: null,
    judge: { type: 'rate', side: '≤', limit: 0.01, count: (r) => r.rolledBack },
  },
  {
    text: 'clearly bad / gross promoted ≤ 1 %',
    kinds: [...BAD, ...GROSS],
    rps: null,
    judge: { type: 'rate', side: '≤', limit: 0.01, count: (r) => r.promoted },
  },
  {
    text: 'clearly bad stopped at 10 % ≥ 90 % (5, 50 rps)',
    kinds: BAD,
    rps: [5, 50],
    judge: { type: 'rate', side: '≥', limit: 0.9, count: (r) => r.firstStepOnly },
  },
  {
    text: 'at limit promoted ≥ 90 % (5, 50 rps)',
    kinds: ['at-limit'],
    rps: [5, 50],
    judge: { type: 'rate', side: '≥', limit: 0.9, count: (r) => r.promoted },
  },
  {
    text: 'A/A median ≤ 25 min at 50 rps',
    kinds: ['aa'],
    rps: [50],
    judge: { type: 'median', limit: 25 },
  },
  {
    text: 'A/A median ≤ 35 min at 5 rps',
    kinds: ['aa'],
    rps: [5],
    judge: { type: 'median', limit: 35 },
  },
  {
    text: 'gross rolled back ≤ 8 min median (5, 50 rps)',
    kinds: GROSS,
    rps: [5, 50],
    judge: { type: 'median', limit: 8 },
  },
  {
    text: '0.5 rps A/A: ≤ 4 h median, or the undecided said they need traffic/a person',
    kinds: ['aa'],
    rps: [0.5],
    judge: { type: 'median or stalled', limit: 240 },
  },
];

interface Verdict {
  met: boolean;
  /** What the row measured, as a missed line ends. */
  shown: string;
  /** A rate's bound: its value and text. */
  bound?: { value: number; text: string };
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

function judgeRow(judge: Judge, row: ScenarioRow): Verdict {
  const median = row.medianMinutes;
  const fast = median !== null && median <= judge.limit;
  const minutes = median === null ? 'no decided release' : `${median} min`;
  switch (judge.type) {
    case 'rate': {
      const x = judge.count(row);
      const n = row.releases;
      const rate = n === 0 ? NaN : x / n;
      const value =
        judge.side === '≤'
          ? proportionUpper(x, n, TARGET_ALPHA)
          : proportionLower(x, n, TARGET_ALPHA);
      const text = `${x}/${n} → ${judge.side} ${(100 * value).toFixed(1)} %`;
      const met = judge.side === '≤' ? rate <= judge.limit : rate >= judge.limit;
      return { met, shown: `${percent(rate)} (${text})`, bound: { value, text } };
    }
    case 'median':
      return { met: fast, shown: minutes };
    case 'median or stalled': {
      const allSaid = row.undecided > 0 && row.stalled === row.undecided;
      const said = `${row.stalled} of ${row.undecided} undecided said they need traffic or a person`;
      return { met: fast || allSaid, shown: `${minutes}; ${said}` };
    }
    default: {
      const never: never = judge;
      throw new Error(`unknown target judge ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Each of issue 10's targets checked against a run's rows, picked by scenario kind and traffic.
 * With the run's service config, a missed speed target's line also gives the row's two floors
 * (feasibility.ts): the median below which no valid judge decides, and the expected minutes of
 * one valid at every look, so a reader sees whether the target is within reach at that traffic.
 */
export function evaluateTargets(results: CellRows[], service?: JudgedSettings): TargetResult[] {
  return TARGETS.map((target) => {
    const checked = results
      .filter(({ cell }) => target.rps === null || target.rps.includes(cell.rps))
      .flatMap(({ cell, rows }) =>
        rows
          .filter((row) => target.kinds.includes(row.kind))
          .map((row) => ({ cell, row, verdict: judgeRow(target.judge, row) })),
      );
    const met = checked.filter((c) => c.verdict.met);
    // The weakest evidence among met rows: the highest upper bound, or the lowest lower bound.
    const sign = target.judge.type === 'rate' && target.judge.side === '≥' ? -1 : 1;
    const weakest = met
      .flatMap((c) => (c.verdict.bound ? [c.verdict.bound] : []))
      .reduce<Verdict['bound']>(
        (w, b) => (!w || sign * b.value > sign * w.value ? b : w),
        undefined,
      );
    return {
      target: target.text,
      checked: checked.length,
      met: met.length,
      evidence: weakest?.text ?? null,
      missed: checked
        .filter((c) => !c.verdict.met)
        .map(
          (c) =>
            `${cellLabel(c.cell)} ${c.row.scenario}: ${c.verdict.shown}${
              service && target.judge.type !== 'rate'
                ? floorNote(service, c.cell, c.row, target.judge.limit)
                : ''
            }`,
        ),
    };
  });
}

function floorNote(
  service: JudgedSettings,
  cell: CellRows['cell'],
  row: ScenarioRow,
  limit: number,
): string {
  const { median, anytime } = decisionFloors(service, cell, row.kind);
  const text = (m: number) => (Number.isFinite(m) ? `${m} min` : 'never');
  const reach =
    median.minutes > limit
      ? 'beyond any valid judge'
      : anytime.minutes > limit
        ? 'beyond an always-valid judge (below it only with planned looks)'
        : 'within reach';
  return ` — floor ${text(median.minutes)}, oracle ${text(anytime.minutes)} (${anytime.by}): ${reach}`;
}

/**
 * The targets as a Markdown list, as the README keeps it: "- A/A and good rolled back ≤ 1 %:
 * 24/24 rows — met (weakest met row 0/120 → ≤ 2.5 %)", each missed row a sub-item. A target with no
 * row in these cells (no cell at its traffic) is left out.
 */
export function targetLines(results: CellRows[], service?: JudgedSettings): string[] {
  return evaluateTargets(results, service)
    .filter((t) => t.checked > 0)
    .flatMap((t) => [
      `- ${t.target}: ${t.met}/${t.checked} rows${t.met === t.checked ? ' — met' : ''}${
        t.evidence ? ` (weakest met row ${t.evidence})` : ''
      }`,
      ...t.missed.map((line) => `  - missed: ${line}`),
    ]);
}
