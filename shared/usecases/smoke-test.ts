import { judgeSmoke, type ProbeResult } from '../domain/smoke.js';
import { apiBaseOf, smokeBase } from '../domain/version-tag.js';
import type { ServiceConfig } from '../schemas/config.js';
import type { SmokeSummary } from '../schemas/events.js';
import type { Release, ServiceRecord } from '../schemas/release.js';
import type { ServiceView } from '../ports/service-platform.js';
import type { Deps } from './deps.js';

/** After this long without tag URLs or the candidate in Cloud Monitoring, the smoke test fails on it. */
const MONITORING_GRACE_SECONDS = 60;

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
