import { decisionFloor, type JudgedSettings } from './feasibility.js';
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
 * A cell's rows as a Markdown table. "floor min": the expected minutes to the decision of the best
 * valid judge, one that knows both revisions exactly (feasibility.ts) — no row can beat it by much.
 */
export function cellTable(cell: Cell, rows: ScenarioRow[], service: JudgedSettings): string[] {
  const lines = [
    `#### ${cellHeading(cell)}`,
    '',
    '| scenario | releases | promoted | rolled back | undecided (stalled) | said stalled | stopped at 10% | median min | floor min | median green req |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.scenario} | ${r.releases} | ${pct(r.promoted, r.releases)} | ${pct(r.rolledBack, r.releases)} | ${pct(r.undecided, r.releases)} (${pct(r.stalled, r.releases)}) | ${pct(r.saidStalled, r.releases)} | ${pct(r.firstStepOnly, r.releases)} | ${r.medianMinutes ?? '–'} | ${floorText(service, cell, r)} | ${r.medianGreenRequests ?? '–'} |`,
    );
  return [...lines, ''];
}

/** The decision floor of a row's scenario, in minutes ("∞": no valid judge decides it). */
export function floorText(
  service: JudgedSettings,
  cell: Cell,
  row: Pick<ScenarioRow, 'kind'>,
): string {
  const { minutes } = decisionFloor(service, cell, row.kind);
  return Number.isFinite(minutes) ? String(minutes) : '∞';
}
