import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { cloudRunSeries, LATENCY_BUCKETS } from '../../local/emulator/cloud-run-metrics.js';
import { MonitoringMetrics } from '../../shared/adapters/gcp/monitoring-metrics.js';
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
