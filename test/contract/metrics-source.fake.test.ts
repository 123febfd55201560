import { CLOUD_RUN_LATENCY_LAYOUT } from '../../local/sim/cloud-run-layout.js';
import { bucketOf, lowerBound, upperBound } from '../../shared/domain/histogram.js';
import { FakeMetrics } from '../fakes/fake-metrics.js';
import { metricsSourceContract } from './metrics-source.contract.js';

metricsSourceContract('FakeMetrics', async () => {
  const fake = new FakeMetrics();
  return {
    metrics: fake,
    observe: async (service, revision, o) => fake.observe(service, revision, o),
    // The fake buckets latencies like Cloud Run does, so p95 is known to within one bucket.
    latencyBucketWidth: (ms) => {
      const i = bucketOf(CLOUD_RUN_LATENCY_LAYOUT, ms);
      return upperBound(CLOUD_RUN_LATENCY_LAYOUT, i) - lowerBound(CLOUD_RUN_LATENCY_LAYOUT, i);
    },
    close: async () => undefined,
  };
});
