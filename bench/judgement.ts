/**
 * `npm run bench:judgement [-- --releases N --seed S --rps 0.5,5,50 --threads T --thresholds JSON]`: the judgement benchmark
 * (issue 10). Simulated Cloud Run traffic — Poisson arrivals, lognormal latency (σ 0.5 and 1.0)
 * in Cloud Monitoring's buckets as one-minute DELTA points, Bernoulli 5xx, Beta predictions,
 * the monitoring lag, a tick each minute — drives the real controller (`advanceService` over
 * in-memory ports, local/sim) through N releases per scenario and cell, on worker threads.
 * Prints one Markdown table per cell and issue 10's targets as this run measured them (the README
 * keeps the latest), then one JSON line per row.
 * `cutover simulate` runs the same loop (local/sim/run-cells.ts) for one cell of a user's config.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../shared/config/load.js';
import { runParallel } from '../local/sim/parallel.js';
import { simulateCells } from '../local/sim/run-cells.js';
import type { Cell } from '../local/sim/scenarios.js';
import { cellTable, runHeadline } from '../local/sim/table.js';
import { targetLines } from '../local/sim/targets.js';

const { values } = parseArgs({
  options: {
    releases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    rps: { type: 'string', default: '0.5,5,50' },
    'baseline-5xx': { type: 'string', default: '0.005,0.015' },
    sigma: { type: 'string', default: '0.5,1' },
    'max-minutes': { type: 'string', default: '360' },
    threads: { type: 'string' },
    /** JSON thresholds over the defaults, e.g. '{"failureLimit":1}': to measure a setting before making it one. */
    thresholds: { type: 'string' },
  },
});
const list = (s: string) => s.split(',').map(Number);
const releases = Number(values.releases);
const config = parseConfig({
  services: [
    {
      service: 'projects/p/locations/l/services/service',
      image: 'sim-docker.pkg.dev/p/r/service',
      ...(values.thresholds && { thresholds: JSON.parse(values.thresholds) as unknown }),
    },
  ],
});
const service = config.services[0]!;
const cells: Cell[] = list(values.rps).flatMap((rps) =>
  list(values['baseline-5xx']).flatMap((baseline5xx) =>
    list(values.sigma).map((sigma) => ({ rps, baseline5xx, sigma, p95Ms: 100 })),
  ),
);
const t0 = performance.now();
let done = 0;
const total = cells.length * 10 * releases;
const results = await simulateCells(
  config,
  cells,
  {
    releases,
    seed: Number(values.seed),
    maxMinutes: Number(values['max-minutes']),
    stalledStopMinutes: Infinity,
  },
  () => {
    done += 1;
    if (done % 500 === 0) process.stderr.write(`  ${done}/${total} releases\n`);
  },
  values.threads ? (jobs, tick) => runParallel(jobs, tick, Number(values.threads)) : undefined,
);
const seconds = Math.round((performance.now() - t0) / 1000);
console.log(`${runHeadline(service, releases, seconds)}\n`);
for (const { cell, rows } of results) console.log(cellTable(cell, rows, service).join('\n'));
console.log(
  [
    'Targets of issue 10, as this run measured them:',
    '',
    ...targetLines(results, service),
    '',
  ].join('\n'),
);
for (const { cell, rows } of results)
  for (const row of rows) console.log(JSON.stringify({ cell, ...row }));
