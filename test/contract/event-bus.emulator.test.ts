import { describe, expect, it } from 'vitest';
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

describe('PubSubBus ordering keys', () => {
  it('an event naming a service carries it as ordering key; one naming none carries no key', async () => {
    const c = await startEmulatorClients();
    try {
      await c.pubsub.createTopic('ordered');
      const bus = new PubSubBus({ pubsub: c.pubsub });
      const service = 'projects/p/locations/us-central1/services/leakage';
      await bus.publish('ordered', { type: 'release.tick', service });
      await bus.publish('ordered', { type: 'release.tick' });
      const sent = c.emulator.pubsub.published(`projects/${PROJECT}/topics/ordered`);
      expect(sent.map((m) => m.orderingKey ?? null)).toEqual([service, null]);
    } finally {
      await c.close();
    }
  });
});
