import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { loadConfigFile, loadConfigFromEnv, parseConfig } from '../shared/config/load.js';
import { ConfigError } from '../shared/errors.js';
import type { Config } from '../shared/schemas/config.js';
import { simulateCells, type JobRunner, type SimulationOptions } from '../local/sim/run-cells.js';
import type { ScenarioRow } from '../local/sim/run-cell.js';
import type { Cell } from '../local/sim/scenarios.js';
import { cellHeading, floorTexts } from '../local/sim/table.js';
import { targetLines } from '../local/sim/targets.js';
import { processIo, wantsJson, type Io, type OutputOptions } from './output.js';

export interface SimulateOptions extends OutputOptions {
  config?: string;
  service?: string;
  rps?: string;
  errorRate?: string;
  p95Ms?: string;
  sigma?: string;
  releases?: string;
  seed?: string;
  maxMinutes?: string;
}

const positive = (what: string) =>
  z.coerce.number({ error: `${what} must be a number` }).positive(`${what} must be above 0`);

/** The command line's numbers, validated once. */
const Flags = z.object({
  rps: positive('--rps'),
  errorRate: z.coerce
    .number({ error: '--error-rate must be a number' })
    .min(0, '--error-rate must be between 0 and 1')
    .lt(1, '--error-rate must be between 0 and 1'),
  p95Ms: positive('--p95-ms'),
  sigma: positive('--sigma'),
  releases: z.coerce
    .number()
    .int('--releases must be whole')
    .positive('--releases must be 1 or more'),
  seed: z.coerce.number().int('--seed must be whole'),
  maxMinutes: z.coerce
    .number()
    .int('--max-minutes must be whole')
    .positive('--max-minutes must be above 0'),
});

/** What `cutover simulate --json` prints. */
export interface SimulationReport {
  service: string;
  cell: Cell;
  releases: number;
  seed: number;
  settings: {
    steps: number[];
    bakeSeconds: number;
    monitoringLagSeconds: number;
    thresholds: Config['services'][number]['thresholds'];
  };
  rows: ScenarioRow[];
  seconds: number;
}

/** A progress display: cli-progress on a terminal, nothing otherwise. */
export interface Progress {
  start(total: number): void;
  tick(): void;
  stop(): void;
}

const silent: Progress = { start: () => undefined, tick: () => undefined, stop: () => undefined };

function terminalBar(): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: 'simulating {bar} {value}/{total} releases · {eta_formatted} left',
      clearOnComplete: true,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start: (total) => bar.start(total, 0),
    tick: () => bar.increment(),
    stop: () => bar.stop(),
  };
}

export interface SimulateEnv {
  io: Io;
  /** The progress display for a text run (the JSON run never shows one). */
  progress: () => Progress;
  runner?: JobRunner;
  now: () => number;
}

const processEnv: SimulateEnv = {
  io: processIo,
  progress: () => (process.stderr.isTTY ? terminalBar() : silent),
  now: () => performance.now(),
};

/**
 * `cutover simulate --rps N [--error-rate R] [--p95-ms M]`: the judgement benchmark's simulator
 * (local/sim) driving the real controller with the user's config and thresholds, for one cell —
 * their traffic, their stable's 5xx rate and p95 — through the scenarios of their thresholds
 * (A/A, good, at the limit, clearly bad, gross). Exit 0, or 2 on a bad flag or config.
 */
export async function runSimulate(
  options: SimulateOptions,
  env: SimulateEnv = processEnv,
): Promise<number> {
  const { io } = env;
  const json = wantsJson(options);
  const flags = Flags.safeParse({
    rps: options.rps,
    errorRate: options.errorRate ?? '0.005',
    p95Ms: options.p95Ms ?? '100',
    sigma: options.sigma ?? '0.5',
    releases: options.releases ?? '50',
    seed: options.seed ?? '1',
    maxMinutes: options.maxMinutes ?? '360',
  });
  if (!flags.success) {
    io.err(`cutover simulate: ${flags.error.issues.map((i) => i.message).join('; ')}\n`);
    return 2;
  }
  let config: Config;
  try {
    config = pickService(loadConfig(options.config), options.service);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.err(`cutover simulate: ${error.issues.join('; ')}\n`);
    return 2;
  }
  const f = flags.data;
  const cell: Cell = { rps: f.rps, baseline5xx: f.errorRate, sigma: f.sigma, p95Ms: f.p95Ms };
  const sim: SimulationOptions = {
    releases: f.releases,
    seed: f.seed,
    maxMinutes: f.maxMinutes,
    stalledStopMinutes: Infinity,
  };
  const progress = json ? silent : env.progress();
  const t0 = env.now();
  progress.start(f.releases * 10);
  let rows: ScenarioRow[];
  try {
    const [only] = await simulateCells(config, [cell], sim, () => progress.tick(), env.runner);
    rows = only!.rows;
  } finally {
    progress.stop();
  }
  const service = config.services[0]!;
  const report: SimulationReport = {
    service: service.service,
    cell,
    releases: f.releases,
    seed: f.seed,
    settings: {
      steps: service.steps,
      bakeSeconds: service.bakeSeconds,
      monitoringLagSeconds: service.monitoringLagSeconds,
      thresholds: service.thresholds,
    },
    rows,
    seconds: Math.round((env.now() - t0) / 1000),
  };
  io.out(json ? `${JSON.stringify(report)}\n` : `${renderSimulation(report).join('\n')}\n`);
  return 0;
}

