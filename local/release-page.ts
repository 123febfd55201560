import type { GoogleClientOptions } from '../shared/adapters/gcp/client-options.js';
import { gcpAdapters } from '../shared/adapters/wiring.js';
import type { Config } from '../shared/schemas/config.js';
import { startReleasePage } from '../ui/server.js';
import type { Emulator } from './emulator/index.js';

/**
 * The release page inside `cutover local`: the same adapters the CLI uses against the emulator,
 * and the release events from the emulator's own log of the deployment-events topic.
 */
export function startLocalPage(options: {
  emulator: Emulator;
  config: Config;
  clientOptions: GoogleClientOptions;
  topic: string;
}): ReturnType<typeof startReleasePage> {
  const adapters = gcpAdapters(options.clientOptions, options.config.predictionMetric);
  return startReleasePage({
    services: options.config.services.map((s) => s.service),
    source: {
      platform: adapters.platform(),
      metrics: adapters.metrics(),
      events: async () =>
        options.emulator.pubsub.published(options.topic).flatMap((m) => {
          try {
            return [JSON.parse(m.data.toString('utf8')) as unknown];
          } catch {
            return [];
          }
        }),
    },
    target: (service) => ({
      kind: 'local',
      service,
      config: options.config,
      adapters,
      topics: options.config.topics,
    }),
  });
}
