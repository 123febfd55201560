/**
 * `npm run bench:judgement [-- --releases N --seed S --cells rps,...]`: the judgement benchmark
 * (issue 10). Simulated Cloud Run traffic — Poisson arrivals, lognormal latency (σ 0.5 and 1.0)
 * in Cloud Monitoring's buckets as one-minute DELTA points, Bernoulli 5xx, Beta predictions,
 * the monitoring lag, a tick each minute — drives the real controller (`advanceService` over
 * in-memory ports, local/sim) through N releases per scenario and cell, on worker threads.
 * Prints one Markdown table per cell (the README keeps the latest), then one JSON line per row.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../shared/config/load.js';
import { runParallel } from '../local/sim/parallel.js';
import { summarise, type CellJob } from '../local/sim/run-cell.js';
import { SCENARIOS, type Cell } from '../local/sim/scenarios.js';
import { cellTable } from '../local/sim/table.js';

const { values } = parseArgs({
  options: {
    releases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    rps: { type: 'string', default: '0.5,5,50' },
    'max-minutes': { type: 'string', default: '360' },
  },
});
const releases = Number(values.releases);
const config = parseConfig({
  services: [
    { service: 'projects/p/locations/l/services/service', image: 'sim-docker.pkg.dev/p/r/service' },
  ],
});
const cells: Cell[] = values.rps
  .split(',')
  .flatMap((rps) =>
    [0.005, 0.015].flatMap((baseline5xx) =>
      [0.5, 1].map((sigma) => ({ rps: Number(rps), baseline5xx, sigma, p95Ms: 100 })),
    ),
  );
const jobs: CellJob[] = cells.flatMap((cell, c) =>
  SCENARIOS.map((scenario, s) => ({
    config,
    cell,
    scenario,
    releases,
    seed: Number(values.seed) * 10_000 + c * 100 + s,
    maxMinutes: Number(values['max-minutes']),
    stalledStopMinutes: 60,
  })),
);
const t0 = performance.now();
let done = 0;
const total = jobs.length * releases;
const results = await runParallel(jobs, () => {
  done += 1;
  if (done % 1000 === 0) process.stderr.write(`  ${done}/${total} releases\n`);
});
const seconds = ((performance.now() - t0) / 1000).toFixed(0);
console.log(
  `Judgement benchmark: ${releases} releases per scenario and cell, default thresholds, steps [10, 25, 50, 100], bake 300 s, monitoring lag 180 s; ${seconds} s.\n`,
);
const rows = jobs.map((job, i) => ({ job, row: summarise(job.scenario, results[i]!) }));
for (const cell of cells)
  console.log(
    cellTable(
      cell,
      rows.filter((r) => r.job.cell === cell).map((r) => r.row),
    ).join('\n'),
  );
for (const { job, row } of rows) console.log(JSON.stringify({ cell: job.cell, ...row }));