function loadConfig(file: string | undefined): Config {
  if (file) return loadConfigFile(file);
  if (process.env.CUTOVER_CONFIG || process.env.CUTOVER_CONFIG_FILE) return loadConfigFromEnv();
  return parseConfig({
    services: [
      { service: 'projects/p/locations/l/services/service', image: 'sim-docker.pkg.dev/p/r/s' },
    ],
  });
}

/** The config narrowed to the one service simulated (--service, or the only one). */
function pickService(config: Config, wanted: string | undefined): Config {
  const matches = wanted
    ? config.services.filter((s) => s.service === wanted || s.service.endsWith(`/${wanted}`))
    : config.services;
  if (matches.length !== 1)
    throw new ConfigError([
      wanted
        ? `no single service matches --service ${wanted}; the config has ${config.services.map((s) => s.service).join(', ')}`
        : `the config has ${config.services.length} services; pick one with --service`,
    ]);
  return { ...config, services: matches };
}

const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`;

/**
 * The report as text: one line per scenario, the three numbers a team decides on, then the
 * targets of the judgement benchmark (issue 10) that apply at this cell's traffic.
 */
export function renderSimulation(r: SimulationReport): string[] {
  const width = Math.max(...r.rows.map((row) => row.scenario.length));
  const lines = [
    `${r.service}: ${r.releases} simulated releases per scenario at ${cellHeading(r.cell)}`,
    `steps [${r.settings.steps.join(', ')}], bake ${r.settings.bakeSeconds} s, lag ${r.settings.monitoringLagSeconds} s, seed ${r.seed}; ${r.seconds} s`,
    '',
    `${'scenario'.padEnd(width)}  promoted  rolled back  undecided (stalled)  said stalled  median min  floor min  oracle min  median green req`,
  ];
  for (const row of r.rows) {
    const floors = floorTexts(r.settings, r.cell, row);
    const undecided = `${pct(row.undecided, row.releases)} (${pct(row.stalled, row.releases)})`;
    lines.push(
      `${row.scenario.padEnd(width)}  ${pct(row.promoted, row.releases).padStart(8)}  ${pct(row.rolledBack, row.releases).padStart(11)}  ${undecided.padStart(19)}  ${pct(row.saidStalled, row.releases).padStart(12)}  ${String(row.medianMinutes ?? '–').padStart(10)}  ${floors.median.padStart(9)}  ${floors.anytime.padStart(10)}  ${String(row.medianGreenRequests ?? '–').padStart(16)}`,
    );
  }
  return [
    ...lines,
    '',
    ...summary(r),
    '',
    `The benchmark's targets at ${r.cell.rps} requests/s (issue 10):`,
    ...targetLines([{ cell: r.cell, rows: r.rows }], r.settings),
  ];
}

function summary(r: SimulationReport): string[] {
  const rows = r.rows;
  const promote = rows.filter((row) => row.expect === 'promote');
  const bad = rows.filter((row) => row.expect === 'roll back');
  const sum = (xs: ScenarioRow[], f: (row: ScenarioRow) => number) =>
    xs.reduce((a, row) => a + f(row), 0);
  const aa = rows[0];
  const wrong = sum(promote, (row) => row.rolledBack);
  const missed = sum(bad, (row) => row.promoted);
  const stalled = sum(rows, (row) => row.saidStalled);
  const lines = [
    `With this config at ${r.cell.rps} requests/s: releases that should promote wrongly rolled back ≈ ${pct(
      wrong,
      sum(promote, (row) => row.releases),
    )}; bad releases promoted ≈ ${pct(
      missed,
      sum(bad, (row) => row.releases),
    )}; median time to promote an unchanged release ${aa?.medianMinutes ?? '–'} min.`,
  ];
  if (stalled > 0)
    lines.push(
      `${pct(
        stalled,
        sum(rows, (row) => row.releases),
      )} of releases said, at some tick, that they were stalled: at this traffic the judge could not project a decision within maxInconclusiveSeconds (raise traffic, or decide by hand: cutover promote | cutover rollback).`,
    );
  return lines;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      "simulate releases of your service through cutover's real judge: how often good releases are rolled back and bad ones caught, and how long it takes",
    )
    .requiredOption('--rps <n>', 'requests per second to the service')
    .option(
      '--config <file>',
      'the config (default: CUTOVER_CONFIG / CUTOVER_CONFIG_FILE, else defaults)',
    )
    .option('--service <name>', 'the service to simulate, when the config has several')
    .option('--error-rate <r>', "the stable's 5xx rate, 0..1", '0.005')
    .option('--p95-ms <ms>', "the stable's p95 latency in ms", '100')
    .option('--sigma <s>', 'log-sd of the lognormal latency (0.5 narrow, 1 wide)', '0.5')
    .option('--releases <k>', 'simulated releases per scenario (more: finer rates, slower)', '50')
    .option('--seed <n>', 'the random seed (same seed, same releases)', '1')
    .option('--max-minutes <m>', 'a release still undecided after this long ends undecided', '360')
    .option('--json', 'print the result as JSON')
    .option('--format <format>', 'json or text, as gcloud spells it')
    .action(async (options: SimulateOptions) => {
      process.exitCode = await runSimulate(options);
    });
}
