import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorClients, type EmulatorClients } from '../contract/emulator-clients.js';

const PARENT = 'projects/p/locations/us-central1';
const NAME = `${PARENT}/services/deletes`;
const image = (n: number) =>
  `us-central1-docker.pkg.dev/p/apps/model@sha256:${String(n).repeat(64)}`;
const REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';

let c: EmulatorClients;
beforeAll(async () => {
  c = await startEmulatorClients();
});
afterAll(() => c.close());

async function write(revision: string, n: number, traffic: object[]): Promise<void> {
  const [service] = await c.services.getService({ name: NAME });
  const [op] = await c.services.updateService({
    service: { ...service, template: { revision, containers: [{ image: image(n) }] }, traffic },
  });
  await op.promise();
}

describe('DeleteRevision: only retired revisions', () => {
  it('refuses a revision traffic names (by percent or tag) and deletes it once retired', async () => {
    const [op] = await c.services.createService({
      parent: PARENT,
      serviceId: 'deletes',
      service: { template: { revision: 'deletes-one', containers: [{ image: image(1) }] } },
    });
    await op.promise();
    await write('deletes-two', 2, [
      { type: REVISION, revision: 'deletes-two', percent: 100, tag: 'green' },
      { type: REVISION, revision: 'deletes-one', percent: 0, tag: 'blue' },
    ]);
    const del = (id: string) =>
      c.revisions.deleteRevision({ name: `${NAME}/revisions/${id}` }).then(([o]) => o.promise());
    await expect(del('deletes-one')).rejects.toMatchObject({ code: 9 });
    await expect(del('deletes-two')).rejects.toMatchObject({ code: 9 });

    await write('deletes-two', 2, [{ type: REVISION, revision: 'deletes-two', percent: 100 }]);
    await del('deletes-one');
    await expect(
      c.revisions.getRevision({ name: `${NAME}/revisions/deletes-one` }),
    ).rejects.toMatchObject({
      code: 5,
    });
  });
});
