import { startEmulator } from '../../local/emulator/index.js';
import { ManagedCollection } from '../../local/prometheus/managed-collection.js';
import { PrometheusApi } from '../../shared/adapters/prometheus/prometheus-api.js';
import { ManualClock } from '../fakes/manual-clock.js';
import { CONTRACT_REVISION, prometheusSourceContract } from './prometheus-source.contract.js';

/**
 * The Prometheus contract against the emulator: its managed collection scrapes the model into
 * Monitoring (`prometheus.googleapis.com/…`), and its Managed Service for Prometheus endpoint
 * answers the source's PromQL over that data. Time is a manual clock: each scrape is one second.
 */
prometheusSourceContract('the emulator’s Managed Service for Prometheus endpoint', async (url) => {
  const clock = new ManualClock();
  const emulator = await startEmulator({ clock });
  const collection = new ManagedCollection({
    project: 'p',
    location: 'us-central1',
    clock,
    write: (series) => emulator.monitoring.write(series),
    targets: () => [{ url, job: 'model', namespace: 'model', instance: CONTRACT_REVISION }],
  });
  const scrape = async () => {
    clock.advance(1000);
    await collection.scrapeOnce();
  };
  return {
    api: new PrometheusApi(`${emulator.prometheusHost}/v1/projects/p/location/global/prometheus`),
    now: () => clock.now(),
    // Every request has been answered before settle: one scrape sees them, one more follows.
    settle: async () => {
      await scrape();
      await scrape();
    },
    close: () => emulator.close(),
  };
});
