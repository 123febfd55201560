import type { MetricServiceClient, protos } from '@google-cloud/monitoring';
import { describe, expect, it } from 'vitest';
import {
  MonitoringMetrics,
  REQUEST_COUNT,
} from '../../../shared/adapters/gcp/monitoring-metrics.js';

type Response = protos.google.monitoring.v3.IListTimeSeriesResponse;
type Request = protos.google.monitoring.v3.IListTimeSeriesRequest;

/**
 * A hand-written stand-in for the client's listTimeSeries (paging and executionErrors are what the
 * emulator does not produce on demand): answers request_count queries from `pages` by page token.
 */
function client(pages: Record<string, Response>, seen: Request[] = []): MetricServiceClient {
  return {
    listTimeSeries: async (request: Request) => {
      seen.push(request);
      const page = request.filter?.includes(REQUEST_COUNT)
        ? (pages[request.pageToken ?? ''] ?? {})
        : {};
      return [page.timeSeries ?? [], null, page];
    },
  } as unknown as MetricServiceClient;
}

const series = (cls: string, count: string): protos.google.monitoring.v3.ITimeSeries => ({
  metric: { type: REQUEST_COUNT, labels: { response_code_class: cls } },
  points: [{ value: { int64Value: count } }],
});
const SERVICE = 'projects/p/locations/us-central1/services/model';
const window = { start: new Date('2026-03-01T10:00:00Z'), end: new Date('2026-03-01T10:30:00Z') };

describe('MonitoringMetrics paging and partial data', () => {
  it('follows every page, summing int64 strings', async () => {
    const seen: Request[] = [];
    const pages = {
      '': { timeSeries: [series('2xx', '900')], nextPageToken: 'p2' },
      p2: { timeSeries: [series('5xx', '100')] },
    };
    const m = await new MonitoringMetrics({ client: client(pages, seen) }).measure(
      SERVICE,
      'model-00002-grn',
      window,
    );
    expect(m.requests).toEqual({ kind: 'value', value: { requests: 1000, errors5xx: 100 } });
    const count = seen.find((r) => r.filter?.includes(REQUEST_COUNT) && r.pageToken === '');
    expect(count).toMatchObject({
      name: 'projects/p',
      aggregation: {
        alignmentPeriod: { seconds: 1800 },
        perSeriesAligner: 'ALIGN_DELTA',
        crossSeriesReducer: 'REDUCE_SUM',
        groupByFields: ['metric.labels.response_code_class'],
      },
    });
    // One merged distribution of every request, never a percentile of per-code percentiles.
    const latency = seen.find((r) => r.filter?.includes('request_latencies'));
    expect(latency?.aggregation).toMatchObject({
      perSeriesAligner: 'ALIGN_DELTA',
      crossSeriesReducer: 'REDUCE_SUM',
      groupByFields: [],
    });
  });

  it('treats executionErrors as no-data with the reason', async () => {
    const pages = {
      '': {
        timeSeries: [series('2xx', '900')],
        executionErrors: [{ code: 4, message: 'deadline exceeded for some series' }],
      },
    };
    const m = await new MonitoringMetrics({ client: client(pages) }).measure(
      SERVICE,
      'model-00002-grn',
      window,
    );
    expect(m.requests).toEqual({
      kind: 'no-data',
      reason: 'partial data from Cloud Monitoring: deadline exceeded for some series',
    });
    expect(m.latencyMs.kind).toBe('no-data');
  });
});
