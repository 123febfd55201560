/**
 * Benchmarks (never timed assertions in tests):
 * - cold start: a fresh Node process importing the compiled functions entry (npm run build first),
 *   then the first use of each client, as a function instance would on its first event;
 * - decision: the pure release transition and step judgement, per second.
 * Prints one JSON line per measurement.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../shared/config/load.js';
import { measured } from '../shared/domain/measurement.js';
import { lognormalHistogram, predictionMoments } from '../local/sim/synthetic.js';
import { initialRecord, transition } from '../shared/domain/release-machine.js';

function coldStart(label: string, script: string, runs = 5): void {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        ...process.env,
        METADATA_SERVER_DETECTION: 'none',
        CUTOVER_CONFIG_FILE: 'examples/cutover.config.json',
        CUTOVER_EMULATOR_HOST: '127.0.0.1:9',
      },
    });
    samples.push(Number(out.toString().trim()));
  }
  samples.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      bench: `cold-start ${label}`,
      medianMs: samples[Math.floor(runs / 2)],
      minMs: samples[0],
      runs,
    }),
  );
}

if (existsSync('dist/functions/index.js')) {
  const t = 'const t0 = performance.now();';
  coldStart(
    'import functions/index',
    `${t} await import('./dist/functions/index.js'); console.log(performance.now() - t0);`,
  );
  for (const client of ['platform', 'bus', 'metrics', 'registry']) {
    coldStart(
      `import + build ${client} client`,
      `${t} await import('./dist/functions/index.js'); const { buildDeps } = await import('./dist/shared/adapters/wiring.js'); buildDeps(process.env).${client}(); console.log(performance.now() - t0);`,
    );
  }
} else {
  console.log(JSON.stringify({ bench: 'cold-start', skipped: 'run `npm run build` first' }));
}

const config = parseConfig(
  JSON.parse(
    '{"services":[{"service":"projects/p/locations/l/services/s","image":"h-docker.pkg.dev/p/r/i","bakeSeconds":0}]}',
  ),
).services[0]!;
const m = {
  requests: measured({ requests: 1000, errors5xx: 3 }),
  latencyMs: measured(lognormalHistogram(1000, 120)),
  prediction: measured(predictionMoments(1000, 0.4)),
};
let record = initialRecord({ revision: 's-00001-abc', image: 'h-docker.pkg.dev/p/r/i@sha256:1' });
record = transition(
  record,
  { type: 'push', releaseId: 'r1', image: 'h-docker.pkg.dev/p/r/i@sha256:2', tag: '2' },
  { config, now: new Date(0) },
).record;
record = transition(
  record,
  { type: 'candidate-ready', releaseId: 'r1' },
  { config, now: new Date(1) },
).record;
record = transition(
  record,
  { type: 'smoke-result', releaseId: 'r1', smoke: { passed: true, checks: [] } },
  { config, now: new Date(2) },
).record;
const n = 20_000;
const t0 = performance.now();
for (let i = 0; i < n; i++) {
  transition(
    record,
    {
      type: 'analysis',
      releaseId: 'r1',
      step: 0,
      blue: m,
      green: m,
      window: { start: new Date(0), end: new Date(1000) },
    },
    { config, now: new Date(3000) },
  );
}
const ms = performance.now() - t0;
console.log(
  JSON.stringify({
    bench: 'judge + transition',
    perSecond: Math.round((n / ms) * 1000),
    microsPerDecision: Math.round((ms / n) * 1000),
  }),
);
