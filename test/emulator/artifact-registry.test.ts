import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { ArtifactRegistryClient } from '@google-cloud/artifact-registry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../local/emulator/index.js';
import type { Emulator } from '../../local/emulator/index.js';

interface Published {
  topic: string;
  data: Buffer;
}

const fixture = (name: string): Record<string, string> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    string
  >;

const HOST = 'us-central1-docker.pkg.dev';
const REPO = 'projects/demo/locations/us-central1/repositories/apps';
const IMAGE_REF = `${HOST}/demo/apps/leakage-model`;
const PACKAGE = `${REPO}/packages/leakage-model`;

let emulator: Emulator;
let client: ArtifactRegistryClient;
const published: Published[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    publish: (topic, data) => {
      published.push({ topic, data });
      return Promise.resolve(String(published.length));
    },
  });
  const { googleAuthLibrary } = await import('google-gax');
  client = new ArtifactRegistryClient({
    apiEndpoint: '127.0.0.1',
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    authClient: new googleAuthLibrary.PassThroughClient(),
  });
});

afterAll(async () => {
  await client.close();
  await emulator.close();
});

beforeEach(() => {
  published.length = 0;
});

/** The documented notification with the fixture's values replaced by ours, serialised compactly. */
function documented(file: string, values: { digest?: string; tag?: string }): string {
  const example = fixture(file);
  const out: Record<string, string> = {};
  for (const key of Object.keys(example)) {
    if (key === 'action') out.action = example.action!;
    else if (key === 'digest') out.digest = values.digest!;
    else if (key === 'tag') out.tag = values.tag!;
  }
  return JSON.stringify(out);
}

describe('Artifact Registry v1 emulator through @google-cloud/artifact-registry', () => {
  it('publishes the documented gcr notification bytes for a tagged push and a digest-only push', async () => {
    const { digest } = await emulator.registry.push(IMAGE_REF, '2.0.0', {
      recipe: { command: 'node' },
    });
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(published).toHaveLength(1);
    expect(published[0]!.topic).toBe('projects/demo/topics/gcr');
    expect(published[0]!.data.toString('utf8')).toBe(
      documented('artifact-registry-insert-tag.json', {
        digest: `${IMAGE_REF}@${digest}`,
        tag: `${IMAGE_REF}:2.0.0`,
      }),
    );
    const untagged = await emulator.registry.push(IMAGE_REF, null);
    expect(JSON.parse(published[1]!.data.toString('utf8'))).toEqual({
      action: 'INSERT',
      digest: `${IMAGE_REF}@${untagged.digest}`,
    });
    expect(emulator.registry.recipe(digest)).toEqual({ command: 'node' });
  });

  it('lists tags with the rollback-* wildcard filter and the version filter', async () => {
    const old = await emulator.registry.push(IMAGE_REF, 'rollback-20260101T000000Z');
    await emulator.registry.push(IMAGE_REF, 'rollback-20260201T000000Z', { digest: old.digest });
    const current = await emulator.registry.push(IMAGE_REF, '3.0.0');
    const [rollbacks] = await client.listTags({
      parent: PACKAGE,
      filter: `name="${PACKAGE}/tags/rollback-*"`,
    });
    expect(rollbacks.map((tag) => tag.name)).toEqual([
      `${PACKAGE}/tags/rollback-20260101T000000Z`,
      `${PACKAGE}/tags/rollback-20260201T000000Z`,
    ]);
    expect(rollbacks.every((tag) => tag.version === `${PACKAGE}/versions/${old.digest}`)).toBe(
      true,
    );
    const [ofCurrent] = await client.listTags({
      parent: PACKAGE,
      filter: `version="${PACKAGE}/versions/${current.digest}"`,
    });
    expect(ofCurrent.map((tag) => tag.name)).toEqual([`${PACKAGE}/tags/3.0.0`]);
    await expect(client.listTags({ parent: PACKAGE, filter: 'tag=3.0.0' })).rejects.toSatisfy(
      (error) => (error as { code?: number }).code === grpc.status.INVALID_ARGUMENT,
    );
  });

  it('pages ListTags with pageSize and the next page token', async () => {
    const parent = `${REPO}/packages/paged`;
    for (const tag of ['a', 'b', 'c']) await emulator.registry.push(`${HOST}/demo/apps/paged`, tag);
    const [first, , response] = await client.listTags(
      { parent, pageSize: 2 },
      { autoPaginate: false },
    );
    expect(first.map((tag) => tag.name)).toEqual([`${parent}/tags/a`, `${parent}/tags/b`]);
    expect(response?.nextPageToken).toBeTruthy();
    const [second] = await client.listTags(
      { parent, pageSize: 2, pageToken: response!.nextPageToken! },
      { autoPaginate: false },
    );
    expect(second.map((tag) => tag.name)).toEqual([`${parent}/tags/c`]);
  });

  it('creates a tag on an existing version, notifies INSERT, and refuses an existing tag', async () => {
    const { digest } = await emulator.registry.push(IMAGE_REF, '4.0.0');
    published.length = 0;
    const [tag] = await client.createTag({
      parent: PACKAGE,
      tagId: 'rollback-20260301T000000Z',
      tag: { version: `${PACKAGE}/versions/${digest}` },
    });
    expect(tag.name).toBe(`${PACKAGE}/tags/rollback-20260301T000000Z`);
    expect(tag.version).toBe(`${PACKAGE}/versions/${digest}`);
    expect(published.map((m) => m.data.toString('utf8'))).toEqual([
      documented('artifact-registry-insert-tag.json', {
        digest: `${IMAGE_REF}@${digest}`,
        tag: `${IMAGE_REF}:rollback-20260301T000000Z`,
      }),
    ]);
    const [read] = await client.getTag({ name: tag.name! });
    expect(read.version).toBe(tag.version);
    await expect(
      client.createTag({
        parent: PACKAGE,
        tagId: '4.0.0',
        tag: { version: `${PACKAGE}/versions/${digest}` },
      }),
    ).rejects.toSatisfy(
      (error) => (error as { code?: number }).code === grpc.status.ALREADY_EXISTS,
    );
  });

  it('deletes a tag and publishes the documented DELETE notification', async () => {
    await emulator.registry.push(IMAGE_REF, 'doomed');
    published.length = 0;
    await client.deleteTag({ name: `${PACKAGE}/tags/doomed` });
    expect(published.map((m) => m.data.toString('utf8'))).toEqual([
      documented('artifact-registry-delete.json', { tag: `${IMAGE_REF}:doomed` }),
    ]);
    await expect(client.getTag({ name: `${PACKAGE}/tags/doomed` })).rejects.toSatisfy(
      (error) => (error as { code?: number }).code === grpc.status.NOT_FOUND,
    );
  });

  it('escapes nested image paths as %2F in docker image, package and tag names', async () => {
    const ref = `${HOST}/demo/apps/team/model`;
    const { digest } = await emulator.registry.push(ref, '1.0.0');
    const [image] = await client.getDockerImage({
      name: `${REPO}/dockerImages/team%2Fmodel@${digest}`,
    });
    expect(image.uri).toBe(`${ref}@${digest}`);
    expect(image.tags).toEqual(['1.0.0']);
    const [tags] = await client.listTags({ parent: `${REPO}/packages/team%2Fmodel` });
    expect(tags.map((tag) => tag.name)).toEqual([`${REPO}/packages/team%2Fmodel/tags/1.0.0`]);
    const [images] = await client.listDockerImages({ parent: REPO });
    expect(images.map((i) => i.name)).toContain(`${REPO}/dockerImages/team%2Fmodel@${digest}`);
  });
});
