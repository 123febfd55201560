import type { RollbackTrigger } from '../../shared/schemas/release.js';
import type { ReleaseEnd } from './scenario-driver.js';
import type { ExpectedOutcome, Scenario, ScenarioName } from './scenarios.js';
import type { TrafficSummary } from './traffic.js';

/** How a demo run ended, with everything needed to say whether it ended as it should. */
export interface DemoOutcome {
  scenario: ScenarioName;
  /** The phase the last push's release ended in, or why the demo did not see it end. */
  phase: 'promoted' | 'rolled-back' | 'rejected' | 'failed' | 'timeout' | 'interrupted' | 'error';
  trigger: RollbackTrigger | null;
  /** The end event's reason or error, or what went wrong with the demo itself. */
  reason: string | null;
  releaseId: string | null;
  expected: ExpectedOutcome;
  /** The final measurement: requests sent through the router after the end, by answer. */
  served: TrafficSummary | null;
  /** The steady load during the whole run, by answer. */
  traffic: TrafficSummary;
  /**
   * User requests (through the service URL) the last pushed candidate answered during the run,
   * its injected 503s included; replayed requests on the tag URLs are not user requests.
   */
  candidateUserRequests: number | null;
  /** From the first push to the end event, in ms. */
  releaseMs: number | null;
  /** What differs from the expectation; empty when the scenario ended as it should. */
  problems: string[];
}

export interface DemoResult {
  ok: boolean;
  outcome: DemoOutcome;
  /** From the start of the demo (stack start included) to its end. */
  durationMs: number;
}

/** User requests the scenario's last pushed version answered (its injected failures included). */
export function candidateServed(scenario: Scenario, traffic: TrafficSummary): number {
  const pushes = scenario.script.filter((a) => a.do === 'push');
  const last = pushes.at(-1);
  if (!last) return 0;
  const injects = Number(last.knobs?.ERROR_RATE ?? 0) > 0;
  return (traffic.byVersion[last.tag] ?? 0) + (injects ? traffic.injected : 0);
}

/** The phase and trigger of an end event. */
export function endOf(end: ReleaseEnd): Pick<DemoOutcome, 'phase' | 'trigger' | 'reason'> {
  switch (end.type) {
    case 'release.promoted':
      return { phase: 'promoted', trigger: null, reason: null };
    case 'release.rolled-back':
      return { phase: 'rolled-back', trigger: end.trigger, reason: end.reason };
    case 'release.rejected':
      return { phase: 'rejected', trigger: null, reason: end.reason };
    case 'release.failed':
      return { phase: 'failed', trigger: null, reason: end.error };
    default: {
      const unknown: never = end;
      throw new Error(`not an end event: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Everything that differs from the scenario's expectation: the phase and trigger, a supersede
 * that should have happened, a version other than the expected one answering after the end, and
 * any request that failed without the scenario injecting it (zero downtime).
 */
export function problemsOf(input: {
  expected: ExpectedOutcome;
  phase: DemoOutcome['phase'];
  trigger: RollbackTrigger | null;
  superseded: boolean;
  served: TrafficSummary | null;
  traffic: TrafficSummary;
  injectsErrors: boolean;
  candidateUserRequests?: number;
}): string[] {
  const { expected, served, traffic } = input;
  const problems: string[] = [];
  const wanted = expected.trigger ? `${expected.phase} (${expected.trigger})` : expected.phase;
  const got = input.trigger ? `${input.phase} (${input.trigger})` : input.phase;
  if (wanted !== got) problems.push(`ended ${got}, expected ${wanted}`);
  if (expected.superseded && !input.superseded) problems.push('no release was superseded');
  if (
    expected.candidateUserRequests !== undefined &&
    input.candidateUserRequests !== undefined &&
    input.candidateUserRequests > expected.candidateUserRequests
  ) {
    problems.push(
      `green served ${input.candidateUserRequests} user requests, expected at most ${expected.candidateUserRequests}`,
    );
  }
  if (served) {
    const others = Object.entries(served.byVersion).filter(([v]) => v !== expected.serving);
    const wrong = others.reduce((sum, [, n]) => sum + n, 0) + served.failed + served.injected;
    if (wrong > 0 || served.ok === 0) {
      problems.push(
        `router serves ${served.byVersion[expected.serving] ?? 0} of ${served.sent} requests from ${expected.serving}` +
          (others.length ? ` (others: ${others.map(([v, n]) => `${v} ×${n}`).join(', ')})` : ''),
      );
    }
  }
  const failed = traffic.failed + (served?.failed ?? 0);
  if (failed > 0) {
    const first = [...traffic.failures, ...(served?.failures ?? [])].slice(0, 3).join('; ');
    problems.push(`${failed} requests failed without an injected fault: ${first}`);
  }
  if ((!input.injectsErrors || expected.candidateUserRequests === 0) && traffic.injected > 0) {
    problems.push(`${traffic.injected} injected 503s, but no candidate injects errors`);
  }
  return problems;
}
