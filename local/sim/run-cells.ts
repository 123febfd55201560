import type { Config } from '../../shared/schemas/config.js';
import { runParallel } from './parallel.js';
import { chunksOf, runJob, summarise, type CellJob, type ScenarioRow } from './run-cell.js';
import { scenariosFor, type Cell } from './scenarios.js';
import type { ReleaseResult } from './run-release.js';

/** How a batch of cells is simulated: releases per scenario, the seed, and when a release ends. */
export interface SimulationOptions {
  releases: number;
  seed: number;
  /** A release still undecided after this many minutes ends undecided. */
  maxMinutes: number;
  /** A release that said "stalled" this many minutes in a row ends undecided: a person has it. */
  stalledStopMinutes: number;
}

export interface CellRows {
  cell: Cell;
  rows: ScenarioRow[];
}

/** Runs jobs and returns each job's releases in order (worker threads, or in-process for tests). */
export type JobRunner = (jobs: CellJob[], onRelease: () => void) => Promise<ReleaseResult[][]>;

/** The in-process runner: the same chunks and seeds as runParallel, one after the other. */
export const runInline: JobRunner = async (jobs, onRelease) => {
  const out: ReleaseResult[][] = [];
  for (const job of jobs) {
    const results: ReleaseResult[] = [];
    for (const chunk of chunksOf(job)) results.push(...(await runJob(chunk, onRelease)));
    out.push(results);
  }
  return out;
};

/**
 * A job's seed from the run's seed, the cell's own numbers and the scenario's index, never the
 * cell's place in a grid: the bench's row for a cell and `cutover simulate` of that cell (same
 * config, seed and releases) run the very same releases.
 */
export function jobSeed(seed: number, cell: Cell, scenario: number): number {
  const key = `${seed}|${cell.rps}|${cell.baseline5xx}|${cell.sigma}|${cell.p95Ms}|${scenario}`;
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % 1_000_000;
}

/** Every scenario of the config's first service (its thresholds) in every cell, as jobs. */
export function cellJobs(config: Config, cells: Cell[], options: SimulationOptions): CellJob[] {
  const service = config.services[0];
  if (!service) throw new Error('the simulation needs one configured service');
  return cells.flatMap((cell) =>
    scenariosFor(service.thresholds, cell).map((scenario, s) => ({
      config,
      cell,
      scenario,
      releases: options.releases,
      seed: jobSeed(options.seed, cell, s),
      maxMinutes: options.maxMinutes,
      stalledStopMinutes: options.stalledStopMinutes,
    })),
  );
}

/**
 * The one loop behind `npm run bench:judgement` and `cutover simulate`: every scenario in every
 * cell through the real controller, summarised per cell. `onRelease` fires once per release.
 */
export async function simulateCells(
  config: Config,
  cells: Cell[],
  options: SimulationOptions,
  onRelease: () => void = () => undefined,
  runner: JobRunner = (jobs, tick) => runParallel(jobs, tick),
): Promise<CellRows[]> {
  const jobs = cellJobs(config, cells, options);
  const results = await runner(jobs, onRelease);
  return cells.map((cell) => ({
    cell,
    rows: jobs.flatMap((job, i) =>
      job.cell === cell ? [summarise(job.scenario, results[i]!)] : [],
    ),
  }));
}
