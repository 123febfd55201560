/**
 * `npm run bench:p95-reach [-- --rps 5 --sigma 1 --releases 20000 --minutes 8 --seed 1]`: how soon
 * any single look of the p95 fail test could roll back a gross p95 green (issue 10's "≤ 8 min"
 * row) with blue estimated, and at what price for a green at the limit (local/sim/p95-reach.ts).
 * Prints a Markdown table: per minute of the first step, the chance of rolling the gross green
 * back at that one look for each level, beside the level's real cost at the limit.
 */
import { parseArgs } from 'node:util';
import { parseConfig } from '../shared/config/load.js';
import { p95Reach } from '../local/sim/p95-reach.js';

const { values } = parseArgs({
  options: {
    rps: { type: 'string', default: '5' },
    sigma: { type: 'string', default: '1' },
    'baseline-5xx': { type: 'string', default: '0.005' },
    releases: { type: 'string', default: '20000' },
    minutes: { type: 'string', default: '8' },
    levels: { type: 'string', default: '0.05,0.04,0.03,0.02,0.01' },
    seed: { type: 'string', default: '1' },
  },
});
const service = parseConfig({
  services: [
    { service: 'projects/p/locations/l/services/service', image: 'sim-docker.pkg.dev/p/r/service' },
  ],
}).services[0]!;
const cell = {
  rps: Number(values.rps),
  sigma: Number(values.sigma),
  baseline5xx: Number(values['baseline-5xx']),
  p95Ms: 100,
};
const levels = values.levels.split(',').map(Number);
const t0 = performance.now();
const rows = p95Reach({
  config: service,
  cell,
  minutes: Number(values.minutes),
  levels,
  releases: Number(values.releases),
  seed: Number(values.seed),
});
const seconds = ((performance.now() - t0) / 1000).toFixed(0);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
console.log(
  `p95 reach: ${values.releases} releases per green, ${cell.rps} requests/s, σ ${cell.sigma}, first step ${service.steps[0]}%, lag ${service.monitoringLagSeconds} s, failAlpha ${service.thresholds.failAlpha}; ${seconds} s.`,
);
console.log('');
console.log(
  `| minute | green requests | ${levels.map((l) => `level ${l}: at limit / gross`).join(' | ')} |`,
);
console.log(`|---:|---:|${levels.map(() => '---:').join('|')}|`);
for (const minute of [...new Set(rows.map((r) => r.minute))]) {
  const at = rows.filter((r) => r.minute === minute);
  console.log(
    `| ${minute} | ${at[0]!.green.toFixed(0)} | ${at.map((r) => `${pct(r.atLimit)} / **${pct(r.power)}**`).join(' | ')} |`,
  );
}
