import { noData, value, type RevisionSummary } from '../../shared/domain/measurement.js';
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
 * the exact p95 (nearest rank) and the mean prediction over the observations that fall inside the
 * window, or pin what `measure` returns (`set`). No observations is no-data, never 0.
 */
export class FakeMetrics implements MetricsSource {
  private readonly observations = new Map<string, Stored[]>();
  private readonly pinned = new Map<string, RevisionSummary>();
  /** Every measure() call, in order. */
  readonly calls: Array<{ service: string; revision: string; window: Window }> = [];

  observe(service: string, revision: string, o: FakeObservations): void {
    const list = this.observations.get(key(service, revision)) ?? [];
    list.push({ ...o, requests: [...o.requests], predictions: [...(o.predictions ?? [])] });
    this.observations.set(key(service, revision), list);
  }

  /** `measure` returns exactly this for the revision, whatever the window. */
  set(service: string, revision: string, metrics: RevisionSummary): void {
    this.pinned.set(key(service, revision), metrics);
  }

  clear(): void {
    this.observations.clear();
    this.pinned.clear();
  }

  async measure(service: string, revision: string, window: Window): Promise<RevisionSummary> {
    this.calls.push({ service, revision, window });
    const pinned = this.pinned.get(key(service, revision));
    if (pinned) return structuredClone(pinned);
    const inside = (this.observations.get(key(service, revision)) ?? []).filter(
      (o) => o.start.getTime() >= window.start.getTime() && o.end.getTime() <= window.end.getTime(),
    );
    const requests = inside.flatMap((o) => o.requests);
    const predictions = inside.flatMap((o) => o.predictions);
    const prediction = predictions.length
      ? value(predictions.reduce((a, b) => a + b, 0) / predictions.length, predictions.length)
      : noData(`no predictions for ${revision}`);
    if (requests.length === 0) {
      const none = noData(`zero requests to ${revision} in the window`);
      return { requests: none, errors5xx: none, p95LatencyMs: none, prediction };
    }
    const errors = requests.filter((r) => r.status >= 500 && r.status < 600).length;
    const sorted = requests.map((r) => r.latencyMs).sort((a, b) => a - b);
    const p95 = sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? 0;
    return {
      requests: value(requests.length, requests.length),
      errors5xx: value(errors, requests.length),
      p95LatencyMs: value(p95, requests.length),
      prediction,
    };
  }
}
