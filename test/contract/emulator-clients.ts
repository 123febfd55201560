import { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import { MetricServiceClient } from '@google-cloud/monitoring';
import { PubSub } from '@google-cloud/pubsub';
import { RevisionsClient, ServicesClient } from '@google-cloud/run';
import { startEmulator, type Emulator } from '../../local/emulator/index.js';
import { emulatorClientOptions } from '../../shared/adapters/gcp/client-options.js';

export const PROJECT = 'p';

/** The emulator on a free loopback port and the real client libraries pointed at it. */
export interface EmulatorClients {
  emulator: Emulator;
  services: ServicesClient;
  revisions: RevisionsClient;
  monitoring: MetricServiceClient;
  registry: ArtifactRegistryClient;
  pubsub: PubSub;
  close(): Promise<void>;
}

export async function startEmulatorClients(): Promise<EmulatorClients> {
  const emulator = await startEmulator();
  const options = emulatorClientOptions({ host: '127.0.0.1', port: emulator.port }, PROJECT);
  const clients = {
    services: new ServicesClient(options.gapic),
    revisions: new RevisionsClient(options.gapic),
    monitoring: new MetricServiceClient(options.gapic),
    registry: new ArtifactRegistryClient(options.gapic),
    pubsub: new PubSub(options.pubsub),
  };
  return {
    emulator,
    ...clients,
    close: async () => {
      await Promise.all([
        clients.services.close(),
        clients.revisions.close(),
        clients.monitoring.close(),
        clients.registry.close(),
        clients.pubsub.close(),
      ]);
      await emulator.close();
    },
  };
}
