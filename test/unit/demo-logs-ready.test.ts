import { describe, expect, it } from 'vitest';
import { loggedLines, logsReady } from '../../local/demo/logs-ready.js';
import { StorageStore } from '../../local/emulator/storage-store.js';
import { ManualClock } from '../fakes/manual-clock.js';

function store(): StorageStore {
  const s = new StorageStore(new ManualClock());
  s.createBucket('blue');
  return s;
}

describe('the demo waits for blue’s inference logs before it pushes', () => {
  it('counts logged lines under the prefix only, across objects', () => {
    const s = store();
    s.insert('blue', 'inference/a.jsonl', Buffer.from('{}\n{}\n'), 'application/x-ndjson');
    s.insert('blue', 'inference/b.jsonl', Buffer.from('{}\n'), 'application/x-ndjson');
    s.insert('blue', 'other/c.jsonl', Buffer.from('{}\n{}\n{}\n'), 'application/x-ndjson');
    expect(loggedLines(s, 'blue', 'inference/')).toBe(3);
    expect(loggedLines(s, 'green', 'inference/')).toBe(0);
  });

  it('resolves once enough are logged, and says what is missing when none come', async () => {
    const s = store();
    let waits = 0;
    const wait = async () => {
      waits++;
      if (waits === 3) s.insert('blue', 'inference/a.jsonl', Buffer.from('{}\n{}\n'), 'x');
    };
    await logsReady(s, { bucket: 'blue', prefix: 'inference/', needed: 2 }, wait, 10_000);
    expect(waits).toBe(3);
    await expect(
      logsReady(s, { bucket: 'blue', prefix: 'inference/', needed: 5 }, async () => {}, 1000),
    ).rejects.toThrow(/blue logged fewer than 5 requests to gs:\/\/blue in 1 s/);
  });
});
