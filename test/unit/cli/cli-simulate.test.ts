import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSimulate, type Progress, type SimulationReport } from '../../../cli/simulate.js';
import { parseConfig } from '../../../shared/config/load.js';
import { runInline, simulateCells } from '../../../local/sim/run-cells.js';

const SERVICE = 'projects/p/locations/l/services/shop';
const configFile = () => {
  const path = join(mkdtempSync(join(tmpdir(), 'simulate-')), 'cutover.json');
  const config = {
    services: [{ service: SERVICE, image: 'sim-docker.pkg.dev/p/r/shop', steps: [20, 100] }],
  };
  writeFileSync(path, JSON.stringify(config));
  return { path, config };
};

function harness() {
  const out: string[] = [];
  const err: string[] = [];
  const ticks: number[] = [];
  const progress: Progress = {
    start: (total) => void ticks.push(-total),
    tick: () => void ticks.push(1),
    stop: () => void ticks.push(0),
  };
  const env = {
    io: { out: (t: string) => void out.push(t), err: (t: string) => void err.push(t) },
    progress: () => progress,
    runner: runInline,
    now: () => 0,
  };
  return { out, err, ticks, env };
}

describe('cutover simulate', () => {
  it('prints the JSON report, and its rows are the bench loop’s for the same cell and seed', async () => {
    const { path, config } = configFile();
    const h = harness();
    const flags = { config: path, rps: '50', errorRate: '0.01', p95Ms: '100', releases: '2' };
    expect(await runSimulate({ ...flags, seed: '7', json: true }, h.env)).toBe(0);
    const report = JSON.parse(h.out.join('')) as SimulationReport;
    expect(report.service).toBe(SERVICE);
    expect(report.cell).toEqual({ rps: 50, baseline5xx: 0.01, sigma: 0.5, p95Ms: 100 });
    expect(report.settings.steps).toEqual([20, 100]);
    expect(report.rows.map((r) => [r.scenario, r.expect, r.releases])).toEqual([
      ['A/A', 'promote', 2],
      ['good (p95 +5%, 5xx 1%, drift +10%)', 'promote', 2],
      ['at limit (p95 +15%, 5xx 2%, drift +20%)', 'promote', 2],
      ['bad p95 +30% (scaled)', 'roll back', 2],
      ['bad p95 +30% (tail only)', 'roll back', 2],
      ['bad 5xx 3%', 'roll back', 2],
      ['bad drift +25%', 'roll back', 2],
      ['gross p95 +55%', 'roll back', 2],
      ['gross 5xx 10%', 'roll back', 2],
      ['gross drift +40%', 'roll back', 2],
    ]);
    for (const r of report.rows) expect(r.promoted + r.rolledBack + r.undecided).toBe(2);
    expect(h.ticks).toEqual([]); // --json never shows a bar

    // The benchmark's loop, with this cell among others in its grid, runs the same releases.
    const cell = report.cell;
    const grid = [{ ...cell, rps: 5 }, cell];
    const bench = await simulateCells(
      parseConfig(config),
      grid,
      { releases: 2, seed: 7, maxMinutes: 360, stalledStopMinutes: 60 },
      () => undefined,
      runInline,
    );
    expect(bench[1]!.rows).toEqual(report.rows);
  }, 60_000);

  it('shows progress and a summary in text, and names a bad flag', async () => {
    const { path } = configFile();
    const h = harness();
    const code = await runSimulate({ config: path, rps: '50', releases: '1' }, h.env);
    expect(code).toBe(0);
    expect(h.ticks[0]).toBe(-10);
    expect(h.ticks.filter((t) => t === 1)).toHaveLength(10);
    expect(h.ticks.at(-1)).toBe(0);
    const text = h.out.join('');
    expect(text).toContain('1 simulated releases per scenario at 50 requests/s');
    expect(text).toMatch(
      /With this config at 50 requests\/s: releases that should promote wrongly rolled back ≈ \d/,
    );
    // The benchmark's targets that apply at 50 requests/s, and not the 0.5 or 5 rps ones.
    expect(text).toContain("The benchmark's targets at 50 requests/s (issue 10):");
    expect(text).toMatch(/- A\/A and good rolled back ≤ 1 %: \d\/2 rows/);
    expect(text).toContain('- A/A median ≤ 25 min at 50 rps: ');
    expect(text).not.toContain('at 5 rps');

    const bad = harness();
    expect(await runSimulate({ rps: '-1' }, bad.env)).toBe(2);
    expect(bad.err.join('')).toContain('--rps must be above 0');
    expect(await runSimulate({ config: path, rps: '5', service: 'other' }, bad.env)).toBe(2);
    expect(bad.err.join('')).toContain(
      `no single service matches --service other; the config has ${SERVICE}`,
    );
  }, 60_000);
});
