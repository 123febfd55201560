import { MetricServiceClient } from '@google-cloud/monitoring';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudRunSeries, LATENCY_BUCKETS } from '../../local/emulator/cloud-run-metrics.js';
import {
  bucketOf,
  distOf,
  distPercentile,
  lowerBound,
} from '../../local/emulator/monitoring-distribution.js';
import { parseFilter } from '../../local/emulator/monitoring-filter.js';
import { createMonitoring } from '../../local/emulator/monitoring.js';
import type { MonitoringState } from '../../local/emulator/monitoring.js';
import { clientOptions, serve, testContext } from './grpc-server.js';
import type { TestServer } from './grpc-server.js';

const PROJECT = 'cutover-test';
const T0 = Date.parse('2026-01-01T10:00:00Z');
const MIN = 60_000;
const seconds = (ms: number) => ({ seconds: Math.floor(ms / 1000) });
const at = (ms: number) => new Date(ms);
const base = { project: PROJECT, location: 'us-central1', service: 'leakage-model' };
const revFilter = (metric: string, revision: string) =>
  `metric.type = "${metric}" AND resource.type="cloud_run_revision" AND resource.labels.revision_name = "${revision}"`;

/** 200 latencies 1..200 ms × 2.5: a known spread whose true p95 is easy to compute. */
const LATENCIES = Array.from({ length: 200 }, (_, i) => (i + 1) * 2.5);
const trueP95 = [...LATENCIES].sort((a, b) => a - b)[Math.ceil(0.95 * LATENCIES.length) - 1]!;

