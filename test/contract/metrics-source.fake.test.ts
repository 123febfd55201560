import { FakeMetrics } from '../fakes/fake-metrics.js';
import { metricsSourceContract } from './metrics-source.contract.js';

metricsSourceContract('FakeMetrics', async () => {
  const fake = new FakeMetrics();
  return {
    metrics: fake,
    observe: async (service, revision, o) => fake.observe(service, revision, o),
    latencyBucketWidth: () => 0,
    close: async () => undefined,
  };
});
