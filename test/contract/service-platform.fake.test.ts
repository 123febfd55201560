import { FakePlatform } from '../fakes/fake-platform.js';
import { servicePlatformContract } from './service-platform.contract.js';

servicePlatformContract('FakePlatform', async () => {
  const fake = new FakePlatform();
  return {
    platform: fake,
    seed: async (seed) => void fake.seed(seed),
    setStarter: (starter) => fake.setStarter(starter),
    touch: async (service) => fake.touch(service),
    template: async (service, revision) => {
      const t = fake.template(service, revision);
      if (!t) throw new Error(`no revision ${revision}`);
      return t;
    },
    annotations: async (service) => fake.annotations(service),
    close: async () => undefined,
  };
});
