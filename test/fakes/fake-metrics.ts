import { histogramOfValues } from '../../shared/domain/histogram.js';
import { measured, noData, type RevisionMetrics } from '../../shared/domain/measurement.js';
import { momentsOf } from '../../shared/domain/stats/index.js';
import { CLOUD_RUN_LATENCY_LAYOUT } from '../../local/sim/cloud-run-layout.js';
import type { MetricsSource, Window } from '../../shared/ports/metrics-source.js';

/** What a revision served in a stretch of time: one entry per request, and logged predictions. */
export interface FakeObservations {
  start: Date;
  end: Date;
  requests: Array<{ status: number; latencyMs: number }>;
  predictions?: number[];
}

interface Stored extends FakeObservations {
  predictions: number[];
}

const key = (service: string, revision: string): string => `${service}|${revision}`;

/**
 * In-memory MetricsSource. Either record raw observations (`observe`) and let it compute counts,
 * the latency histogram (Cloud Run's bucket layout) and the prediction moments over the observations that fall inside the
 * window, or pin what `measure` returns (`set`). No observations is no-data, never 0.
 */
export class FakeMetrics implements MetricsSource {
  private readonly observations = new Map<string, Stored[]>();
  private readonly pinned = new Map<string, RevisionMetrics>();
  /** Every measure() call, in order. */
  readonly calls: Array<{ service: string; revision: string; window: Window }> = [];

  observe(service: string, revision: string, o: FakeObservations): void {
    const list = this.observations.get(key(service, revision)) ?? [];
    list.push({ ...o, requests: [...o.requests], predictions: [...(o.predictions ?? [])] });
    this.observations.set(key(service, revision), list);
  }

  /** `measure` returns exactly this for the revision, whatever the window. */
  set(service: string, revision: string, metrics: RevisionMetrics): void {
    this.pinned.set(key(service, revision), metrics);
  }

  clear(): void {
    this.observations.clear();
    this.pinned.clear();
  }

  async measure(service: string, revision: string, window: Window): Promise<RevisionMetrics> {
    this.calls.push({ service, revision, window });
    const pinned = this.pinned.get(key(service, revision));
    if (pinned) return structuredClone(pinned);
    const inside = (this.observations.get(key(service, revision)) ?? []).filter(
      (o) => o.start.getTime() >= window.start.getTime() && o.end.getTime() <= window.end.getTime(),
    );
    const requests = inside.flatMap((o) => o.requests);
    const predictions = inside.flatMap((o) => o.predictions);
    const prediction = predictions.length
      ? measured(momentsOf(predictions))
      : noData(`no predictions for ${revision}`);
    if (requests.length === 0) {
      const none = noData(`zero requests to ${revision} in the window`);
      return { requests: none, latencyMs: none, prediction };
    }
    const errors5xx = requests.filter((r) => r.status >= 500 && r.status < 600).length;
    return {
      requests: measured({ requests: requests.length, errors5xx }),
      latencyMs: measured(
        histogramOfValues(
          CLOUD_RUN_LATENCY_LAYOUT,
          requests.map((r) => r.latencyMs),
        ),
      ),
      prediction,
    };
  }
}
