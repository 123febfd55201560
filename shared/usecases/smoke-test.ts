import { judgeSmoke, type ProbeResult } from '../domain/smoke.js';
import { apiBaseOf, smokeBase } from '../domain/version-tag.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { SmokeSummary } from '../schemas/events.js';
import type { Release, ServiceRecord, Verdict } from '../schemas/release.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { Deps } from './deps.js';
import { prepareReplay, runReplay } from './shadow-replay.js';

/** After this long without tag URLs or the candidate in Cloud Monitoring, the smoke test fails on it. */
const MONITORING_GRACE_SECONDS = 60;

/** The tag URLs of the stable (blue) and the candidate (green), when the service shows them. */
function tagUrls(record: ServiceRecord, release: Release, view: ServiceView) {
  const green = view.traffic.find((t) => t.revision === release.candidate.revision)?.url ?? null;
  const blue = view.traffic.find((t) => t.revision === record.stable.revision)?.url ?? null;
  return { green, blue };
}

/**
 * The whole smoke phase: the shadow replay of the stable's inference logs on both tag URLs, then
 * the smoke probes. Null while either waits (for enough logs, for tag URLs or Monitoring: the
 * next tick tries again, replaying again). A failing replay ends the phase at once (the machine
 * rolls back with trigger shadow). A replay that did not run (opted out, no logs yet,
 * unreadable) says why in a `shadow replay` line of the summary; a judged one adds its outcome.
 */
export async function smokePhase(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  release: Release,
  view: ServiceView,
): Promise<{ smoke: SmokeSummary; shadow: Verdict | null } | null> {
  const waitedSeconds = (deps.clock.now().getTime() - Date.parse(release.startedAt)) / 1000;
  const graceSeconds = config.monitoringLagSeconds + MONITORING_GRACE_SECONDS;
  const plan = await prepareReplay(deps, config, record, { waitedSeconds, graceSeconds });
  if (plan.kind === 'wait') {
    deps.logger.info('shadow replay waits', { service: config.service, reason: plan.reason });
    return null;
  }
  const { green, blue } = tagUrls(record, release, view);
  let line: SmokeSummary['checks'][number];
  let shadow: Verdict | null = null;
  if (plan.kind === 'ready' && green && blue) {
    // Replay first: its requests are what makes the candidate visible in Monitoring, and a
    // candidate that fails them is rolled back without being probed again and again.
    const replay = await runReplay(deps, config, release, plan, { blue, green });
    shadow = replay.verdict;
    line = {
      name: 'shadow replay',
      passed: replay.verdict.outcome !== 'fail',
      detail: `${replay.verdict.outcome}: ${replay.replayed} logged requests of gs://${replay.bucket} replayed on both tag URLs (${replay.malformed} malformed lines skipped)`,
    };
    if (!line.passed) return { smoke: { passed: false, checks: [line] }, shadow };
  } else {
    const reason = plan.kind === 'skipped' ? plan.reason : 'no tag URLs to replay on yet';
    deps.logger.info('shadow replay skipped', { service: config.service, reason });
    line = { name: 'shadow replay', passed: true, detail: `skipped: ${reason}` };
  }
  const smoke = await smokeTest(deps, config, record, release, view);
  if (!smoke) return null;
  return { smoke: { ...smoke, checks: [...smoke.checks, line] }, shadow };
}

/**
 * Probes every configured route on the candidate's and the stable's tag URLs, then checks the
 * candidate shows up in Cloud Monitoring. Returns null while monitoring may still be catching up
 * (the next tick probes again), otherwise the judged summary.
 */
export async function smokeTest(
  deps: Deps,
  config: ServiceConfig,
  record: ServiceRecord,
  release: Release,
  view: ServiceView,
): Promise<SmokeSummary | null> {
  const apiBase = apiBaseOf(config.endpoint, view.uri);
  const green = smokeBase(config.smoke.via, release.candidate, view.traffic, apiBase);
  const blue = smokeBase(config.smoke.via, record.stable, view.traffic, apiBase);
  const waited = (deps.clock.now().getTime() - Date.parse(release.startedAt)) / 1000;
  const grace = config.monitoringLagSeconds + MONITORING_GRACE_SECONDS;
  if (!green || !blue) {
    // Tag URLs appear once the service has reconciled; a read during a write may not show them yet.
    if (waited < grace) return null;
    const missing = !green
      ? `candidate ${release.candidate.revision}`
      : `stable ${record.stable.revision}`;
    return {
      passed: false,
      checks: [{ name: 'tag-urls', passed: false, detail: `no tag URL for the ${missing}` }],
    };
  }
  const options = {
    authenticate: config.smoke.authenticate,
    timeoutMs: config.smoke.timeoutSeconds * 1000,
  };
  const prober = deps.prober();
  const probeAll = async (url: string): Promise<ProbeResult[][]> => {
    const perRoute: ProbeResult[][] = [];
    for (const route of config.smoke.routes) {
      const results: ProbeResult[] = [];
      for (let i = 0; i < route.samples; i++) results.push(await prober.probe(url, route, options));
      perRoute.push(results);
    }
    return perRoute;
  };
  const [blueResults, greenResults] = await Promise.all([probeAll(blue), probeAll(green)]);

  let visible: boolean | null = null;
  if (config.smoke.requireMonitoring) {
    const now = deps.clock.now();
    const measured = await deps.metrics().measure(config.service, release.candidate.revision, {
      start: new Date(release.startedAt),
      end: now,
    });
    visible = measured.requests.kind === 'value' && measured.requests.value.requests > 0;
    if (!visible && waited < grace) return null;
  }
  return judgeSmoke({
    routes: config.smoke.routes,
    blue: blueResults,
    green: greenResults,
    smoke: config.smoke,
    greenVisibleInMonitoring: visible,
  });
}
