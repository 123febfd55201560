import type { Logger } from '../../shared/ports/logger.js';
import type { MetricsSource, RevisionMetrics, Window } from '../../shared/ports/metrics-source.js';
import type {
  ServiceChange,
  ServicePlatform,
  ServiceView,
} from '../../shared/ports/service-platform.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import { measured, noData } from '../../shared/domain/measurement.js';
import { sumPoints, type MinutePoint } from './minute-traffic.js';

/** The simulated Cloud Run service: one view, updated in place; every revision is ready. */
export class SimPlatform implements ServicePlatform {
  private etag = 0;
  constructor(private view: ServiceView) {}

  static of(name: string, record: ServiceRecord): SimPlatform {
    const written = [{ revision: record.stable.revision, percent: 100, tag: record.stable.color }];
    return new SimPlatform({
      name,
      etag: '0',
      record,
      traffic: written.map((t) => ({ ...t, url: null })),
      written,
      latestCreatedRevision: record.stable.revision,
      latestReadyRevision: record.stable.revision,
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

  add(revision: string, point: MinutePoint): void {
    const list = this.points.get(revision) ?? [];
    list.push(point);
    this.points.set(revision, list);
  }

  async measure(_service: string, revision: string, window: Window): Promise<RevisionMetrics> {
    const start = window.start.getTime() + 60_000; // a point spans [end − 60 s, end)
    const end = window.end.getTime();
    const inside = (this.points.get(revision) ?? []).filter(
      (p) => p.endMs >= start && p.endMs <= end,
    );
    if (inside.length === 0) {
      const none = noData(`no points for ${revision} in the window`);
      return { requests: none, latencyMs: none, prediction: none };
    }
    const sum = sumPoints(inside);
    if (sum.requests === 0) {
      // Cloud Monitoring writes no series for a revision that served nothing.
      const none = noData(`no requests to ${revision} in the window`);
      return { requests: none, latencyMs: none, prediction: none };
    }
    return {
      requests: measured({ requests: sum.requests, errors5xx: sum.errors5xx }),
      latencyMs: measured(sum.latency),
      prediction:
        sum.predictions.count > 0
          ? measured(sum.predictions)
          : noData(`no prediction points for ${revision}`),
    };
  }
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  with: () => silentLogger,
};
