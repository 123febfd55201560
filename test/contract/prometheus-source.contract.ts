import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKnobs } from '../../examples/leakage-model/knobs.js';
import { ModelMetrics } from '../../examples/leakage-model/metrics.js';
import { createModelServer } from '../../examples/leakage-model/server.js';
import { SAMPLE_FEATURES } from '../../local/local-config.js';
import type { PrometheusApi } from '../../shared/adapters/prometheus/prometheus-api.js';
import { PrometheusMetrics } from '../../shared/adapters/prometheus/prometheus-metrics.js';
import { totalCount } from '../../shared/domain/histogram.js';
import { PrometheusQueries } from '../../shared/schemas/metrics-config.js';

/** A Prometheus API that collects the sample model's `/metrics`, as the suite drives it. */
export interface PrometheusServer {
  api: PrometheusApi;
  /** Now, on the server's clock (queries are evaluated at the window's end). */
  now(): Date;
  /** Returns once the server holds the first `sent` requests and one more sample after them. */
  settle(sent: number): Promise<void>;
  close(): Promise<void>;
}

const SERVICE = 'projects/p/locations/us-central1/services/model';
export const CONTRACT_REVISION = 'model-00002-grn';

/**
 * The contract of PrometheusMetrics against a server collecting the sample model (ERROR_RATE 0.1,
 * labelled by revision through prom-client): requests, 5xx, the latency histogram and the
 * prediction moments over a window, no-data for a revision never collected, and the refused query
 * named. `start` gets the model's `/metrics` URL and brings up the server: a real Prometheus
 * scraping it (test/ci-only/prometheus) or the emulator's Managed Service for Prometheus endpoint
 * over Monitoring data its managed collection wrote (test/contract/prometheus-source.emulator.test.ts).
 */
export function prometheusSourceContract(
  name: string,
  start: (metricsUrl: string) => Promise<PrometheusServer>,
): void {
  describe(`PrometheusMetrics against ${name}`, () => {
    let model: Server;
    let server: PrometheusServer;
    let sent = 0;

    async function predict(n: number): Promise<void> {
      const { port } = model.address() as AddressInfo;
      for (let i = 0; i < n; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/predict`, {
          method: 'POST',
          body: JSON.stringify(SAMPLE_FEATURES),
        });
        await res.text();
        sent += 1;
      }
    }

    beforeAll(async () => {
      model = createModelServer(readKnobs({ ERROR_RATE: '0.1' }), {
        writeLine: () => undefined,
        metrics: new ModelMetrics({ revision: CONTRACT_REVISION, service: 'model' }),
      });
      await new Promise<void>((r) => model.listen(0, '127.0.0.1', r));
      const { port } = model.address() as AddressInfo;
      server = await start(`http://127.0.0.1:${port}/metrics`);
    });

    afterAll(async () => {
      await server?.close();
      await new Promise((r) => model.close(r));
    });

    it('measures requests, 5xx, the latency histogram and predictions over the window', async () => {
      await predict(1); // the series exist before the window opens
      await server.settle(sent);
      const start = new Date(server.now().getTime() - 1500);
      await predict(100); // ERROR_RATE 0.1: 10 of them answer 503
      await server.settle(sent);
      const end = server.now();
      const source = new PrometheusMetrics({
        api: server.api,
        queries: PrometheusQueries.parse({}),
      });
      const m = await source.distributions(SERVICE, CONTRACT_REVISION, { start, end });
      const shown = JSON.stringify(m);
      // increase() extrapolates to the window's edges; over a window of a few seconds at a 1 s
      // scrape interval that is up to ~50% (a real Prometheus gave 130 for 101 sent; over the
      // minutes of a real step it is a few percent). Requests and 5xx scale by the same factor.
      expect(m.requests.kind, shown).toBe('value');
      if (m.requests.kind !== 'value') return;
      expect(m.requests.value.requests).toBeGreaterThanOrEqual(95);
      expect(m.requests.value.requests).toBeLessThanOrEqual(150);
      expect(m.requests.value.errors5xx).toBeGreaterThanOrEqual(9);
      expect(m.requests.value.errors5xx).toBeLessThanOrEqual(18);
      expect(m.latencyMs.kind).toBe('value');
      if (m.latencyMs.kind === 'value') {
        expect(m.latencyMs.value.layout).toMatchObject({ kind: 'explicit' });
        expect(
          Math.abs(totalCount(m.latencyMs.value) - m.requests.value.requests),
        ).toBeLessThanOrEqual(5);
      }
      expect(m.prediction.kind).toBe('value');
      if (m.prediction.kind === 'value') {
        expect(m.prediction.value.count).toBeGreaterThanOrEqual(85);
        expect(m.prediction.value.count).toBeLessThanOrEqual(140);
        expect(m.prediction.value.mean).toBeGreaterThan(0);
        expect(m.prediction.value.mean).toBeLessThan(1);
        // One input, one score: no spread.
        expect(m.prediction.value.sumOfSquaredDeviation).toBeLessThan(1e-6);
      }
    });

    it('is no-data for a revision the server never collected', async () => {
      const source = new PrometheusMetrics({
        api: server.api,
        queries: PrometheusQueries.parse({}),
      });
      const now = server.now();
      const m = await source.distributions(SERVICE, 'model-00009-xyz', {
        start: new Date(now.getTime() - 60_000),
        end: now,
      });
      expect(m.requests.kind).toBe('no-data');
      expect(m.latencyMs.kind).toBe('no-data');
      expect(m.prediction.kind).toBe('no-data');
    });

    it('names the query the server refused', async () => {
      await expect(server.api.query('sum(rate(', server.now())).rejects.toThrow(
        /bad_data.*Query: sum\(rate\(/,
      );
    });
  });
}
