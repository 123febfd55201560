import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readKnobs } from '../../../examples/leakage-model/knobs.js';
import { ModelMetrics } from '../../../examples/leakage-model/metrics.js';
import { createModelServer } from '../../../examples/leakage-model/server.js';
import { SAMPLE_FEATURES } from '../../../local/local-config.js';
import { PrometheusApi } from '../../../shared/adapters/prometheus/prometheus-api.js';
import { PrometheusMetrics } from '../../../shared/adapters/prometheus/prometheus-metrics.js';
import { totalCount } from '../../../shared/domain/histogram.js';
import { PrometheusQueries } from '../../../shared/schemas/metrics-config.js';

const SERVICE = 'projects/p/locations/us-central1/services/model';
const REVISION = 'model-00002-grn';
const dir = mkdtempSync(join(tmpdir(), 'cutover-prometheus-'));
let model: Server;
let prometheus: ChildProcess;
let api: PrometheusApi;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Polls `read` until `done` holds (Prometheus scrapes on its own schedule). */
async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // not ready yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const requestsSeen = async () =>
  (await api.query(`sum(http_requests_total{revision="${REVISION}"})`, new Date()))[0]?.value ?? 0;

async function predict(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await fetch(`http://127.0.0.1:${(model.address() as AddressInfo).port}/predict`, {
      method: 'POST',
      body: JSON.stringify(SAMPLE_FEATURES),
    });
    await res.text();
  }
}

beforeAll(async () => {
  model = createModelServer(readKnobs({ ERROR_RATE: '0.1' }), {
    writeLine: () => undefined,
    metrics: new ModelMetrics({ revision: REVISION, service: 'model' }),
  });
  await new Promise<void>((r) => model.listen(0, '127.0.0.1', r));
  const target = `127.0.0.1:${(model.address() as AddressInfo).port}`;
  const port = await freePort();
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: model',
      '    static_configs:',
      `      - targets: ['${target}']`,
    ].join('\n'),
  );
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  api = new PrometheusApi(`http://127.0.0.1:${port}`);
  await until(
    () => api.query('up', new Date()),
    (v) => v[0]?.value === 1,
    'the first scrape',
  );
});

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  await new Promise((r) => model.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('PrometheusMetrics against a real Prometheus scraping the sample model', () => {
  it('measures requests, 5xx, the latency histogram and predictions over the window', async () => {
    await predict(1); // the series exist before the window opens
    await until(requestsSeen, (n) => n >= 1, 'the warm-up request in Prometheus');
    const start = new Date(Date.now() - 1500);
    await predict(100); // ERROR_RATE 0.1: 10 of them answer 503
    await until(requestsSeen, (n) => n >= 101, 'the 100 requests in Prometheus');
    // One more scrape, so the window holds samples on both sides of the traffic.
    const seenAt = Date.now();
    await until(
      async () => Date.now() - seenAt,
      (ms) => ms >= 1500,
      'one more scrape',
    );
    const end = new Date();
    const source = new PrometheusMetrics({ api, queries: PrometheusQueries.parse({}) });
    const m = await source.distributions(SERVICE, REVISION, { start, end });
    const shown = JSON.stringify(m);
    // increase() extrapolates to the window's edges; over a window of a few seconds at a 1 s scrape
    // interval that is up to ~25% (over the minutes of a real step it is a few percent).
    expect(m.requests.kind, shown).toBe('value');
    if (m.requests.kind !== 'value') return;
    expect(m.requests.value.requests).toBeGreaterThanOrEqual(95);
    expect(m.requests.value.requests).toBeLessThanOrEqual(126);
    expect(m.requests.value.errors5xx).toBeGreaterThanOrEqual(9);
    expect(m.requests.value.errors5xx).toBeLessThanOrEqual(15);
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
      expect(m.prediction.value.count).toBeLessThanOrEqual(115);
      expect(m.prediction.value.mean).toBeGreaterThan(0);
      expect(m.prediction.value.mean).toBeLessThan(1);
      // One input, one score: no spread.
      expect(m.prediction.value.sumOfSquaredDeviation).toBeLessThan(1e-6);
    }
  });

  it('is no-data for a revision Prometheus never scraped', async () => {
    const source = new PrometheusMetrics({ api, queries: PrometheusQueries.parse({}) });
    const now = new Date();
    const m = await source.distributions(SERVICE, 'model-00009-xyz', {
      start: new Date(now.getTime() - 60_000),
      end: now,
    });
    expect(m.requests.kind).toBe('no-data');
    expect(m.latencyMs.kind).toBe('no-data');
    expect(m.prediction.kind).toBe('no-data');
  });

  it('names the query Prometheus refused', async () => {
    await expect(api.query('sum(rate(', new Date())).rejects.toThrow(
      /bad_data.*Query: sum\(rate\(/,
    );
  });
});
