import { PubSubBus } from '../../shared/adapters/gcp/pubsub-bus.js';
import { PROJECT, startEmulatorClients } from './emulator-clients.js';
import { BUS_TOPICS, eventBusContract } from './event-bus.contract.js';

eventBusContract('PubSubBus on the emulator', async () => {
  const c = await startEmulatorClients();
  for (const topic of BUS_TOPICS) await c.pubsub.createTopic(topic);
  return {
    bus: new PubSubBus({ pubsub: c.pubsub }),
    topics: BUS_TOPICS,
    project: PROJECT,
    received: async (topic) =>
      c.emulator.pubsub.published(`projects/${PROJECT}/topics/${topic}`).map((m) => ({
        json: JSON.parse(m.data.toString('utf8')) as unknown,
        attributes: m.attributes,
      })),
    close: () => c.close(),
  };
});
