import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Storage, type GetFilesResponse } from '@google-cloud/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../local/emulator/index.js';

/**
 * The real @google-cloud/storage client against the emulator's Cloud Storage JSON API: found
 * through STORAGE_EMULATOR_HOST (as the client reads it) or `apiEndpoint`; multipart upload,
 * list with prefix, offsets and paging, download, preconditions and the API's errors.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(stateFile?: string): Promise<Emulator> {
  const emulator = await startEmulator(stateFile ? { stateFile } : {});
  cleanups.push(() => emulator.close());
  emulator.storage.createBucket('logs-blue');
  return emulator;
}

/** A client found through STORAGE_EMULATOR_HOST, the way the model finds it. */
function clientByEnv(emulator: Emulator): Storage {
  const before = process.env.STORAGE_EMULATOR_HOST;
  process.env.STORAGE_EMULATOR_HOST = emulator.storageHost;
  cleanups.push(() => {
    if (before === undefined) delete process.env.STORAGE_EMULATOR_HOST;
    else process.env.STORAGE_EMULATOR_HOST = before;
  });
  return new Storage({ projectId: 'demo', retryOptions: { autoRetry: false } });
}

const save = (storage: Storage, name: string, text: string) =>
  storage
    .bucket('logs-blue')
    .file(name)
    .save(text, {
      resumable: false,
      contentType: 'application/x-ndjson',
      preconditionOpts: { ifGenerationMatch: 0 },
    });

describe('Cloud Storage emulator with @google-cloud/storage', () => {
  it('uploads (multipart), reads the metadata and downloads the same bytes (hashes validated)', async () => {
    const emulator = await started();
    const storage = clientByEnv(emulator);
    await save(storage, 'inference/2026-12-01T10:00:00.000Z-1.jsonl', '{"a":1}\n{"a":2}\n');
    const file = storage.bucket('logs-blue').file('inference/2026-12-01T10:00:00.000Z-1.jsonl');
    const [metadata] = await file.getMetadata();
    expect(metadata).toMatchObject({
      kind: 'storage#object',
      bucket: 'logs-blue',
      name: 'inference/2026-12-01T10:00:00.000Z-1.jsonl',
      contentType: 'application/x-ndjson',
      size: '16',
    });
    const [bytes] = await file.download();
    expect(bytes.toString('utf8')).toBe('{"a":1}\n{"a":2}\n');
  });

  it('lists by name ascending, filtered by prefix and startOffset, page by page', async () => {
    const emulator = await started();
    const storage = clientByEnv(emulator);
    for (const name of ['inference/c', 'inference/a', 'other/x', 'inference/b', 'inference/d'])
      await save(storage, name, name);
    const bucket = storage.bucket('logs-blue');

    const [all] = await bucket.getFiles({ prefix: 'inference/' });
    expect(all.map((f) => f.name)).toEqual([
      'inference/a',
      'inference/b',
      'inference/c',
      'inference/d',
    ]);

    const [first, next] = await bucket.getFiles({
      prefix: 'inference/',
      maxResults: 3,
      autoPaginate: false,
    });
    expect(first.map((f) => f.name)).toEqual(['inference/a', 'inference/b', 'inference/c']);
    expect(next?.pageToken).toEqual(expect.any(String));
    const [second, last] = await bucket.getFiles({ ...next, autoPaginate: false });
    expect(second.map((f) => f.name)).toEqual(['inference/d']);
    expect(last).toBeNull();

    // One per page, following nextPageToken until it is absent.
    const names: string[] = [];
    let query: Record<string, unknown> | null = { prefix: 'inference/', maxResults: 1 };
    while (query) {
      const response: GetFilesResponse = await bucket.getFiles({ ...query, autoPaginate: false });
      const [files, nextQuery] = response;
      names.push(...files.map((f) => f.name));
      query = (nextQuery as Record<string, unknown> | null) ?? null;
    }
    expect(names).toEqual(['inference/a', 'inference/b', 'inference/c', 'inference/d']);

    const [recent] = await bucket.getFiles({ prefix: 'inference/', startOffset: 'inference/c' });
    expect(recent.map((f) => f.name)).toEqual(['inference/c', 'inference/d']);
  });

  it('refuses an existing name under ifGenerationMatch 0 (412), a missing bucket and object (404)', async () => {
    const emulator = await started();
    const storage = clientByEnv(emulator);
    await save(storage, 'once', 'one');
    await expect(save(storage, 'once', 'two')).rejects.toMatchObject({ code: 412 });
    await expect(
      storage.bucket('no-such-bucket').file('x').save('x', { resumable: false }),
    ).rejects.toMatchObject({ code: 404 });
    await expect(storage.bucket('logs-blue').file('missing').download()).rejects.toMatchObject({
      code: 404,
    });
    const [bytes] = await storage.bucket('logs-blue').file('once').download();
    expect(bytes.toString()).toBe('one');
  });

  it('serves apiEndpoint clients on /storage/v1 too, and fails injected calls with the status asked for', async () => {
    const emulator = await started();
    const storage = new Storage({
      projectId: 'demo',
      apiEndpoint: emulator.storageHost,
      retryOptions: { autoRetry: false },
    });
    emulator.storageHttp.failNext('objects.insert', 1, 503);
    await expect(save(storage, 'a', 'a')).rejects.toMatchObject({ code: 503 });
    await save(storage, 'a', 'a');
    const [files] = await storage.bucket('logs-blue').getFiles();
    expect(files.map((f) => f.name)).toEqual(['a']);
  });

  it('keeps buckets and objects in the state file across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cutover-storage-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'emulator.json');
    const first = await started(stateFile);
    await save(clientByEnv(first), 'kept.jsonl', '{"kept":true}\n');
    await first.close();

    const second = await startEmulator({ stateFile });
    cleanups.push(() => second.close());
    const [bytes] = await clientByEnv(second).bucket('logs-blue').file('kept.jsonl').download();
    expect(bytes.toString()).toBe('{"kept":true}\n');
  });
});
