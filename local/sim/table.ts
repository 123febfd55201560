import { decisionFloors, type JudgedSettings } from './feasibility.js';
import type { Cell } from './scenarios.js';
import type { ScenarioRow } from './run-cell.js';

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;

/** What a run was: releases per cell and the settings the numbers depend on. */
export function runHeadline(service: JudgedSettings, releases: number, seconds: number): string {
  const t = service.thresholds;
  return `Judgement benchmark: ${releases} releases per scenario and cell; steps [${service.steps.join(', ')}], bake ${service.bakeSeconds} s, monitoring lag ${service.monitoringLagSeconds} s, failAlpha ${t.failAlpha}, passAlpha ${t.passAlpha}, promoteAlpha ${t.promoteAlpha}; ${seconds} s.`;
}

export function cellHeading(cell: Cell): string {
  return `${cell.rps} requests/s · blue 5xx ${(cell.baseline5xx * 100).toFixed(1)}% · latency σ ${cell.sigma} (p95 ${cell.p95Ms} ms)`;
}

/** A cell in a line of text: "5 rps, 5xx 0.5%, σ 1". */
export function cellLabel(cell: Cell): string {
  return `${cell.rps} rps, 5xx ${(cell.baseline5xx * 100).toFixed(1)}%, σ ${cell.sigma}`;
}

/**
 * A cell's rows as a Markdown table. The two floors (feasibility.ts) are judges that know both
 * revisions exactly: "floor min" is the median below which no valid judge decides, "oracle min"
 * the expected minutes of one valid at every look with no horizon, as cutover's tests are.
 */
export function cellTable(cell: Cell, rows: ScenarioRow[], service: JudgedSettings): string[] {
  const lines = [
    `#### ${cellHeading(cell)}`,
    '',
    '| scenario | releases | promoted | rolled back | undecided (stalled) | said stalled | stopped at 10% | median min | floor min | oracle min | median green req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const floors = floorTexts(service, cell, r);
    lines.push(
      `| ${r.scenario} | ${r.releases} | ${pct(r.promoted, r.releases)} | ${pct(r.rolledBack, r.releases)} | ${pct(r.undecided, r.releases)} (${pct(r.stalled, r.releases)}) | ${pct(r.saidStalled, r.releases)} | ${pct(r.firstStepOnly, r.releases)} | ${r.medianMinutes ?? '–'} | ${floors.median} | ${floors.anytime} | ${r.medianGreenRequests ?? '–'} |`,
    );
  }
  return [...lines, ''];
}

/** A row's two floors in minutes ("∞": no valid judge decides it). */
export function floorTexts(
  service: JudgedSettings,
  cell: Cell,
  row: Pick<ScenarioRow, 'kind'>,
): { median: string; anytime: string } {
  const floors = decisionFloors(service, cell, row.kind);
  const text = (m: number) => (Number.isFinite(m) ? String(m) : '∞');
  return { median: text(floors.median.minutes), anytime: text(floors.anytime.minutes) };
}
