import { ArtifactRegistry } from '../../shared/adapters/gcp/artifact-registry.js';
import { FAST_RETRY } from '../../shared/adapters/gcp/retry.js';
import { startEmulatorClients } from './emulator-clients.js';
import { imageRegistryContract } from './image-registry.contract.js';

imageRegistryContract('ArtifactRegistry on the emulator', async () => {
  const c = await startEmulatorClients();
  // Pushes notify topic `gcr` of the image's project, which must exist as in Google Cloud.
  await c.pubsub.createTopic('gcr');
  return {
    registry: new ArtifactRegistry({ client: c.registry, retry: FAST_RETRY }),
    push: async (image, tag, digest) =>
      void (await c.emulator.registry.push(image, tag, { digest })),
    close: () => c.close(),
  };
});
