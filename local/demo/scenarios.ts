import type { ConfigInput } from '../../shared/schemas/config.js';
import type { RollbackTrigger } from '../../shared/schemas/release.js';
import type { StackAlerts } from '../stack-options.js';
import { localConfig, type LocalTimings } from '../local-config.js';
import type { ModelKnobs } from '../model-image.js';
import type { LocalMetrics } from '../prometheus/local-metrics.js';

export const SCENARIO_NAMES = [
  'healthy',
  'errors',
  'latency',
  'drift',
  'smoke',
  'alert',
  'manual',
  'container',
  'supersede',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/**
 * One move of a scenario, done in order. `await` waits for an event of the release of the latest
 * push (a release is matched to its push by the candidate's image digest).
 */
export type DemoAction =
  | { do: 'push'; tag: string; knobs?: ModelKnobs }
  | { do: 'await'; event: 'release.step-started' | 'release.promoted' }
  | { do: 'rollback'; mode: 'traffic' | 'container' };

/** How a scenario must end: the phase of the last push's release, and who serves 100% after it. */
export interface ExpectedOutcome {
  phase: 'promoted' | 'rolled-back';
  /** For `rolled-back`: what triggered it. */
  trigger?: RollbackTrigger;
  /** The model version (the pushed tag) every request through the router is answered by. */
  serving: string;
  /** Whether an earlier release must have been superseded on the way. */
  superseded?: boolean;
  /** How many user requests (through the service URL) the last pushed candidate may answer. */
  candidateUserRequests?: number;
}

export interface Scenario {
  name: ScenarioName;
  /** One line: what v2 is and what cutover should do about it. */
  summary: string;
  script: DemoAction[];
  expected: ExpectedOutcome;
  /** The scenario fails with a timeout message past this. */
  timeoutSeconds: number;
  /** false: the service opts out of the shadow replay for this scenario. */
  shadow?: false;
}

/** The version the stack deploys first (stack.ts INITIAL_TAG). */
export const INITIAL_VERSION = '1.0.0';

/**
 * Release timings of every demo: three steps, a 3 s bake, a tick each second. A healthy release
 * takes about 20 s from push to promotion on a laptop.
 */
export const DEMO_TIMINGS: LocalTimings = {
  tickSeconds: 1,
  bakeSeconds: 3,
  monitoringLagSeconds: 1,
  steps: [25, 50, 100],
  minRequests: 10,
};

/**
 * The sample service with DEMO_TIMINGS, and a smoke test that lets a candidate up to 500 ms
 * slower than blue through (its 3 probes hit a cold revision): slowness under load is the step
 * analysis' catch (the `latency` scenario); the smoke test still refuses a hung or broken one.
 */
export function demoConfig(scenario?: Pick<Scenario, 'shadow'>): ConfigInput {
  const config = localConfig(DEMO_TIMINGS);
  return {
    ...config,
    services: config.services.map((service) => ({
      ...service,
      smoke: { ...service.smoke, latencySlackMs: 500 },
      shadow: { ...service.shadow, ...DEMO_SHADOW, enabled: scenario?.shadow !== false },
    })),
  };
}

/**
 * The demo's shadow replay: the newest 100 requests blue logged (it logs from the first second
 * of steady load), 50 pairs a second, judged once 50 are in hand. The replayed requests count
 * in the revisions' metrics, as tag-URL requests do in Cloud Run, so the alert policies see them.
 */
export const DEMO_SHADOW = {
  requests: 100,
  minSamples: 50,
  requestsPerSecond: 50,
  maxAgeSeconds: 600,
};

/** Steady user traffic on the service URL, and a trickle on the stable revision's tag URL. */
export const DEMO_LOAD = { requestsPerSecond: 30, baselinePerSecond: 5 };

/**
 * Alert policies of every demo (terraform's `alerts` variable), evaluated each second over 5 s:
 * they catch gross breaches the moment they show, and leave finer ones to the step analysis.
 * - 5xx ratio above 25% (the analysis rolls back at 2%, at once from 8%): `errors` (10%) is the
 *   analysis' catch.
 * - p95 above 1000 ms (terraform's default): `latency` (+250 ms) is the analysis' catch.
 * - mean prediction outside [0, 0.7]: the model scores the demo traffic ~0.64. `alert` shifts v2's
 *   scores by +0.10 to ~0.74: only +16% against blue, inside the analysis' ±20% drift limit, so the
 *   analysis would promote it, but above the 0.7 ceiling, so the alert rolls it back. `drift`
 *   shifts by −0.30 (−47%, inside the band): the analysis' catch.
 */
export const DEMO_ALERTS: StackAlerts = {
  max5xxRatio: 0.25,
  p95LatencyMs: 1000,
  predictionMeanMin: 0,
  predictionMeanMax: 0.7,
  durationSeconds: 0,
  intervalMs: 1000,
  windowSeconds: 5,
};

const v2 = (knobs?: ModelKnobs): DemoAction => ({
  do: 'push',
  tag: '2.0.0',
  ...(knobs ? { knobs } : {}),
});
const rolledBack = (trigger: RollbackTrigger, serving = INITIAL_VERSION): ExpectedOutcome => ({
  phase: 'rolled-back',
  trigger,
  serving,
});
/** Rolled back by the shadow replay, before the router sent the candidate one user request. */
const caughtByReplay: ExpectedOutcome = { ...rolledBack('shadow'), candidateUserRequests: 0 };

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  healthy: {
    name: 'healthy',
    summary: 'v2 is as good as v1: 25% → 50% → 100%, then promoted',
    script: [v2()],
    expected: { phase: 'promoted', serving: '2.0.0' },
    timeoutSeconds: 60,
  },
  errors: {
    name: 'errors',
    summary:
      'v2 answers 20% of predictions with 503: the shadow replay of blue’s logged requests rolls it back before any user request',
    // 20%, not 10%: a tick and the provisioned event can each run a replay at once, and the model
    // spaces its 503s evenly over all its requests, so two replays share them unevenly.
    script: [v2({ ERROR_RATE: '0.2' })],
    expected: caughtByReplay,
    timeoutSeconds: 60,
  },
  latency: {
    name: 'latency',
    summary:
      'v2 is 250 ms slower: the paired latency of the shadow replay rolls it back before any user request',
    script: [v2({ EXTRA_LATENCY_MS: '250' })],
    expected: caughtByReplay,
    timeoutSeconds: 60,
  },
  drift: {
    name: 'drift',
    summary:
      'v2 scores 0.30 lower: the replay sees the mean drift, flipped decisions and another distribution, and rolls back before any user request',
    script: [v2({ PREDICTION_SHIFT: '-0.3' })],
    expected: caughtByReplay,
    timeoutSeconds: 60,
  },
  smoke: {
    name: 'smoke',
    summary: 'v2 answers in another JSON shape: the smoke test fails, v2 never gets traffic',
    script: [v2({ RESPONSE_SHAPE: 'v2' })],
    expected: rolledBack('smoke'),
    timeoutSeconds: 60,
  },
  alert: {
    name: 'alert',
    summary:
      'v2 scores 0.10 higher: within the drift limit, above the alert ceiling: the alert rolls back (replay off: it would catch the shift first)',
    script: [v2({ PREDICTION_SHIFT: '0.1' })],
    expected: rolledBack('alert'),
    timeoutSeconds: 60,
    shadow: false,
  },
  manual: {
    name: 'manual',
    summary: 'an operator asks for a traffic rollback while v2 takes its first step',
    script: [
      v2(),
      { do: 'await', event: 'release.step-started' },
      { do: 'rollback', mode: 'traffic' },
    ],
    expected: rolledBack('manual-traffic'),
    timeoutSeconds: 60,
  },
  container: {
    name: 'container',
    summary:
      'v2 is promoted (v1 gets a rollback-* tag); during v3 an operator asks for a container rollback',
    script: [
      v2(),
      { do: 'await', event: 'release.promoted' },
      { do: 'push', tag: '3.0.0' },
      { do: 'await', event: 'release.step-started' },
      { do: 'rollback', mode: 'container' },
    ],
    expected: rolledBack('manual-container'),
    timeoutSeconds: 100,
  },
  supersede: {
    name: 'supersede',
    summary: 'v3 is pushed while v2 is shifting: v2 is superseded and v3 is released instead',
    script: [v2(), { do: 'await', event: 'release.step-started' }, { do: 'push', tag: '3.0.0' }],
    expected: { phase: 'promoted', serving: '3.0.0', superseded: true },
    timeoutSeconds: 90,
  },
};