describe('emulated Cloud Monitoring v3 through the plain MetricServiceClient', () => {
  let server: TestServer;
  let state: MonitoringState;
  let client: MetricServiceClient;

  beforeAll(async () => {
    const monitoring = createMonitoring(testContext());
    state = monitoring.state;
    server = await serve(monitoring.services);
    client = new MetricServiceClient({ ...(await clientOptions(server.port)), projectId: PROJECT });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });
  beforeEach(() => {
    state.clear();
    const requests = [
      ...LATENCIES.map((latencyMs) => ({ status: 200, latencyMs })),
      ...Array.from({ length: 5 }, () => ({ status: 404, latencyMs: 3 })),
      ...Array.from({ length: 7 }, () => ({ status: 500, latencyMs: 8 })),
      ...Array.from({ length: 3 }, () => ({ status: 503, latencyMs: 9 })),
    ];
    // green: two one-minute windows; blue: one window with only 200s.
    state.write(
      cloudRunSeries({ ...base, revision: 'green', start: at(T0), end: at(T0 + MIN), requests }),
    );
    state.write(
      cloudRunSeries({
        ...base,
        revision: 'green',
        start: at(T0 + MIN),
        end: at(T0 + 2 * MIN),
        requests: [{ status: 200, latencyMs: 10 }],
        predictions: [0.2, 0.4, 0.6],
      }),
    );
    state.write(
      cloudRunSeries({
        ...base,
        revision: 'blue',
        start: at(T0),
        end: at(T0 + MIN),
        requests: LATENCIES.map((l) => ({ status: 200, latencyMs: l })),
      }),
    );
  });

  async function list(request: Record<string, unknown>) {
    const [series] = await client.listTimeSeries({
      name: `projects/${PROJECT}`,
      view: 'FULL',
      ...request,
    });
    return series;
  }

  it('p95 via ALIGN_PERCENTILE_95 + REDUCE_PERCENTILE_95 (or MAX) is within one bucket of the true p95', async () => {
    const bucket = bucketOf(LATENCY_BUCKETS, trueP95);
    const width = lowerBound(LATENCY_BUCKETS, bucket + 1) - lowerBound(LATENCY_BUCKETS, bucket);
    for (const reducer of ['REDUCE_PERCENTILE_95', 'REDUCE_MAX']) {
      const series = await list({
        filter: revFilter('run.googleapis.com/request_latencies', 'blue'),
        interval: { startTime: seconds(T0), endTime: seconds(T0 + MIN) },
        aggregation: {
          alignmentPeriod: { seconds: 60 },
          perSeriesAligner: 'ALIGN_PERCENTILE_95',
          crossSeriesReducer: reducer,
          groupByFields: ['resource.labels.revision_name'],
        },
      });
      expect(series).toHaveLength(1);
      const [only] = series;
      expect(only?.valueType).toBe('DOUBLE');
      expect(only?.metricKind).toBe('GAUGE');
      expect(only?.resource?.labels).toEqual({ revision_name: 'blue' });
      const p95 = only?.points?.[0]?.value?.doubleValue ?? NaN;
      expect(Math.abs(p95 - trueP95)).toBeLessThanOrEqual(width);
    }
  });

  it('counts requests by response_code_class with ALIGN_DELTA + REDUCE_SUM, newest point first', async () => {
    const series = await list({
      filter:
        'metric.type="run.googleapis.com/request_count" AND resource.label.revision_name="green"',
      interval: { startTime: seconds(T0), endTime: seconds(T0 + 2 * MIN) },
      aggregation: {
        alignmentPeriod: { seconds: 60 },
        perSeriesAligner: 'ALIGN_DELTA',
        crossSeriesReducer: 'REDUCE_SUM',
        groupByFields: ['metric.labels.response_code_class'],
      },
    });
    const byClass = Object.fromEntries(
      series.map((s) => [
        s.metric?.labels?.response_code_class,
        s.points?.map((p) => p.value?.int64Value),
      ]),
    );
    expect(byClass).toEqual({ '2xx': ['1', '200'], '4xx': ['5'], '5xx': ['10'] });
    const [twoXx] = series.filter((s) => s.metric?.labels?.response_code_class === '2xx');
    expect(twoXx?.valueType).toBe('INT64');
    const ends = twoXx?.points?.map((p) => Number(p.interval?.endTime?.seconds));
    expect(ends).toEqual([(T0 + 2 * MIN) / 1000, (T0 + MIN) / 1000]);
  });

  it('REDUCE_SUM keeps a distribution a distribution (count as an int64 string, under/overflow buckets)', async () => {
    const series = await list({
      filter:
        'metric.type="run.googleapis.com/request_latencies" AND resource.labels.service_name="leakage-model"',
      interval: { startTime: seconds(T0), endTime: seconds(T0 + 2 * MIN) },
      aggregation: {
        alignmentPeriod: { seconds: 120 },
        perSeriesAligner: 'ALIGN_DELTA',
        crossSeriesReducer: 'REDUCE_SUM',
      },
    });
    expect(series).toHaveLength(1);
    const dist = series[0]?.points?.[0]?.value?.distributionValue;
    expect(series[0]?.valueType).toBe('DISTRIBUTION');
    expect(dist?.count).toBe(String(215 + 1 + 200));
    expect(dist?.bucketOptions?.exponentialBuckets?.numFiniteBuckets).toBe(100);
    const total = (dist?.bucketCounts ?? []).reduce((a: number, c) => a + Number(c), 0);
    expect(total).toBe(416);
  });

  it('gives the mean prediction of the log-based distribution with ALIGN_MEAN', async () => {
    const series = await list({
      filter: revFilter('logging.googleapis.com/user/cutover-prediction', 'green'),
      interval: { startTime: seconds(T0), endTime: seconds(T0 + 2 * MIN) },
      aggregation: { alignmentPeriod: { seconds: 120 }, perSeriesAligner: 'ALIGN_MEAN' },
    });
    expect(series[0]?.points?.[0]?.value?.doubleValue).toBeCloseTo(0.4, 10);
  });

  it('an empty window gives no series, never a 0', async () => {
    const series = await list({
      filter: revFilter('run.googleapis.com/request_count', 'green'),
      interval: { startTime: seconds(T0 + 10 * MIN), endTime: seconds(T0 + 20 * MIN) },
      aggregation: {
        alignmentPeriod: { seconds: 600 },
        perSeriesAligner: 'ALIGN_DELTA',
        crossSeriesReducer: 'REDUCE_SUM',
      },
    });
    expect(series).toEqual([]);
  });

  it('pages by points (FULL) and the pages add up to the unpaged answer', async () => {
    const request = {
      name: `projects/${PROJECT}`,
      filter: 'metric.type="run.googleapis.com/request_count"',
      interval: { startTime: seconds(T0), endTime: seconds(T0 + 2 * MIN) },
      view: 'FULL' as const,
    };
    const all = (await list(request)).flatMap((s) => s.points ?? []).length;
    expect(all).toBe(6); // green: 4 codes in the first minute + a 200 in the second; blue: 1
    let token: string | undefined;
    let paged = 0;
    let pages = 0;
    do {
      const [series, , response] = await client.listTimeSeries(
        { ...request, pageSize: 2, pageToken: token ?? '' },
        { autoPaginate: false },
      );
      expect(series.flatMap((s) => s.points ?? []).length).toBeLessThanOrEqual(2);
      paged += series.flatMap((s) => s.points ?? []).length;
      pages += 1;
      token = response?.nextPageToken || undefined;
    } while (token);
    expect(paged).toBe(all);
    expect(pages).toBe(3);
  });

  it('HEADERS view returns the series without points', async () => {
    const series = await list({
      filter:
        'metric.type="run.googleapis.com/request_count" AND metric.labels.response_code_class="2xx"',
      interval: { startTime: seconds(T0), endTime: seconds(T0 + 2 * MIN) },
      view: 'HEADERS',
    });
    expect(series.map((s) => s.resource?.labels?.revision_name).sort()).toEqual(['blue', 'green']);
    expect(series.every((s) => (s.points ?? []).length === 0)).toBe(true);
  });

  it.each([
    ['metric.type="a" OR metric.type="b"', '\'OR metric.type="b"\''],
    ['metric.type=starts_with("run")', 'metric.type=starts_with'],
    ['resource.labels.revision_name="x"', 'exactly one metric.type'],
  ])('rejects the filter %s with INVALID_ARGUMENT naming %s', async (filter, named) => {
    const error = await list({ filter, interval: { endTime: seconds(T0) } }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 3 });
    expect((error as Error).message).toContain(named);
  });

  it('rejects a reducer without an aligner with INVALID_ARGUMENT', async () => {
    const error = await list({
      filter: 'metric.type="run.googleapis.com/request_count"',
      interval: { startTime: seconds(T0), endTime: seconds(T0 + MIN) },
      aggregation: { crossSeriesReducer: 'REDUCE_SUM' },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 3 });
  });

  it('accepts CreateTimeSeries for run.googleapis.com metrics (which the real API would refuse)', async () => {
    const resource = {
      type: 'cloud_run_revision',
      labels: { project_id: PROJECT, revision_name: 'red' },
    };
    await client.createTimeSeries({
      name: `projects/${PROJECT}`,
      timeSeries: [
        {
          metric: {
            type: 'run.googleapis.com/request_count',
            labels: { response_code_class: '2xx' },
          },
          resource,
          metricKind: 'DELTA',
          valueType: 'INT64',
          points: [
            {
              interval: { startTime: seconds(T0), endTime: seconds(T0 + MIN) },
              value: { int64Value: 1 },
            },
          ],
        },
      ],
    });
    const series = await list({
      filter: revFilter('run.googleapis.com/request_count', 'red'),
      interval: { startTime: seconds(T0), endTime: seconds(T0 + MIN) },
    });
    expect(series.map((s) => s.points?.map((p) => p.value?.int64Value))).toEqual([['1']]);
  });
});

