import { describe, expect, it } from 'vitest';
import type { Series } from '../../../local/emulator/monitoring-types.js';
import { parseExposition } from '../../../local/prometheus/exposition.js';
import { instantQuery, PromqlError } from '../../../local/prometheus/promql.js';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const resource = { type: 'prometheus_target', labels: { project_id: 'p', job: 'model' } };

function counter(labels: Record<string, string>, values: number[]): Series {
  return {
    metric: { type: 'prometheus.googleapis.com/http_requests_total/counter', labels },
    resource,
    kind: 'CUMULATIVE',
    valueType: 'DOUBLE',
    unit: '',
    points: values.map((v, i) => ({ startMs: T0 - 1, endMs: T0 + i * 1000, value: v })),
  };
}

const ok = counter({ revision: 'r1', status: '200' }, [0, 10, 20, 30]);
const failed = counter({ revision: 'r1', status: '503' }, [0, 1, 2, 3]);
const other = counter({ revision: 'r2', status: '200' }, [5, 5, 5, 5]);
const latency: Series = {
  metric: {
    type: 'prometheus.googleapis.com/latency_seconds/histogram',
    labels: { revision: 'r1' },
  },
  resource,
  kind: 'CUMULATIVE',
  valueType: 'DISTRIBUTION',
  unit: '',
  points: [0, 1].map((i) => ({
    startMs: T0 - 1,
    endMs: T0 + i * 1000,
    value: {
      count: 4 * i,
      mean: 0.2,
      ssd: 0,
      options: { explicit_buckets: { bounds: [0.1, 0.5] } },
      counts: [1 * i, 2 * i, 1 * i],
    },
  })),
};
const all = [ok, failed, other, latency];
const at = (s: number) => T0 + s * 1000;

describe('the emulator’s PromQL subset', () => {
  it.each([
    // Samples at 1..3 s: 20 + 2 over 2 s sampled, extrapolated 1 s back to where 200s were 0.
    ['sum(increase(http_requests_total{revision="r1"}[3s]))', 3, [{ labels: {}, value: 33 }]],
    [
      'sum by (status) (increase(http_requests_total{revision=~"r1"}[4s]))',
      3,
      [
        { labels: { status: '200' }, value: 30 },
        { labels: { status: '503' }, value: 3 },
      ],
    ],
    [
      'sum(rate(http_requests_total{revision!="r2",status="200"}[4s]))',
      3,
      [{ labels: {}, value: 7.5 }],
    ],
    ['sum(http_requests_total)', 3, [{ labels: {}, value: 38 }]],
    ['sum(increase(http_requests_total{revision="r9"}[4s]))', 3, []],
    [
      'sum by (le) (increase(latency_seconds_bucket[2s]))',
      1,
      [
        { labels: { le: '0.1' }, value: 1 },
        { labels: { le: '0.5' }, value: 3 },
        { labels: { le: '+Inf' }, value: 4 },
      ],
    ],
    ['sum(increase(latency_seconds_sum[2s]))', 1, [{ labels: {}, value: 0.8 }]],
  ] as const)('%s', (query, seconds, expected) => {
    const got = instantQuery(query, at(seconds), all).map((s) => ({
      ...s,
      value: +s.value.toFixed(9),
    }));
    expect(got).toEqual(expected);
  });

  it('extrapolates increase() as Prometheus does, and counts through a counter reset', () => {
    // Samples at 1, 2, 3 s (10, 20, 30) in the window (0.5 s, 3.5 s]: 20 over 2 s sampled,
    // extended 0.5 s at each end (under 1.1 × the 1 s average between samples).
    const [w] = instantQuery('sum(increase(http_requests_total{status="200"}[3s]))', at(3.5), [ok]);
    expect(w?.value).toBeCloseTo((20 * (2 + 0.5 + 0.5)) / 2, 9);
    const reset = counter({ status: '200' }, [0, 10, 2, 12]);
    expect(instantQuery('sum(increase(http_requests_total[4s]))', at(3), [reset])[0]?.value).toBe(
      22,
    );
  });

  it('refuses what it does not read with a message', () => {
    for (const q of ['sum(rate(', 'avg(x)', 'increase(x)', 'x{a=b}', 'x[5q]'])
      expect(() => instantQuery(q, at(1), all), q).toThrow(PromqlError);
  });

  it('reads prom-client’s exposition: types, labels with escapes, +Inf', () => {
    const e = parseExposition(
      [
        '# HELP http_requests_total Requests.',
        '# TYPE http_requests_total counter',
        'http_requests_total{status="200",path="a\\"b\\\\c"} 3',
        '# TYPE d histogram',
        'd_bucket{le="+Inf"} 2',
        'd_sum 0.5',
      ].join('\n'),
    );
    expect(e.types).toEqual({ http_requests_total: 'counter', d: 'histogram' });
    expect(e.samples).toEqual([
      { name: 'http_requests_total', labels: { status: '200', path: 'a"b\\c' }, value: 3 },
      { name: 'd_bucket', labels: { le: '+Inf' }, value: 2 },
      { name: 'd_sum', labels: {}, value: 0.5 },
    ]);
    expect(() => parseExposition('not a sample line at all')).toThrow(
      /not a Prometheus exposition line/,
    );
  });
});
