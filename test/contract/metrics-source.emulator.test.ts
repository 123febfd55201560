import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { cloudRunSeries, LATENCY_BUCKETS } from '../../local/emulator/cloud-run-metrics.js';
import {
  MonitoringMetrics,
  REQUEST_LATENCIES,
} from '../../shared/adapters/gcp/monitoring-metrics.js';
import { revisionFilter, scalar } from '../../shared/adapters/gcp/monitoring-series.js';
import { quantile } from '../../shared/domain/histogram.js';
import { FAST_RETRY } from '../../shared/adapters/gcp/retry.js';
import { TransientError } from '../../shared/errors.js';
import type { FakeObservations } from '../fakes/fake-metrics.js';
import { startEmulatorClients, type EmulatorClients } from './emulator-clients.js';
import { metricsSourceContract, type MetricsHarness } from './metrics-source.contract.js';

/** Width of the exponential bucket [scale·g^(i−1), scale·g^i) that holds `ms`. */
function exponentialWidth(ms: number): number {
  const g = LATENCY_BUCKETS.exponential_buckets?.growth_factor ?? 2;
  const scale = LATENCY_BUCKETS.exponential_buckets?.scale ?? 1;
  const i = Math.floor(Math.log(ms / scale) / Math.log(g)) + 1;
  return scale * g ** i - scale * g ** (i - 1);
}

function harness(c: EmulatorClients): MetricsHarness {
  return {
    metrics: new MonitoringMetrics({ client: c.monitoring, retry: FAST_RETRY }),
    observe: async (service: string, revision: string, o: FakeObservations) => {
      const [, project = '', , location = ''] = service.split('/');
      c.emulator.monitoring.write(cloudRunSeries({ project, location, service, revision, ...o }));
    },
    latencyBucketWidth: exponentialWidth,
    close: () => c.close(),
  };
}

metricsSourceContract('MonitoringMetrics on the emulator', async () =>
  harness(await startEmulatorClients()),
);

describe('MonitoringMetrics on the wire', () => {
  it('retries UNAVAILABLE and gives up as TransientError', async () => {
    const c = await startEmulatorClients();
    try {
      const h = harness(c);
      const method = 'google.monitoring.v3.MetricService/ListTimeSeries';
      c.emulator.faults.inject(method, { code: grpc.status.UNAVAILABLE, times: 1 });
      const window = {
        start: new Date('2026-03-01T10:00:00Z'),
        end: new Date('2026-03-01T10:10:00Z'),
      };
      const m = await h.metrics.measure(
        'projects/p/locations/us-central1/services/model',
        'model-00001-blu',
        window,
      );
      expect(m.requests.kind).toBe('no-data');
      c.emulator.faults.inject(method, { code: grpc.status.UNAVAILABLE, times: 20 });
      await expect(
        h.metrics.measure(
          'projects/p/locations/us-central1/services/model',
          'model-00001-blu',
          window,
        ),
      ).rejects.toBeInstanceOf(TransientError);
    } finally {
      await c.close();
    }
  });
});

describe('the latency the adapter reads is every request merged, not a percentile of percentiles', () => {
  it('a handful of slow 5xx moves ALIGN/REDUCE_PERCENTILE_95 but not the merged p95', async () => {
    const c = await startEmulatorClients();
    try {
      const service = 'projects/p/locations/us-central1/services/model';
      const revision = 'model-00002-grn';
      const start = new Date('2026-03-01T10:00:00Z');
      const end = new Date('2026-03-01T10:05:00Z');
      // 990 fast 200s (10..108 ms) and 10 slow 503s at 2000 ms: the true p95 of all 1000 requests
      // is ~103 ms; the p95 of each response code's own series is ~103 and 2000 ms.
      const requests = [
        ...Array.from({ length: 990 }, (_, i) => ({ status: 200, latencyMs: 10 + (i % 99) })),
        ...Array.from({ length: 10 }, () => ({ status: 503, latencyMs: 2000 })),
      ];
      c.emulator.monitoring.write(
        cloudRunSeries({
          project: 'p',
          location: 'us-central1',
          service,
          revision,
          start,
          end,
          requests,
        }),
      );
      const [series] = await c.monitoring.listTimeSeries({
        name: 'projects/p',
        filter: revisionFilter({
          metricType: REQUEST_LATENCIES,
          service: 'model',
          location: 'us-central1',
          revision,
        }),
        interval: {
          startTime: { seconds: start.getTime() / 1000 },
          endTime: { seconds: end.getTime() / 1000 },
        },
        aggregation: {
          alignmentPeriod: { seconds: 300 },
          perSeriesAligner: 'ALIGN_PERCENTILE_95',
          crossSeriesReducer: 'REDUCE_PERCENTILE_95',
        },
      });
      // Documented semantics: the reducer takes the 95th percentile of the two per-series values.
      const percentileOfPercentiles = scalar(series[0]?.points?.[0]?.value);
      expect(percentileOfPercentiles).toBeGreaterThan(1000);

      const m = await new MonitoringMetrics({ client: c.monitoring, retry: FAST_RETRY }).measure(
        service,
        revision,
        { start, end },
      );
      if (m.latencyMs.kind !== 'value') throw new Error('expected a latency distribution');
      const merged = quantile(m.latencyMs.value, 0.95)!;
      expect(merged).toBeGreaterThan(80);
      expect(merged).toBeLessThan(125); // within the ~40 %-wide bucket around the true ~103 ms
    } finally {
      await c.close();
    }
  });
});
