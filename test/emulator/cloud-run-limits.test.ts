import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorClients, type EmulatorClients } from '../contract/emulator-clients.js';

const PARENT = 'projects/p/locations/us-central1';
const IMAGE = 'us-central1-docker.pkg.dev/p/apps/model@sha256:' + '1'.repeat(64);

let c: EmulatorClients;
beforeAll(async () => {
  c = await startEmulatorClients();
});
afterAll(() => c.close());

async function create(serviceId: string, revision?: string): Promise<void> {
  const [op] = await c.services.createService({
    parent: PARENT,
    serviceId,
    service: { template: { ...(revision ? { revision } : {}), containers: [{ image: IMAGE }] } },
  });
  await op.promise();
}

async function tagFirstRevision(serviceId: string, tag: string): Promise<void> {
  const name = `${PARENT}/services/${serviceId}`;
  const [service] = await c.services.getService({ name });
  const revision = service.latestReadyRevision!.split('/').pop()!;
  const [op] = await c.services.updateService({
    service: {
      ...service,
      traffic: [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision, percent: 100, tag }],
    },
  });
  await op.promise();
}

function failure(promise: Promise<unknown>): Promise<{ code?: number; details?: string }> {
  return promise.then(
    () => ({}),
    (error: { code?: number; details?: string }) => error,
  );
}

describe('Cloud Run name limits, with the API’s own error text', () => {
  it('refuses a tag that with the service name exceeds 46 characters', async () => {
    const id = `s${'x'.repeat(41)}`; // 42 + "green" = 47
    await create(id);
    const error = await failure(tagFirstRevision(id, 'green'));
    expect(error.code).toBe(3);
    expect(error.details).toBe(
      `spec.traffic.tag: traffic tag 'green' and service name '${id}' together are too long. Combined traffic tag and service name cannot exceed 46 characters.`,
    );
    await tagFirstRevision(id, 'blue'); // 42 + 4 = 46 fits
  });

  it('refuses a tag shorter than 3 characters', async () => {
    await create('short-tag');
    const error = await failure(tagFirstRevision('short-tag', 'v1'));
    expect(error.code).toBe(3);
    expect(error.details).toMatch(/traffic tag 'v1' is too short: .* at least 3 characters/);
  });

  it('refuses a revision name of 64 characters and takes one of 63', async () => {
    const id = 'long-revision';
    const of = (n: number) => `${id}-${'r'.repeat(n - id.length - 1)}`;
    const error = await failure(create(id, of(64)));
    expect(error.code).toBe(3);
    expect(error.details).toBe(
      'service.template.revision: only lowercase, digits, and hyphens; must begin with letter, and may not end with hyphen; must be less than 64 characters.',
    );
    await create(id, of(63));
  });

  it('refuses a service id of 50 characters and takes one of 49', async () => {
    const error = await failure(create(`s${'x'.repeat(49)}`));
    expect(error.code).toBe(3);
    await create(`s${'x'.repeat(48)}`);
  });
});
