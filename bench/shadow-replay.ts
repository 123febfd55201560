/**
 * How many user requests a bad candidate answers before it is rolled back, with and without the
 * shadow replay (`npx tsx bench/shadow-replay.ts`; one JSON line per scenario).
 *
 * With the replay: the real judge (shared/domain/shadow) on pairs simulated with the real model
 * (examples/leakage-model: the same knobs the demo's bad v2s use, on a varied request mix, with
 * seeded latency noise); a failing verdict means the candidate is rolled back at 0 % traffic,
 * so it answers 0 user requests.
 *
 * Without it: a STANDALONE ESTIMATE, not the judgement simulator (bench/judgement had not landed
 * by 12:15 UTC): the candidate answers first-step share × request rate × the time the step
 * analysis needs to roll back — the monitoring lag until its window opens, plus one tick for a
 * critical breach (errors) or failureLimit ticks for the others — at the production defaults.
 */
import { EvenShare } from '../examples/leakage-model/knobs.js';
import { leakageProbability, type Features } from '../examples/leakage-model/model.js';
import { judgeReplay } from '../shared/domain/shadow/judge-replay.js';
import type { ReplayPair } from '../shared/domain/shadow/pairs.js';
import type { ProbeResult } from '../shared/domain/smoke.js';
import { parseConfig } from '../shared/config/load.js';

const service = parseConfig({
  services: [
    {
      service: 'projects/p/locations/us-central1/services/leakage',
      image: 'us-central1-docker.pkg.dev/p/models/leakage',
    },
  ],
}).services[0]!;
const TICK_SECONDS = 60;
const REQUESTS_PER_SECOND = Number(process.env.BENCH_RPS ?? 50);

interface Candidate {
  name: string;
  errorRate: number;
  extraLatencyMs: number;
  shift: number;
  /** Whether the step analysis would roll it back at once (critical) or after failureLimit ticks. */
  critical: boolean;
}

const CANDIDATES: Candidate[] = [
  { name: 'healthy', errorRate: 0, extraLatencyMs: 0, shift: 0, critical: false },
  { name: 'errors', errorRate: 0.1, extraLatencyMs: 0, shift: 0, critical: true },
  { name: 'latency', errorRate: 0, extraLatencyMs: 250, shift: 0, critical: false },
  { name: 'drift', errorRate: 0, extraLatencyMs: 0, shift: -0.3, critical: false },
  { name: 'subtle-drift', errorRate: 0, extraLatencyMs: 0, shift: -0.05, critical: false },
];

/** Deterministic noise (mulberry32), so every run prints the same numbers. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MATERIALS = ['cast_iron', 'steel', 'pvc', 'hdpe', 'copper'] as const;

function pairsFor(c: Candidate, n: number, rand: () => number): ReplayPair[] {
  const budget = new EvenShare(c.errorRate);
  return Array.from({ length: n }, (_, i) => {
    const features: Features = {
      pressure_bar: 2 + rand() * 4,
      flow_lpm: 20 + rand() * 60,
      pipe_age_years: Math.floor(rand() * 60),
      material: MATERIALS[i % MATERIALS.length]!,
    };
    const answer = (shift: number, fails: boolean, extra: number): ProbeResult => ({
      status: fails ? 503 : 200,
      latencyMs: 20 + rand() * 15 + extra,
      json: fails
        ? { error: 'down' }
        : { leakage_probability: leakageProbability(features, shift) },
      error: null,
    });
    return {
      request: {
        time: new Date(0).toISOString(),
        method: 'POST',
        route: '/predict',
        body: features,
      },
      blue: answer(0, false, 0),
      green: answer(c.shift, budget.next(), c.extraLatencyMs),
    };
  });
}

for (const c of CANDIDATES) {
  const verdict = judgeReplay(pairsFor(c, service.shadow.requests, random(7)), {
    shadow: service.shadow,
    thresholds: service.thresholds,
    now: new Date(0),
  });
  const ticks = c.critical ? 1 : service.thresholds.failureLimit;
  const secondsToRollback = service.monitoringLagSeconds + ticks * TICK_SECONDS;
  const firstStep = (service.steps[0] ?? 100) / 100;
  const withoutReplay =
    c.name === 'healthy' ? null : Math.round(REQUESTS_PER_SECOND * firstStep * secondsToRollback);
  console.log(
    JSON.stringify({
      bench: `shadow-replay ${c.name}`,
      replayed: service.shadow.requests,
      verdict: verdict.outcome,
      failedChecks: verdict.checks.filter((x) => x.outcome === 'fail').map((x) => x.check),
      userRequestsBeforeRollbackWithReplay:
        c.name === 'healthy' ? null : verdict.outcome === 'fail' ? 0 : withoutReplay,
      userRequestsBeforeRollbackWithoutReplay: withoutReplay,
      estimateBasis: `${REQUESTS_PER_SECOND} req/s × ${firstStep * 100}% × (${service.monitoringLagSeconds} s lag + ${ticks} × ${TICK_SECONDS} s ticks)`,
    }),
  );
}
