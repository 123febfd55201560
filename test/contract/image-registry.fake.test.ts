import { FakeRegistry } from '../fakes/fake-registry.js';
import { imageRegistryContract } from './image-registry.contract.js';

imageRegistryContract('FakeRegistry', async () => {
  const fake = new FakeRegistry();
  return {
    registry: fake,
    push: async (image, tag, digest) => fake.seed(image, { [tag]: digest }),
    close: async () => undefined,
  };
});
