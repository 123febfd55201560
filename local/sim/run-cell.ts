import type { Config } from '../../shared/schemas/config.js';
import { seededRandom } from './random.js';
import { runRelease, type ReleaseResult } from './run-release.js';
import type { Cell, Scenario } from './scenarios.js';

export interface CellJob {
  config: Config;
  cell: Cell;
  scenario: Scenario;
  releases: number;
  seed: number;
  maxMinutes: number;
  stalledStopMinutes: number;
}

/** What a batch of releases of one scenario in one cell came to. */
export interface ScenarioRow {
  /** Which scenario (the targets pick rows by it); `scenario` is its name for a reader. */
  kind: Scenario['kind'];
  scenario: string;
  expect: Scenario['expect'];
  releases: number;
  promoted: number;
  rolledBack: number;
  undecided: number;
  /** Undecided releases that said they were stalled (too little traffic / a person decides). */
  stalled: number;
  /** Releases that said, at some tick, that they need more traffic or a person. */
  saidStalled: number;
  /** Releases that never went past the first step. */
  firstStepOnly: number;
  /** Median minutes and green requests to a decision, over the decided releases (null if none). */
  medianMinutes: number | null;
  medianGreenRequests: number | null;
}

/** The chunk size both runners split jobs into, so a seed gives the same releases either way. */
export const CHUNK = 50;

/** A job split into chunks of CHUNK releases, each with its own derived seed. */
export function chunksOf(job: CellJob): CellJob[] {
  return Array.from({ length: Math.ceil(job.releases / CHUNK) }, (_, c) => ({
    ...job,
    releases: Math.min(CHUNK, job.releases - c * CHUNK),
    seed: job.seed * 1000 + c,
  }));
}

/** Runs one job's releases one after the other; `onRelease` reports progress. */
export async function runJob(job: CellJob, onRelease: () => void = () => undefined) {
  const r = seededRandom(job.seed);
  const results: ReleaseResult[] = [];
  for (let i = 0; i < job.releases; i++) {
    results.push(
      await runRelease(
        r,
        job.config,
        job.cell,
        job.scenario.change,
        job.maxMinutes,
        job.stalledStopMinutes,
      ),
    );
    onRelease();
  }
  return results;
}

export function summarise(scenario: Scenario, results: ReleaseResult[]): ScenarioRow {
  const decided = results.filter((r) => r.outcome !== 'undecided');
  const count = (o: ReleaseResult['outcome']) => results.filter((r) => r.outcome === o).length;
  return {
    kind: scenario.kind,
    scenario: scenario.name,
    expect: scenario.expect,
    releases: results.length,
    promoted: count('promoted'),
    rolledBack: count('rolled back'),
    undecided: count('undecided'),
    stalled: results.filter((r) => r.outcome === 'undecided' && r.stalled).length,
    saidStalled: results.filter((r) => r.saidStalled).length,
    firstStepOnly: results.filter((r) => r.furthestStep === 0).length,
    medianMinutes: median(decided.map((r) => r.minutes)),
    medianGreenRequests: median(decided.map((r) => r.greenRequests)),
  };
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
