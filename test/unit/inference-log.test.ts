import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Storage } from '@google-cloud/storage';
import { afterEach, describe, expect, it } from 'vitest';
import { gcsSink } from '../../examples/leakage-model/gcs-sink.js';
import {
  InferenceLog,
  type BatchSink,
  type InferenceRecord,
} from '../../examples/leakage-model/inference-log.js';
import { readKnobs } from '../../examples/leakage-model/knobs.js';
import { SHADOW_HEADER, createModelServer } from '../../examples/leakage-model/server.js';
import { startEmulator } from '../../local/emulator/index.js';

const FEATURES = { pressure_bar: 3.2, flow_lpm: 41.5, pipe_age_years: 27, material: 'cast_iron' };
const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const entry = (i: number): InferenceRecord => ({
  time: `2026-12-01T10:00:0${i}.000Z`,
  method: 'POST',
  route: '/predict',
  features: { i },
  response: { status: 200, body: { leakage_probability: i / 10 } },
  model_version: '1.0.0',
  latency_ms: 1,
});

/** A sink that stores in memory and fails the writes it is told to. */
function memorySink(failures: number[] = []): BatchSink & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  let call = 0;
  return {
    objects,
    write(name, text) {
      call += 1;
      if (failures.includes(call)) return Promise.reject(new Error(`write ${call} refused`));
      objects.set(name, text);
      return Promise.resolve();
    },
  };
}

describe('inference log', () => {
  it('writes one JSON Lines object per batch, named by its first record so names sort by time', async () => {
    const sink = memorySink();
    const log = new InferenceLog({ sink, instance: 'r1-7', maxBatchRecords: 2 });
    for (const i of [1, 2, 3]) log.record(entry(i));
    await log.flush();
    expect([...sink.objects.keys()]).toEqual([
      'inference/2026-12-01T10:00:01.000Z-r1-7-000000.jsonl',
      'inference/2026-12-01T10:00:03.000Z-r1-7-000001.jsonl',
    ]);
    const lines = sink.objects.get('inference/2026-12-01T10:00:01.000Z-r1-7-000000.jsonl')!;
    expect(
      lines
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([entry(1), entry(2)]);
    expect(log.stats()).toEqual({
      writtenBatches: 2,
      writtenRecords: 3,
      failedWrites: 0,
      pendingBatches: 0,
      droppedRecords: 0,
    });
  });

  it('keeps a failed batch under its name, retries it on the next flush and counts the failure', async () => {
    const sink = memorySink([1, 2]);
    const problems: Array<Record<string, unknown>> = [];
    const log = new InferenceLog({
      sink,
      instance: 'i',
      onProblem: (_m, fields) => problems.push(fields),
    });
    log.record(entry(1));
    await log.flush();
    await log.flush();
    expect(sink.objects.size).toBe(0);
    expect(log.stats()).toMatchObject({ failedWrites: 2, pendingBatches: 1, writtenBatches: 0 });
    expect(problems.map((p) => p.failed_writes)).toEqual([1, 2]);
    log.record(entry(2));
    await log.flush();
    expect([...sink.objects.keys()]).toEqual([
      'inference/2026-12-01T10:00:01.000Z-i-000000.jsonl',
      'inference/2026-12-01T10:00:02.000Z-i-000001.jsonl',
    ]);
    expect(log.stats()).toMatchObject({ failedWrites: 2, pendingBatches: 0, writtenRecords: 2 });
  });

  it('drops (and counts) the oldest batches when too many records wait unwritten', async () => {
    const sink = memorySink([1, 2, 3, 4]);
    const log = new InferenceLog({ sink, instance: 'i', maxBatchRecords: 2, maxPendingRecords: 4 });
    for (const i of [1, 2, 3, 4, 5, 6]) log.record(entry(i));
    await log.flush();
    expect(log.stats()).toMatchObject({ droppedRecords: 2, pendingBatches: 2 });
  });

  it('never slows or fails a prediction: a store that hangs or refuses leaves answers as they were', async () => {
    const hanging: BatchSink = { write: () => new Promise(() => undefined) };
    const log = new InferenceLog({ sink: hanging, instance: 'i' });
    const server = createModelServer(readKnobs({}), { writeLine: () => {}, inferenceLog: log });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => (server as Server).close(r)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    void log.flush(); // a flush that never finishes
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${base}/predict`, { method: 'POST', headers, body: JSON.stringify(FEATURES) });
    expect((await post()).status).toBe(200);
    expect((await post({ [SHADOW_HEADER]: 'release-1' })).status).toBe(200);
    const stats = (await (await fetch(`${base}/inference-log/stats`)).json()) as Record<
      string,
      unknown
    >;
    // The replayed request is answered but not logged again.
    expect(stats).toMatchObject({ pendingBatches: 1, writtenRecords: 0 });
  });

  it('writes batches to its bucket in the emulator through STORAGE_EMULATOR_HOST', async () => {
    const emulator = await startEmulator();
    cleanups.push(() => emulator.close());
    emulator.storage.createBucket('inference-blue');
    const before = process.env.STORAGE_EMULATOR_HOST;
    process.env.STORAGE_EMULATOR_HOST = emulator.storageHost;
    cleanups.push(() => {
      if (before === undefined) delete process.env.STORAGE_EMULATOR_HOST;
      else process.env.STORAGE_EMULATOR_HOST = before;
    });
    const sink = gcsSink('inference-blue');
    const log = new InferenceLog({ sink, instance: 'i' });
    log.record(entry(1));
    emulator.storageHttp.failNext('objects.insert', 1, 503);
    await log.flush();
    expect(log.stats()).toMatchObject({ failedWrites: 1, pendingBatches: 1 });
    await log.flush();
    expect(log.stats()).toMatchObject({ failedWrites: 1, pendingBatches: 0, writtenRecords: 1 });
    // A retry of a batch that is already stored (its answer lost) is not a failure.
    await sink.write('inference/2026-12-01T10:00:01.000Z-i-000000.jsonl', 'again');
    const [files] = await new Storage().bucket('inference-blue').getFiles({ prefix: 'inference/' });
    expect(files.map((f) => f.name)).toEqual(['inference/2026-12-01T10:00:01.000Z-i-000000.jsonl']);
    const [bytes] = await files[0]!.download();
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(entry(1));
  });
});
