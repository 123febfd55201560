import type { MetricsSource } from '../shared/ports/metrics-source.js';
import type { ServicePlatform } from '../shared/ports/service-platform.js';
import { countsOf, pageModel, type PageModel, type RatePoint } from './page-model.js';

/** Where the release page reads: the same ports the functions use, and the release events. */
export interface PageSource {
  platform: ServicePlatform;
  metrics: MetricsSource;
  /** Every deployment event seen (the emulator's log locally), or null when none are collected. */
  events(): Promise<unknown[] | null>;
}

const BUCKETS = 12;

/** Requests/s and 5xx share of the stable and the candidate over the release, in equal buckets. */
async function rates(
  source: PageSource,
  service: string,
  stable: string | null,
  candidate: string | null,
  from: Date,
  to: Date,
): Promise<RatePoint[]> {
  const span = Math.max(10_000, to.getTime() - from.getTime());
  const step = span / BUCKETS;
  const points: RatePoint[] = [];
  for (let i = 0; i < BUCKETS; i++) {
    const start = new Date(from.getTime() + i * step);
    const end = new Date(start.getTime() + step);
    const measure = async (revision: string | null) =>
      revision
        ? countsOf(
            await source.metrics.measure(service, revision, { start, end }).catch(() => null),
          )
        : null;
    const [s, c] = await Promise.all([measure(stable), measure(candidate)]);
    const rps = (x: typeof s) => (x ? x.requests / (step / 1000) : null);
    const share = (x: typeof s) => (x && x.requests > 0 ? x.errors5xx / x.requests : null);
    points.push({
      at: end.toISOString(),
      stableRps: rps(s),
      candidateRps: rps(c),
      stable5xx: share(s),
      candidate5xx: share(c),
    });
  }
  return points;
}

/** The page model of one service now. */
export async function readPage(source: PageSource, service: string, now: Date): Promise<PageModel> {
  const view = await source.platform.get(service);
  const release = view.record?.release ?? null;
  const events = await source.events();
  const from = release ? new Date(release.startedAt) : new Date(now.getTime() - 600_000);
  const ended = release && 'endedAt' in release ? new Date(release.endedAt) : now;
  const stable = view.record?.stable.revision ?? null;
  const candidate = release?.candidate.revision ?? null;
  return pageModel(
    view,
    events ?? [],
    await rates(source, service, stable === candidate ? null : stable, candidate, from, ended),
    events === null
      ? 'release events are not collected by this page (run it inside `cutover local`)'
      : null,
  );
}
