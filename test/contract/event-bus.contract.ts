import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBus } from '../../shared/ports/event-bus.js';

export interface BusHarness {
  bus: EventBus;
  /** Topics the suite publishes to (short names); created first where the bus needs that. */
  topics: string[];
  /** What reached the topic (short name), oldest first, as a subscriber decodes it. */
  received(topic: string): Promise<Array<{ json: unknown; attributes: Record<string, string> }>>;
  /** The project short topic names resolve in. */
  project: string;
  close(): Promise<void>;
}

export const BUS_TOPICS = ['cutover-deployment-events', 'cutover-rollback-requests'];

export function eventBusContract(label: string, make: () => Promise<BusHarness>): void {
  describe(`EventBus contract: ${label}`, () => {
    let h: BusHarness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(() => h.close());

    it('delivers the JSON with its type as an attribute, plus the given attributes', async () => {
      const event = {
        type: 'release.step-started',
        service: 'projects/p/locations/l/services/s',
        releaseId: 'r1',
        step: 0,
        percent: 10,
        at: '2026-03-01T10:00:00.000Z',
        verdict: null,
      };
      const id = await h.bus.publish('cutover-deployment-events', event, { releaseId: 'r1' });
      expect(id).not.toBe('');
      const got = await h.received('cutover-deployment-events');
      expect(got.at(-1)).toEqual({
        json: event,
        attributes: { type: 'release.step-started', releaseId: 'r1' },
      });
    });

    it('accepts a full topic name, and events without a type', async () => {
      await h.bus.publish(`projects/${h.project}/topics/cutover-rollback-requests`, {
        service: 'x',
        mode: 'traffic',
      });
      const got = await h.received('cutover-rollback-requests');
      expect(got.at(-1)).toEqual({ json: { service: 'x', mode: 'traffic' }, attributes: {} });
    });
  });
}
