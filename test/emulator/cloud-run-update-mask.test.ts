import type { protos } from '@google-cloud/run';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulatorClients, type EmulatorClients } from '../contract/emulator-clients.js';

type Service = protos.google.cloud.run.v2.IService;

const PARENT = 'projects/p/locations/us-central1';
const image = (n: number) =>
  `us-central1-docker.pkg.dev/p/apps/model@sha256:${String(n).repeat(64)}`;
const REVISION = 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION';
const short = (name: string | null | undefined) => String(name).split('/').pop();

let c: EmulatorClients;
beforeAll(async () => {
  c = await startEmulatorClients();
});
afterAll(() => c.close());

let n = 0;
/** A fresh service `masks-N` made from `template`. */
async function create(template: protos.google.cloud.run.v2.IRevisionTemplate): Promise<string> {
  const id = `masks-${++n}`;
  const [op] = await c.services.createService({
    parent: PARENT,
    serviceId: id,
    service: { annotations: { team: 'models' }, template },
  });
  await op.promise();
  return `${PARENT}/services/${id}`;
}

async function update(service: Service, paths?: string[]): Promise<Service> {
  const [op] = await c.services.updateService({
    service,
    ...(paths ? { updateMask: { paths } } : {}),
  });
  const [done] = await op.promise();
  return done;
}

const get = (name: string) => c.services.getService({ name }).then(([s]) => s);

describe('UpdateService update_mask: only the named fields change', () => {
  it('a `traffic` mask moves traffic and ignores the template and annotations in the body', async () => {
    const name = await create({ containers: [{ image: image(1) }] });
    const [first] = await c.revisions.listRevisions({ parent: name });
    const before = await get(name);
    await update(
      {
        name,
        template: { containers: [{ image: image(2) }] },
        annotations: { other: 'x' },
        traffic: [{ type: REVISION, revision: short(first[0]?.name), percent: 100 }],
      },
      ['traffic'],
    );
    const after = await get(name);
    expect(after.template?.containers?.[0]?.image).toBe(image(1));
    expect(after.annotations).toEqual({ team: 'models' });
    expect(after.latestCreatedRevision).toBe(before.latestCreatedRevision);
    expect(after.traffic).toEqual([
      expect.objectContaining({ type: REVISION, revision: short(before.latestCreatedRevision) }),
    ]);
  });

  it('a sub-path (camelCase or snake_case) changes that field only; its siblings stay as stored', async () => {
    const name = await create({
      containers: [{ image: image(1) }],
      scaling: { minInstanceCount: 1, maxInstanceCount: 4 },
    });
    await update(
      {
        name,
        template: { containers: [{ image: image(3) }], scaling: { minInstanceCount: 2 } },
      },
      ['template.scaling.minInstanceCount'],
    );
    const after = await get(name);
    expect(after.template?.scaling).toMatchObject({ minInstanceCount: 2, maxInstanceCount: 4 });
    expect(after.template?.containers?.[0]?.image).toBe(image(1));
    // The template changed, so a new revision was made from it.
    expect(short(after.latestCreatedRevision)).toMatch(/-00002-/);
    await update({ name, template: { scaling: { maxInstanceCount: 6 } } }, [
      'template.scaling.max_instance_count',
    ]);
    expect((await get(name)).template?.scaling).toMatchObject({
      minInstanceCount: 2,
      maxInstanceCount: 6,
    });
  });

  it('`*` and no mask replace every mutable field (an omitted traffic becomes 100% LATEST)', async () => {
    const name = await create({ containers: [{ image: image(1) }] });
    await update({ name, template: { containers: [{ image: image(4) }] } }, ['*']);
    const after = await get(name);
    expect(after.annotations ?? {}).toEqual({});
    expect(after.traffic).toEqual([
      expect.objectContaining({ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }),
    ]);
  });

  it.each([
    ['template.nope', "google.cloud.run.v2.RevisionTemplate has no field 'nope'"],
    ['etag', "'etag' is not a field of google.cloud.run.v2.Service that can be updated"],
    ['uid', "'uid' is not a field of google.cloud.run.v2.Service that can be updated"],
    ['template.containers.image', "'containers' is not a message field"],
    ['annotations.team', "'annotations' is not a message field"],
  ])('refuses the path %s with INVALID_ARGUMENT and changes nothing', async (path, words) => {
    const name = await create({ containers: [{ image: image(1) }] });
    const before = await get(name);
    await expect(
      update({ name, template: { containers: [{ image: image(5) }] } }, [path]),
    ).rejects.toMatchObject({ code: 3, details: expect.stringContaining(words) });
    expect((await get(name)).etag).toBe(before.etag);
  });
});

describe('a re-sent revision name', () => {
  it('with a different template is refused with 409 (ALREADY_EXISTS), naming the revision', async () => {
    const named = `masks-${n + 1}-named`;
    const name = await create({ revision: named, containers: [{ image: image(1) }] });
    const read = await get(name);
    // Someone changes the template (a new revision); a maskless write of the service as read
    // before then re-sends the old template with its name.
    await update({ name, template: { containers: [{ image: image(2) }] } }, ['template']);
    await expect(update({ ...read, etag: '' })).rejects.toMatchObject({
      code: 6,
      details: `Revision named '${named}' with different configuration already exists.`,
    });
  });
});

describe('etag enforcement', () => {
  it('refuses a stale etag with ABORTED by default, and lets it land when turned off', async () => {
    const name = await create({ containers: [{ image: image(1) }] });
    const stale = (await get(name)).etag;
    await update({ name, annotations: { a: '1' } }, ['annotations']);
    const write = () => update({ name, etag: stale, annotations: { a: '2' } }, ['annotations']);
    await expect(write()).rejects.toMatchObject({ code: 10 });
    c.emulator.run.setEtagEnforcement(false);
    try {
      await write();
      expect((await get(name)).annotations).toEqual({ a: '2' });
    } finally {
      c.emulator.run.setEtagEnforcement(true);
    }
  });
});