describe('monitoring filter and percentile maths', () => {
  it.each([
    ['metric.type="m"', [{ field: 'metric.type', value: 'm' }]],
    [
      'metric.type = "m" and resource.type="r"',
      [
        { field: 'metric.type', value: 'm' },
        { field: 'resource.type', value: 'r' },
      ],
    ],
    [
      'metric.label.code="5xx" AND resource.labels.revision_name = "a\\"b" AND metric.type="m"',
      [
        { field: 'metric.label', label: 'code', value: '5xx' },
        { field: 'resource.label', label: 'revision_name', value: 'a"b' },
        { field: 'metric.type', value: 'm' },
      ],
    ],
  ])('parses %s', (filter, clauses) => {
    expect(parseFilter(filter)).toEqual(clauses);
  });

  it.each([
    [50, 0.5],
    [95, 0.95],
    [5, 0.05],
  ])('p%s of 100 evenly spread scores in linear buckets is %s', (p, expected) => {
    const values = Array.from({ length: 100 }, (_, i) => (i + 0.5) / 100);
    const d = distOf(values, { linear_buckets: { num_finite_buckets: 10, width: 0.1, offset: 0 } });
    expect(distPercentile(d, p)).toBeCloseTo(expected, 10);
  });

  it('an empty distribution has no percentile', () => {
    expect(distPercentile(distOf([], LATENCY_BUCKETS), 95)).toBeUndefined();
  });
});
