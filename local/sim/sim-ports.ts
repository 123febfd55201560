import type { Logger } from '../../shared/ports/logger.js';
import type { MetricsSource, RevisionMetrics, Window } from '../../shared/ports/metrics-source.js';
import type {
  ServiceChange,
  ServicePlatform,
  ServiceView,
} from '../../shared/ports/service-platform.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import { measured, noData } from '../../shared/domain/measurement.js';
import { stepSplit } from '../../shared/domain/traffic.js';
import { addPoint, emptySum, type MinutePoint, type PointSum } from './minute-traffic.js';

/** The simulated Cloud Run service: one view, updated in place; every revision is ready. */
export class SimPlatform implements ServicePlatform {
  private etag = 0;
  constructor(private view: ServiceView) {}

  /** The service as the record left it: the current step's split while a release shifts. */
  static of(name: string, record: ServiceRecord): SimPlatform {
    const release = record.release;
    const written =
      release?.phase === 'shifting'
        ? stepSplit(record.stable, release.candidate, release.step.percent)
        : [{ revision: record.stable.revision, percent: 100, tag: record.stable.color }];
    const latest =
      release?.phase === 'shifting' ? release.candidate.revision : record.stable.revision;
    return new SimPlatform({
      name,
      etag: '0',
      record,
      traffic: written.map((t) => ({ ...t, tag: t.tag ?? null, url: null })),
      written,
      latestCreatedRevision: latest,
      latestReadyRevision: latest,
      uri: null,
    });
  }

  current(): ServiceView {
    return this.view;
  }
  async get(): Promise<ServiceView> {
    return this.view;
  }
  async revision(_service: string, revision: string) {
    return { name: revision, image: 'sim', state: 'ready' as const, detail: '' };
  }
  async update(_view: ServiceView, change: ServiceChange): Promise<ServiceView> {
    this.view = {
      ...this.view,
      etag: String(++this.etag),
      record: change.record,
      written: change.traffic,
      traffic: change.traffic.map((t) => ({ ...t, tag: t.tag ?? null, url: null })),
    };
    return this.view;
  }
}

/**
 * Cloud Monitoring as the judge sees it: one-minute DELTA points per revision, summed over the
 * points that lie inside the window (ALIGN_DELTA + REDUCE_SUM). The controller's window ends at
 * now − monitoringLagSeconds, so points newer than the lag are never read: the lag is simulated.
 */
export class SimMetrics implements MetricsSource {
  private readonly points = new Map<string, MinutePoint[]>();
  /** Running sums per revision and window start: a tick's window only grows at its end. */
  private readonly sums = new Map<string, { next: number; endMs: number; sum: PointSum }>();

  add(revision: string, point: MinutePoint): void {
    const list = this.points.get(revision) ?? [];
    list.push(point);
    this.points.set(revision, list);
  }

  async measure(_service: string, revision: string, window: Window): Promise<RevisionMetrics> {
    const start = window.start.getTime() + 60_000; // a point spans [end − 60 s, end)
    const end = window.end.getTime();
    const sum = this.sumOf(revision, start, end);
    if (sum.points === 0) {
      const none = noData(`no points for ${revision} in the window`);
      return { requests: none, latencyMs: none, prediction: none };
    }
    if (sum.requests === 0) {
      // Cloud Monitoring writes no series for a revision that served nothing.
      const none = noData(`no requests to ${revision} in the window`);
      return { requests: none, latencyMs: none, prediction: none };
    }
    return {
      requests: measured({ requests: sum.requests, errors5xx: sum.errors5xx }),
      latencyMs: measured({ layout: sum.latency.layout, counts: [...sum.latency.counts] }),
      prediction:
        sum.predictions.count > 0
          ? measured({ ...sum.predictions })
          : noData(`no prediction points for ${revision}`),
    };
  }

  /** The sum of the points with start ≤ endMs ≤ end, extended from the last one for this start. */
  private sumOf(revision: string, start: number, end: number): PointSum {
    const list = this.points.get(revision) ?? [];
    const key = `${revision}|${start}`;
    let cached = this.sums.get(key);
    if (!cached || cached.endMs > end) {
      cached = { next: 0, endMs: start, sum: emptySum() };
      this.sums.set(key, cached);
    }
    while (cached.next < list.length && list[cached.next]!.endMs <= end) {
      const p = list[cached.next]!;
      if (p.endMs >= start) addPoint(cached.sum, p);
      cached.next += 1;
    }
    cached.endMs = end;
    return cached.sum;
  }
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  with: () => silentLogger,
};
