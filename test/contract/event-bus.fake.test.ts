import { FakeBus } from '../fakes/fake-bus.js';
import { BUS_TOPICS, eventBusContract } from './event-bus.contract.js';

eventBusContract('FakeBus', async () => {
  const fake = new FakeBus();
  return {
    bus: fake,
    topics: BUS_TOPICS,
    project: 'p',
    received: async (topic) =>
      fake.messages(topic).map(({ json, attributes }) => ({ json, attributes })),
    close: async () => undefined,
  };
});
