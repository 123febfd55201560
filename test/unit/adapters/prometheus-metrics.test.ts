import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PrometheusApi,
  PrometheusQueryError,
} from '../../../shared/adapters/prometheus/prometheus-api.js';
import {
  PrometheusMetrics,
  render,
} from '../../../shared/adapters/prometheus/prometheus-metrics.js';
import { PrometheusQueries } from '../../../shared/schemas/metrics-config.js';

const SERVICE = 'projects/p/locations/us-central1/services/model';
const window = { start: new Date('2026-03-01T10:00:00Z'), end: new Date('2026-03-01T10:10:00Z') };
const vector = (result: Array<[Record<string, string>, number]>) => ({
  status: 'success',
  data: {
    resultType: 'vector',
    result: result.map(([metric, v]) => ({
      metric,
      value: [window.end.getTime() / 1000, String(v)],
    })),
  },
});

/** A Prometheus API stand-in: answers each query by the metric it names; records what it got. */
let server: Server;
let base = '';
const seen: Array<{ query: string; time: string; auth: string | undefined }> = [];
let answers: Record<string, unknown> = {};
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const query = url.searchParams.get('query') ?? '';
    seen.push({ query, time: url.searchParams.get('time') ?? '', auth: req.headers.authorization });
    const key = Object.keys(answers).find((k) => query.includes(k));
    const body = key ? answers[key] : vector([]);
    res.writeHead(key === 'broken' ? 400 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const source = () =>
  new PrometheusMetrics({
    api: new PrometheusApi(base, async () => ({ authorization: 'Bearer t0k' })),
    queries: PrometheusQueries.parse({}),
  });

describe('PrometheusMetrics', () => {
  it('renders the default queries for the revision and the window', () => {
    const q = PrometheusQueries.parse({});
    expect(render(q.requests, SERVICE, 'model-00002-grn', window)).toBe(
      'sum by (status) (increase(http_requests_total{service="model",revision="model-00002-grn"}[600s]))',
    );
  });

  it('returns counts, merged buckets in ms and prediction moments, evaluated at the window end', async () => {
    answers = {
      http_requests_total: vector([
        [{ status: '200' }, 287.6],
        [{ status: '503' }, 12.2],
      ]),
      http_request_duration_seconds_bucket: vector([
        [{ le: '0.05' }, 100],
        [{ le: '0.1' }, 250],
        [{ le: '+Inf' }, 300],
        [{ le: '0.025' }, 40],
      ]),
      model_prediction_count: vector([[{}, 40]]),
      model_prediction_sum: vector([[{}, 20]]),
      model_prediction_squares_total: vector([[{}, 10.4]]),
    };
    seen.length = 0;
    const m = await source().distributions(SERVICE, 'model-00002-grn', window);
    expect(m.requests).toEqual({ kind: 'value', value: { requests: 300, errors5xx: 12 } });
    expect(m.latencyMs).toEqual({
      kind: 'value',
      value: { layout: { kind: 'explicit', bounds: [25, 50, 100] }, counts: [40, 60, 150, 50] },
    });
    expect(m.prediction.kind).toBe('value');
    if (m.prediction.kind === 'value') {
      expect(m.prediction.value.count).toBe(40);
      expect(m.prediction.value.mean).toBeCloseTo(0.5, 12);
      expect(m.prediction.value.sumOfSquaredDeviation).toBeCloseTo(0.4, 12);
    }
    expect(seen).toHaveLength(5);
    for (const s of seen) {
      expect(s.time).toBe('1772359800.000');
      expect(s.auth).toBe('Bearer t0k');
    }
    // measure() is the port: the same distributions.
    expect(await source().measure(SERVICE, 'model-00002-grn', window)).toEqual(m);
  });

  it('is no-data, naming the revision, when the queries find no series', async () => {
    answers = {};
    const m = await source().distributions(SERVICE, 'model-00009-xyz', window);
    expect(m.requests).toEqual({
      kind: 'no-data',
      reason: expect.stringMatching(/model-00009-xyz/),
    });
    expect(m.latencyMs.kind).toBe('no-data');
    expect(m.prediction.kind).toBe('no-data');
  });

  it('names the failing query and Prometheus’ reason', async () => {
    answers = {
      broken: { status: 'error', errorType: 'bad_data', error: 'parse error at char 5' },
    };
    const api = new PrometheusApi(base);
    const error = await api.query('broken{', window.end).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(String((error as Error).message)).toMatch(
      /HTTP 400 bad_data: parse error at char 5\. Query: broken\{/,
    );
    const down = new PrometheusApi('http://127.0.0.1:9');
    await expect(down.query('up', window.end)).rejects.toThrow(
      /cannot reach the server.*Query: up/,
    );
  });
});

describe('ServiceMetrics: the source each service names', () => {
  it('routes a prometheus service to PromQL and refuses bearer auth without its token', async () => {
    const { parseConfig } = await import('../../../shared/config/load.js');
    const { ServiceMetrics } =
      await import('../../../shared/adapters/prometheus/service-metrics.js');
    const config = parseConfig({
      services: [
        { service: SERVICE, image: 'h/p/r/model', metrics: { source: 'prometheus', url: base } },
        {
          service: `${SERVICE}-b`,
          image: 'h/p/r/model',
          metrics: { source: 'prometheus', url: base, auth: 'bearer' },
        },
      ],
    });
    const monitoring = { measure: () => Promise.reject(new Error('monitoring was asked')) };
    const metrics = new ServiceMetrics(config, () => monitoring, {});
    answers = { http_requests_total: vector([[{ status: '200' }, 5]]) };
    const m = await metrics.measure(SERVICE, 'model-00001-blu', window);
    expect(m.requests).toEqual({ kind: 'value', value: { requests: 5, errors5xx: 0 } });
    expect(() => metrics.measure(`${SERVICE}-b`, 'model-00001-blu', window)).toThrow(
      /CUTOVER_PROMETHEUS_TOKEN is not set/,
    );
    await expect(
      new ServiceMetrics(
        parseConfig({ services: [{ service: SERVICE, image: 'h/p/r/model' }] }),
        () => monitoring,
        {},
      ).measure(SERVICE, 'r', window),
    ).rejects.toThrow(/monitoring was asked/);
  });
});