/**
 * With `--metrics prometheus`, the scenarios the shadow replay catches run with the replay off and
 * end rolled back by the step analysis, which reads Prometheus: the replay judges paired answers
 * and reads no metrics at all, so with it on the Prometheus source would never decide anything.
 */
const BY_PROMETHEUS_ANALYSIS: Partial<Record<ScenarioName, string>> = {
  errors:
    'v2 answers 10% of predictions with 503 once warm (after 30): the step analysis reads the 5xx rate from Prometheus and rolls it back (replay off)',
  latency:
    'v2 is 250 ms slower: the step analysis reads p95 from Prometheus’ latency buckets and rolls it back (replay off)',
  drift:
    'v2 scores 0.30 lower: the step analysis reads the prediction moments from Prometheus and rolls it back (replay off)',
};

/** The scenario as played with the given metrics source (see BY_PROMETHEUS_ANALYSIS). */
export function scenarioFor(
  name: ScenarioName,
  metrics: LocalMetrics = 'cloud-monitoring',
): Scenario {
  const scenario = SCENARIOS[name];
  const summary = BY_PROMETHEUS_ANALYSIS[name];
  if (metrics !== 'prometheus' || !summary) return scenario;
  // Without the replay the smoke test is the first to meet v2: it fails once warm, so the smoke
  // test's probes (a tick's and the provisioned event's) pass and the analysis sees the 503s.
  const script =
    name === 'errors' ? [v2({ ERROR_RATE: '0.1', ERROR_AFTER: '30' })] : scenario.script;
  return { ...scenario, summary, script, shadow: false, expected: rolledBack('analysis') };
}

/** Whether a scenario's candidates fail requests on purpose (ERROR_RATE above 0). */
export function injectsErrors(scenario: Scenario): boolean {
  return scenario.script.some((a) => a.do === 'push' && Number(a.knobs?.ERROR_RATE ?? 0) > 0);
}

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}
