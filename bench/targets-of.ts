/**
 * `npx tsx bench/targets-of.ts [--tables] RUN.txt [RUN.txt …]`: issue 10's targets over the rows
 * of one or more saved `npm run bench:judgement` outputs (their JSON lines), so runs made at
 * different sizes — e.g. 1000 releases at 5 and 50 requests/s, fewer at 0.5 — are judged as one
 * table. `--tables` first prints each cell's table again, with the floors as the code computes
 * them now (they depend on the config only, not on the run).
 */
import { readFileSync } from 'node:fs';
import { parseConfig } from '../shared/config/load.js';
import type { CellRows } from '../local/sim/run-cells.js';
import type { ScenarioRow } from '../local/sim/run-cell.js';
import type { Cell } from '../local/sim/scenarios.js';
import { cellTable } from '../local/sim/table.js';
import { targetLines } from '../local/sim/targets.js';

const args = process.argv.slice(2);
const tables = args.includes('--tables');
const files = args.filter((a) => a !== '--tables');
if (files.length === 0) {
  console.error(
    'usage: npx tsx bench/targets-of.ts [--tables] RUN.txt [RUN.txt …] (saved bench:judgement outputs)',
  );
  process.exit(2);
}
const cells = new Map<string, CellRows>();
for (const file of files)
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    const { cell, ...row } = JSON.parse(line) as { cell: Cell } & ScenarioRow;
    const key = JSON.stringify(cell);
    const rows = cells.get(key) ?? { cell, rows: [] };
    rows.rows.push(row);
    cells.set(key, rows);
  }
// The benchmark runs at the default config: the floors of missed speed targets are at it too.
const service = parseConfig({
  services: [
    { service: 'projects/p/locations/l/services/service', image: 'sim-docker.pkg.dev/p/r/service' },
  ],
}).services[0]!;
if (tables)
  for (const { cell, rows } of cells.values())
    console.log(cellTable(cell, rows, service).join('\n'));
console.log(targetLines([...cells.values()], service).join('\n'));
