import type { SmokeConfig, SmokeRoute } from '../schemas/config.js';
import type { SmokeSummary } from '../schemas/events.js';
import { shapeDifference } from './json-shape.js';

/** One request of a smoke test against a tag URL. */
export interface ProbeResult {
  /** HTTP status, or null when no response came back. */
  status: number | null;
  latencyMs: number;
  /** The parsed JSON body, or null when the body was empty or not JSON. */
  json: unknown;
  /** Why no response came back (connection refused, timeout). */
  error: string | null;
}

type SmokeCheck = SmokeSummary['checks'][number];

/**
 * Judges the smoke probes of the candidate (green) against the stable (blue), before any traffic.
 * For each route, three checks named `status|shape|latency METHOD PATH`:
 * - status: green answered every probe with expectStatus (and at least one probe was made).
 * - shape: every green answer has the JSON shape of blue's first answer (same keys recursively,
 *   same JSON types; values may differ; arrays by element shape, see json-shape.ts).
 * - latency: green median ≤ blue median × maxLatencyRatio + latencySlackMs (exactly at passes).
 *   Probes without a response count with the latency they took (a timeout is slow).
 * When blue itself fails a route, shape and latency fail too and say blue is at fault: without a
 * baseline the candidate cannot be judged, so the smoke does not pass.
 * Plus one check `monitoring`: fails when requireMonitoring and green is not visible; null means
 * "not checked", which fails when monitoring is required and passes otherwise.
 * `blue[i]` and `green[i]` are the probes of `routes[i]`; other lengths throw.
 */
export function judgeSmoke(input: {
  routes: SmokeRoute[];
  blue: ProbeResult[][];
  green: ProbeResult[][];
  smoke: SmokeConfig;
  greenVisibleInMonitoring: boolean | null;
}): SmokeSummary {
  const { routes, blue, green, smoke } = input;
  if (blue.length !== routes.length || green.length !== routes.length) {
    throw new Error(
      `smoke probes must come per route: ${routes.length} routes, ${blue.length} blue and ${green.length} green probe lists`,
    );
  }
  const checks = routes.flatMap((route, i) =>
    routeChecks(route, blue[i] ?? [], green[i] ?? [], smoke),
  );
  checks.push(monitoringCheck(smoke.requireMonitoring, input.greenVisibleInMonitoring));
  return { passed: checks.every((c) => c.passed), checks };
}

function routeChecks(
  route: SmokeRoute,
  blue: ProbeResult[],
  green: ProbeResult[],
  smoke: SmokeConfig,
): SmokeCheck[] {
  const label = `${route.method} ${route.path}`;
  const greenStatus = statusProblem(green, route.expectStatus);
  const blueStatus = statusProblem(blue, route.expectStatus);
  const status: SmokeCheck = {
    name: `status ${label}`,
    passed: greenStatus === null,
    detail:
      greenStatus === null
        ? `green answered ${green.length} of ${green.length} probes with ${route.expectStatus}`
        : `green ${greenStatus}`,
  };
  if (blueStatus !== null) {
    const detail = `no baseline: blue (the stable) ${blueStatus}; not the candidate's fault, but it cannot be judged`;
    return [
      status,
      { name: `shape ${label}`, passed: false, detail },
      { name: `latency ${label}`, passed: false, detail },
    ];
  }
  return [status, shapeCheck(label, route, blue, green), latencyCheck(label, blue, green, smoke)];
}

/** Null when every probe answered `expect` (and there was one), else what went wrong. */
function statusProblem(probes: ProbeResult[], expect: number): string | null {
  if (probes.length === 0) return 'was not probed';
  const bad = probes.filter((p) => p.status !== expect);
  if (bad.length === 0) return null;
  const first = bad[0]!;
  const got =
    first.status === null
      ? `no response (${first.error ?? 'unknown error'})`
      : `status ${first.status}`;
  return `answered ${got} on ${bad.length} of ${probes.length} probes, expected ${expect}`;
}

function shapeCheck(
  label: string,
  route: SmokeRoute,
  blue: ProbeResult[],
  green: ProbeResult[],
): SmokeCheck {
  const name = `shape ${label}`;
  const reference = blue[0]!.json; // blue passed: at least one probe, all with expectStatus
  const answered = green.filter((p) => p.status === route.expectStatus);
  if (answered.length === 0) {
    return {
      name,
      passed: false,
      detail: `no green answer with status ${route.expectStatus} to compare`,
    };
  }
  for (const [i, probe] of answered.entries()) {
    const difference = shapeDifference(reference, probe.json);
    if (difference !== null) {
      return {
        name,
        passed: false,
        detail: `green answer ${i + 1} differs from blue: ${difference}`,
      };
    }
  }
  return { name, passed: true, detail: `${answered.length} green answers have blue's JSON shape` };
}

function latencyCheck(
  label: string,
  blue: ProbeResult[],
  green: ProbeResult[],
  smoke: SmokeConfig,
): SmokeCheck {
  const blueMedian = median(blue.map((p) => p.latencyMs));
  const greenMedian = median(green.map((p) => p.latencyMs));
  const name = `latency ${label}`;
  if (greenMedian === null || blueMedian === null) {
    return {
      name,
      passed: false,
      detail: `${greenMedian === null ? 'green' : 'blue'} was not probed`,
    };
  }
  const limit = blueMedian * smoke.maxLatencyRatio + smoke.latencySlackMs;
  const passed = greenMedian - limit <= 1e-9 * Math.max(1, limit);
  const formula = `blue median ${ms(blueMedian)} × ${smoke.maxLatencyRatio} + ${ms(smoke.latencySlackMs)}`;
  return {
    name,
    passed,
    detail: `green median ${ms(greenMedian)} ${passed ? '≤' : '>'} ${ms(limit)} (${formula})`,
  };
}

function monitoringCheck(required: boolean, visible: boolean | null): SmokeCheck {
  const name = 'monitoring';
  if (visible === true)
    return { name, passed: true, detail: 'green revision is visible in Cloud Monitoring' };
  const state = visible === null ? 'was not checked' : 'is not visible in Cloud Monitoring';
  return required
    ? {
        name,
        passed: false,
        detail: `green revision ${state}, and monitoring is required (smoke.requireMonitoring)`,
      }
    : {
        name,
        passed: true,
        detail: `green revision ${state}; not required (smoke.requireMonitoring is false)`,
      };
}

/** The median (mean of the middle two for an even count); null for no values. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (n: number): string => `${Math.round(n * 10) / 10} ms`;
