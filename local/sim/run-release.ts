import { initialRecord, transition } from '../../shared/domain/release-machine.js';
import type { Config } from '../../shared/schemas/config.js';
import type { Release } from '../../shared/schemas/release.js';
import { advanceService } from '../../shared/usecases/advance.js';
import type { Deps } from '../../shared/usecases/deps.js';
import { minuteOf, type RevisionModel } from './minute-traffic.js';
import type { Random } from './random.js';
import { latencyProbabilities, predictionShape, type Cell, type Change } from './scenarios.js';
import { silentLogger, SimMetrics, SimPlatform } from './sim-ports.js';

export type Outcome = 'promoted' | 'rolled back' | 'undecided';

export interface ReleaseResult {
  outcome: Outcome;
  /** Minutes from the first step's start to the decision (or to the end of the simulation). */
  minutes: number;
  /** Requests green served until then. */
  greenRequests: number;
  /** The furthest step reached (0 = the first). */
  furthestStep: number;
  /** The release said it is stalled (too little traffic / needs a person) at its last tick. */
  stalled: boolean;
  /** It said so at some tick (it may have decided later, when evidence arrived). */
  saidStalled: boolean;
}

const REPO = 'sim-docker.pkg.dev/p/r/service';
const T0 = Date.parse('2026-01-05T09:00:00Z');

/**
 * One release through the REAL controller: the record is walked to its first step by the domain's
 * own transitions (push, ready, smoke passed), then `advanceService` — measure, judge, decide,
 * write — runs on a tick each minute against in-memory ports, while blue and green serve
 * simulated traffic at the split the controller last wrote. Ends at a decision or after
 * `maxMinutes`.
 */
export async function runRelease(
  r: Random,
  full: Config,
  cell: Cell,
  change: Change,
  maxMinutes: number,
  /** End a release that has said "stalled" for this many minutes in a row: a person has it. */
  stalledStopMinutes = Infinity,
): Promise<ReleaseResult> {
  const config = full.services[0];
  if (!config) throw new Error('the simulation needs one configured service');
  const stable = { revision: 'service-00001-blu', image: `${REPO}@sha256:${'1'.repeat(64)}` };
  let record = initialRecord(stable);
  const ctx = (ms: number) => ({ config, now: new Date(ms) });
  const image = `${REPO}@sha256:${'2'.repeat(64)}`;
  record = transition(record, { type: 'push', releaseId: 'r1', image, tag: '2' }, ctx(T0)).record;
  record = transition(record, { type: 'candidate-ready', releaseId: 'r1' }, ctx(T0)).record;
  const smoke = { passed: true, checks: [] };
  const started = transition(record, { type: 'smoke-result', releaseId: 'r1', smoke }, ctx(T0));
  const platform = SimPlatform.of(config.service, started.record);
  const first = started.commands.find((c) => c.kind === 'update-service');
  if (first?.kind === 'update-service')
    await platform.update(platform.current(), { traffic: first.traffic, record: started.record });
  const metrics = new SimMetrics();
  let now = T0;
  const deps: Deps = {
    config: full,
    clock: { now: () => new Date(now) },
    logger: silentLogger,
    platform: () => platform,
    bus: () => ({ publish: async () => 'id' }),
    registry: () => ({ listTags: async () => [], addTag: async () => undefined }),
    metrics: () => metrics,
    prober: () => {
      throw new Error('the simulation starts after the smoke test');
    },
    inferenceLogs: () => ({ list: async () => [], read: async () => '' }),
    replayer: () => ({ replay: async () => [] }),
    newId: () => 'sim',
  };
  const green = candidateOf(started.record.release);
  const blueModel = model(cell, null);
  const greenModel = model(cell, change);
  let greenRequests = 0;
  let furthestStep = 0;
  let stalledFor = 0;
  let saidStalled = false;
  for (let minute = 1; minute <= maxMinutes; minute++) {
    const endMs = T0 + minute * 60_000;
    const traffic = platform.current().written;
    const share = (rev: string) => (traffic.find((t) => t.revision === rev)?.percent ?? 0) / 100;
    metrics.add(stable.revision, minuteOf(r, blueModel, cell.rps * share(stable.revision), endMs));
    const g = minuteOf(r, greenModel, cell.rps * share(green), endMs);
    metrics.add(green, g);
    greenRequests += g.requests;
    now = endMs + 1000; // the tick of this minute
    await advanceService(deps, config);
    const release = platform.current().record?.release ?? null;
    if (release?.phase === 'shifting') {
      furthestStep = Math.max(furthestStep, release.step.index);
      stalledFor = release.stalled ? stalledFor + 1 : 0;
      saidStalled ||= release.stalled;
      if (stalledFor >= stalledStopMinutes)
        return {
          outcome: 'undecided',
          minutes: minute,
          greenRequests,
          furthestStep,
          stalled: true,
          saidStalled,
        };
    }
    if (release?.phase === 'promoted' || release?.phase === 'rolled-back')
      return {
        outcome: release.phase === 'promoted' ? 'promoted' : 'rolled back',
        minutes: minute,
        greenRequests,
        furthestStep,
        stalled: false,
        saidStalled,
      };
  }
  const release = platform.current().record?.release;
  return {
    outcome: 'undecided',
    minutes: maxMinutes,
    greenRequests,
    furthestStep,
    stalled: release?.phase === 'shifting' && release.stalled,
    saidStalled,
  };
}

function candidateOf(release: Release | null): string {
  if (!release || release.phase !== 'shifting')
    throw new Error('the release did not start shifting');
  return release.candidate.revision;
}

function model(cell: Cell, change: Change | null): RevisionModel {
  return {
    latency: latencyProbabilities(cell, change ?? undefined),
    errorRate: change?.errorRate ?? cell.baseline5xx,
    prediction: predictionShape(change?.drift ?? 0),
  };
}
