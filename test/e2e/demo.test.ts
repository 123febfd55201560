import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DeploymentEvent } from '../../shared/schemas/events.js';
import { runDemo } from '../../local/demo/run-demo.js';
import { SCENARIOS, SCENARIO_NAMES, injectsErrors } from '../../local/demo/scenarios.js';
import type { Stack } from '../../local/stack.js';

/**
 * Every demo scenario end to end: a real local stack (emulator, functions, router, revisions as
 * child processes), the scenario played by runDemo, then — before the stack stops — this test's
 * own requests through the router. Each scenario must end in its expected phase and trigger, the
 * router must answer every one of 100 requests from the expected version, and no request may fail
 * except those the candidate's ERROR_RATE injects (zero downtime across shifts and reverts).
 */

const FEATURES = { pressure_bar: 3.2, flow_lpm: 41.5, pipe_age_years: 27, material: 'cast_iron' };
const root = mkdtempSync(join(tmpdir(), 'cutover-demo-e2e-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Measured {
  versions: Record<string, number>;
  /** Inference-log bucket → model version → logged predictions. */
  logs: Record<string, Record<string, number>>;
  failures: string[];
  events: DeploymentEvent[];
}

/** 100 requests through the service URL, one after the other, and the release events so far. */
async function measure(stack: Stack): Promise<Measured> {
  const service = stack.config.services[0]?.service ?? '';
  const url = stack.endpoints.services[service]?.url ?? '';
  const versions: Record<string, number> = {};
  const failures: string[] = [];
  for (let i = 0; i < 100; i++) {
    try {
      const response = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(FEATURES),
      });
      const body = (await response.json().catch(() => ({}))) as { model_version?: string };
      if (response.status !== 200 || !body.model_version) failures.push(`${response.status}`);
      else versions[body.model_version] = (versions[body.model_version] ?? 0) + 1;
    } catch (error) {
      failures.push(String(error));
    }
  }
  const events = stack.emulator.pubsub
    .published(stack.endpoints.topics.deploymentEvents)
    .map((m) => DeploymentEvent.parse(JSON.parse(m.data.toString('utf8'))));
  return { versions, failures, events, logs: loggedVersions(stack) };
}

/** What each color's bucket holds in the emulator, by the model version that logged it. */
function loggedVersions(stack: Stack): Record<string, Record<string, number>> {
  const service = stack.config.services[0]!;
  const logs: Record<string, Record<string, number>> = {};
  for (const color of ['blue', 'green'] as const) {
    const bucket = service.colors[color].env.INFERENCE_LOG_BUCKET!;
    const counts: Record<string, number> = {};
    for (const object of stack.emulator.storage.list(bucket, { prefix: 'inference/' }).items) {
      for (const line of object.data.toString('utf8').trim().split('\n')) {
        const version = (JSON.parse(line) as { model_version: string }).model_version;
        counts[version] = (counts[version] ?? 0) + 1;
      }
    }
    logs[bucket] = counts;
  }
  return logs;
}

describe.sequential('cutover demo, every scenario end to end', () => {
  it.each(SCENARIO_NAMES)(
    '%s ends as expected, serves the right version, and fails no request it did not inject',
    async (name) => {
      const scenario = SCENARIOS[name];
      const lines: string[] = [];
      let measured: Measured | null = null;
      const result = await runDemo({
        scenario: name,
        json: false,
        stateDir: join(root, name),
        // The stack runs on the wall clock: leave room for a loaded machine (within the 180 s below).
        timeoutScale: 2.5,
        out: { write: (text: string) => lines.push(text), isTTY: false },
        inspect: async (stack) => {
          measured = await measure(stack);
        },
      });
      const { outcome } = result;
      const log = lines.join('');
      expect(outcome.problems, log).toEqual([]);
      expect(result.ok).toBe(true);

      // The outcome, as the demo saw it and as the event log has it.
      expect(outcome.phase).toBe(scenario.expected.phase);
      expect(outcome.trigger).toBe(scenario.expected.trigger ?? null);
      const m = measured as Measured | null;
      if (!m) throw new Error(`the demo never reached inspect:\n${log}`);
      const ends = m.events.filter(
        (e) => e.type === 'release.promoted' || e.type === 'release.rolled-back',
      );
      const last = ends.at(-1);
      expect(last?.type).toBe(`release.${scenario.expected.phase}`);
      if (last?.type === 'release.rolled-back')
        expect(last.trigger).toBe(scenario.expected.trigger);
      expect(m.events.some((e) => e.type === 'release.superseded')).toBe(
        scenario.expected.superseded === true,
      );

      // The final split as the router serves it: 100 of 100 from the expected version.
      expect(m.failures).toEqual([]);
      expect(m.versions).toEqual({ [scenario.expected.serving]: 100 });
      expect(outcome.served?.byVersion).toEqual({
        [scenario.expected.serving]: outcome.served?.sent,
      });

      // Zero downtime: only the candidate's injected 503s may fail.
      expect(outcome.traffic.sent).toBeGreaterThan(20);
      expect(outcome.traffic.failures).toEqual([]);
      expect(outcome.traffic.failed).toBe(0);
      const caughtBeforeUsers = scenario.expected.candidateUserRequests === 0;
      if (injectsErrors(scenario) && !caughtBeforeUsers)
        expect(outcome.traffic.injected).toBeGreaterThan(0);
      else expect(outcome.traffic.injected).toBe(0);

      // A candidate the shadow replay catches never answers a user, and goes within 60 s.
      if (caughtBeforeUsers) {
        expect(outcome.candidateUserRequests).toBe(0);
        expect(outcome.releaseMs).toBeLessThanOrEqual(60_000);
        expect(log).toContain('green served 0 user requests');
      }

      // Each color logs to its own bucket: blue's v1 and green's v2 land apart.
      if (name === 'healthy') {
        const blue = m.logs['cutover-demo-inference-blue'] ?? {};
        const green = m.logs['cutover-demo-inference-green'] ?? {};
        expect(Object.keys(blue)).toEqual(['1.0.0']);
        expect(Object.keys(green)).toEqual(['2.0.0']);
        expect(blue['1.0.0']).toBeGreaterThan(50);
        expect(green['2.0.0']).toBeGreaterThan(0);
      }

      // The view told the story: the outcome line names the phase.
      expect(log).toContain(scenario.expected.phase.toUpperCase());
    },
    180_000,
  );
});
