import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantile, totalCount } from '../../shared/domain/histogram.js';
import type { MetricsSource } from '../../shared/ports/metrics-source.js';
import type { FakeObservations } from '../fakes/fake-metrics.js';

export interface MetricsHarness {
  metrics: MetricsSource;
  /** Records what a revision served over [start, end]. */
  observe(service: string, revision: string, o: FakeObservations): Promise<void>;
  /** Width of the latency bucket that holds `ms` in the source's histogram (0 when exact). */
  latencyBucketWidth(ms: number): number;
  close(): Promise<void>;
}

const SERVICE = 'projects/p/locations/us-central1/services/model';
const T0 = Date.parse('2026-03-01T10:00:00Z');
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);

/** 300 requests with spread-out latencies (true p95 by nearest rank is computed, not assumed). */
function traffic(errors: number): FakeObservations['requests'] {
  return Array.from({ length: 300 }, (_, i) => ({
    status: i < errors ? 503 : 200,
    latencyMs: 20 + ((i * 37) % 300),
  }));
}

function trueP95(latencies: number[]): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1] ?? NaN;
}

export function metricsSourceContract(label: string, make: () => Promise<MetricsHarness>): void {
  describe(`MetricsSource contract: ${label}`, () => {
    let h: MetricsHarness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(() => h.close());

    it('counts requests and 5xx, gives p95 within one bucket and the mean prediction', async () => {
      const requests = traffic(12);
      const predictions = Array.from({ length: 40 }, (_, i) => 0.2 + (i % 10) * 0.03);
      await h.observe(SERVICE, 'model-00001-blu', {
        start: at(0),
        end: at(10),
        requests,
        predictions,
      });
      const m = await h.metrics.measure(SERVICE, 'model-00001-blu', { start: at(0), end: at(10) });
      expect(m.requests).toEqual({ kind: 'value', value: { requests: 300, errors5xx: 12 } });
      const p95 = trueP95(requests.map((r) => r.latencyMs));
      expect(m.latencyMs.kind).toBe('value');
      if (m.latencyMs.kind !== 'value') return;
      expect(totalCount(m.latencyMs.value)).toBe(300);
      const measured = quantile(m.latencyMs.value, 0.95)!;
      expect(Math.abs(measured - p95)).toBeLessThanOrEqual(h.latencyBucketWidth(p95));
      const mean = predictions.reduce((a, b) => a + b, 0) / predictions.length;
      const ssd = predictions.reduce((a, v) => a + (v - mean) ** 2, 0);
      expect(m.prediction.kind).toBe('value');
      if (m.prediction.kind !== 'value') return;
      expect(m.prediction.value.count).toBe(40);
      expect(m.prediction.value.mean).toBeCloseTo(mean, 6);
      expect(m.prediction.value.sumOfSquaredDeviation).toBeCloseTo(ssd, 6);
    });

    it('reports zero 5xx as a value when every request succeeded', async () => {
      await h.observe(SERVICE, 'model-00002-grn', {
        start: at(0),
        end: at(10),
        requests: traffic(0),
      });
      const m = await h.metrics.measure(SERVICE, 'model-00002-grn', { start: at(0), end: at(10) });
      expect(m.requests).toEqual({ kind: 'value', value: { requests: 300, errors5xx: 0 } });
      expect(m.prediction.kind).toBe('no-data');
    });

    it('is no-data, never 0, for a window without data', async () => {
      await h.observe(SERVICE, 'model-00003-blu', {
        start: at(0),
        end: at(10),
        requests: traffic(5),
        predictions: [0.5],
      });
      const m = await h.metrics.measure(SERVICE, 'model-00003-blu', { start: at(20), end: at(30) });
      for (const figure of [m.requests, m.latencyMs, m.prediction]) {
        expect(figure.kind).toBe('no-data');
        if (figure.kind === 'no-data') expect(figure.reason).not.toBe('');
      }
    });

    it('keeps revisions apart', async () => {
      await h.observe(SERVICE, 'model-00004-blu', {
        start: at(0),
        end: at(10),
        requests: traffic(0),
      });
      const m = await h.metrics.measure(SERVICE, 'model-00005-grn', { start: at(0), end: at(10) });
      expect(m.requests.kind).toBe('no-data');
    });
  });
}
