import { appendFileSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { jsonLogger } from '../../shared/adapters/json-logger.js';
import { systemClock, type Clock } from '../../shared/ports/clock.js';
import type { DeploymentEvent } from '../../shared/schemas/events.js';
import { parseRollbackRequest } from '../../shared/schemas/inbound/rollback-request.js';
import { startStack, type Stack } from '../stack.js';
import type { LocalMetrics } from '../prometheus/local-metrics.js';
import type { Answer } from './answers.js';
import { EventFollower } from './event-follower.js';
import {
  candidateServed,
  endOf,
  problemsOf,
  type DemoOutcome,
  type DemoResult,
} from './outcome.js';
import { createView, type DemoOut, type LiveState } from './render.js';
import { ScenarioDriver } from './scenario-driver.js';
import * as s from './scenarios.js';
import { divertStdout } from './stdout-diversion.js';
import { ServedSplit, SteadyTraffic, measureServed } from './traffic.js';
import { VersionColors } from './version-colors.js';
import { logsReady } from './logs-ready.js';

export type { DemoOutcome, DemoResult } from './outcome.js';

export interface RunDemoOptions {
  scenario: s.ScenarioName;
  /** Where the functions read step metrics (default Cloud Monitoring); see scenarioFor. */
  metrics?: LocalMetrics;
  /** One JSON line per event instead of the view. */
  json: boolean;
  /** Where the stack keeps its state and the log (default `.cutover/demo`); emptied first. */
  stateDir?: string;
  /** Where the view goes (default process.stdout); a TTY gets the live view. */
  out?: DemoOut;
  /** Aborting ends the demo early (Ctrl-C): the stack is stopped, the outcome is `interrupted`. */
  signal?: AbortSignal;
  /** Called after the outcome, before the stack stops (tests measure the router here). */
  inspect?: (stack: Stack) => Promise<void>;
  clock?: Clock;
  /**
   * Multiplies the scenario's timeout (default 1). Tests on a loaded machine give the wall-clock
   * stack more room; the outcome and its checks are the same.
   */
  timeoutScale?: number;
}

export const DEFAULT_DEMO_STATE_DIR = join('.cutover', 'demo');
const POLL_MS = 200;
const FINAL_REQUESTS = 100;

/**
 * `cutover demo`: starts a fresh local stack (without its own load: the demo sends and counts
 * every request itself), plays the scenario, shows each release event and the split as served
 * while it happens, then sends FINAL_REQUESTS requests through the router, stops everything and
 * says whether the scenario ended as it should (see outcome.ts). The stack's and the functions'
 * log lines go to `<stateDir>/stack.log`. Never hangs: past the scenario's timeout the outcome
 * is `timeout`, with what the demo was waiting for.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoResult> {
  const clock = options.clock ?? systemClock;
  const t0 = clock.now().getTime();
  const elapsed = () => clock.now().getTime() - t0;
  const metrics = options.metrics ?? 'cloud-monitoring';
  const scenario = s.scenarioFor(options.scenario, metrics);
  const stateDir = resolve(options.stateDir ?? DEFAULT_DEMO_STATE_DIR);
  rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });
  const logFile = join(stateDir, 'stack.log');
  const diversion = divertStdout(logFile);
  const out = options.out ?? {
    write: diversion.write,
    isTTY: process.stdout.isTTY === true,
    columns: process.stdout.columns ?? 80,
  };
  const view = createView(out, { json: options.json });

  const colors = new VersionColors();
  const split = new ServedSplit(() => clock.now().getTime());
  const steps = s.DEMO_TIMINGS.steps;
  const live = (traffic: SteadyTraffic, step: string): LiveState => ({
    steps,
    colors: colors.map,
    split: split.percents(),
    step,
    elapsedMs: elapsed(),
    traffic: traffic.summary,
  });

  let stack: Stack | null = null;
  let traffic: SteadyTraffic | null = null;
  let pushedAt: number | null = null;
  const partial = (phase: DemoOutcome['phase'], reason: string): DemoOutcome => ({
    scenario: scenario.name,
    phase,
    trigger: null,
    reason,
    releaseId: null,
    expected: scenario.expected,
    served: null,
    traffic: traffic?.summary ?? {
      sent: 0,
      ok: 0,
      injected: 0,
      failed: 0,
      byVersion: {},
      failures: [],
    },
    candidateUserRequests: traffic ? candidateServed(scenario, traffic.summary) : null,
    releaseMs: null,
    problems: [reason],
  });
  let outcome: DemoOutcome;
  try {
    stack = await startStack({
      stateDir,
      fresh: true,
      config: s.demoConfig(scenario),
      timings: s.DEMO_TIMINGS,
      alerts: s.DEMO_ALERTS,
      load: false,
      metrics,
      logger: jsonLogger({ component: 'cutover-demo' }, (l) => appendFileSync(logFile, `${l}\n`)),
    });
    const running = stack;
    const service = running.config.services[0];
    if (!service) throw new Error('the demo stack has no service');
    const urls = running.endpoints.services[service.service];
    if (!urls) throw new Error(`no router for ${service.service}`);
    colors.learn(running.emulator.registry.tags(service.image));
    const record = (answer: Answer) => split.record(answer);
    traffic = new SteadyTraffic(urls.url, s.DEMO_LOAD.requestsPerSecond, record);
    traffic.start();
    view.begin(scenario, {
      serviceUrl: urls.url,
      requestsPerSecond: s.DEMO_LOAD.requestsPerSecond,
      startupMs: elapsed(),
    });

    if (service.shadow.enabled) {
      const bucket = service.colors.blue.env[service.shadow.bucketEnv];
      if (bucket)
        await logsReady(
          running.emulator.storage,
          { bucket, prefix: service.shadow.prefix, needed: service.shadow.requests },
          (ms) => sleep(ms, options.signal),
          LOGS_TIMEOUT_MS,
        );
    }
    const driver = new ScenarioDriver(scenario, {
      push: async (tag, knobs) => {
        const pushed = await running.pushImage(tag, knobs);
        colors.pushed(tag, pushed.digest);
        pushedAt ??= clock.now().getTime();
        const how =
          Object.entries(knobs)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') || 'no knobs';
        view.action(`pushed ${service.image.split('/').pop()}:${tag} (${how})`, elapsed());
        return pushed;
      },
      requestRollback: async (mode) => {
        const request = parseRollbackRequest({
          service: service.service,
          mode,
          reason: `cutover demo: ${scenario.name} scenario`,
          requestedBy: 'cutover-demo',
        });
        await running.emulator.pubsub.publish(
          running.endpoints.topics.rollbackRequests,
          Buffer.from(JSON.stringify(request)),
        );
        view.action(`published a ${mode} rollback request`, elapsed());
      },
    });
    const follower = new EventFollower(() =>
      running.emulator.pubsub.published(running.endpoints.topics.deploymentEvents),
    );
    let step = 'waiting for the push';
    const timeoutSeconds = scenario.timeoutSeconds * (options.timeoutScale ?? 1);
    const deadline = clock.now().getTime() + timeoutSeconds * 1000;
    let last: DeploymentEvent | null = null;
    while (!driver.finished) {
      if (options.signal?.aborted) throw new Interrupted();
      if (clock.now().getTime() > deadline) {
        const waiting = driver.waitingOn ? ` waiting to ${JSON.stringify(driver.waitingOn)}` : '';
        throw new DemoTimeout(
          `no outcome within ${timeoutSeconds} s${waiting}; last event: ${last?.type ?? 'none'}`,
        );
      }
      await driver.advance();
      for (const event of follower.poll()) {
        last = event;
        colors.observe(event);
        step = stepOf(event, steps) ?? step;
        driver.observe(event);
        view.event(event, live(traffic, step));
      }
      view.live(live(traffic, step));
      if (!driver.finished) await sleep(POLL_MS, options.signal);
    }
    const end = driver.end;
    if (!end) throw new Error('the scenario ended without an end event');
    const releaseMs = pushedAt === null ? null : new Date(end.at).getTime() - pushedAt;
    await traffic.stop();
    const served = await measureServed(urls.url, FINAL_REQUESTS);
    const ended = endOf(end);
    outcome = {
      scenario: scenario.name,
      ...ended,
      releaseId: end.releaseId,
      expected: scenario.expected,
      served,
      traffic: traffic.summary,
      candidateUserRequests: candidateServed(scenario, traffic.summary),
      releaseMs,
      problems: problemsOf({
        expected: scenario.expected,
        phase: ended.phase,
        trigger: ended.trigger,
        superseded: driver.superseded,
        served,
        traffic: traffic.summary,
        injectsErrors: s.injectsErrors(scenario),
        candidateUserRequests: candidateServed(scenario, traffic.summary),
      }),
    };
    if (options.inspect) await options.inspect(running);
  } catch (error) {
    await traffic?.stop();
    if (error instanceof Interrupted) outcome = partial('interrupted', 'interrupted');
    else if (error instanceof DemoTimeout) outcome = partial('timeout', error.message);
    else outcome = partial('error', (error as Error).message);
  } finally {
    await stack?.stop();
    diversion.restore();
  }
  const result = { ok: outcome.problems.length === 0, outcome, durationMs: elapsed() };
  view.end(result);
  return result;
}

/** The step line of the live block after an event, or null when the event does not change it. */
function stepOf(event: DeploymentEvent, steps: number[]): string | null {
  if (!('releaseId' in event)) return null;
  const of = event.step === null ? '' : ` ${event.step + 1}/${steps.length}`;
  switch (event.type) {
    case 'release.provisioned':
      return 'candidate provisioned at 0%, smoke testing';
    case 'release.step-started':
    case 'release.verdict':
      return `step${of} at ${event.percent}%`;
    case 'release.promoted':
      return 'promoted';
    case 'release.rolled-back':
      return `rolled back (${event.trigger})`;
    case 'release.superseded':
      return 'superseded';
    default:
      return null;
  }
}

class Interrupted extends Error {}
class DemoTimeout extends Error {}

/** How long the demo waits for blue's first inference logs before it pushes. */
const LOGS_TIMEOUT_MS = 30_000;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      clearTimeout(timer);
      done();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      done();
    }, ms);
    signal?.addEventListener('abort', stop, { once: true });
  });
}
