import { describe, expect, it } from 'vitest';
import { Recorder, type RevisionBatch } from '../../local/platform/recorder.js';
import { WeightedPicker } from '../../local/platform/weighted-picker.js';

const SERVICE = 'projects/p/locations/us-central1/services/model';

function manualClock(start = Date.parse('2026-03-01T10:00:00Z')) {
  let now = start;
  return { now: () => new Date(now), advance: (ms: number) => void (now += ms) };
}

describe('recorder', () => {
  it('flushes per-revision batches covering [previous flush, now], and nothing for idle revisions', async () => {
    const clock = manualClock();
    const written: RevisionBatch[][] = [];
    const recorder = new Recorder({ clock, sink: (b) => void written.push(b) });
    recorder.request(SERVICE, 'model-00001-abc', { status: 200, latencyMs: 4 });
    recorder.request(SERVICE, 'model-00002-def', { status: 503, latencyMs: 9 });
    recorder.prediction(SERVICE, 'model-00001-abc', 0.6);
    clock.advance(1000);
    await recorder.flush();
    recorder.request(SERVICE, 'model-00002-def', { status: 200, latencyMs: 2 });
    clock.advance(1000);
    await recorder.flush();
    clock.advance(1000);
    await recorder.flush();

    expect(written).toHaveLength(2);
    expect(written[0]).toEqual([
      {
        service: SERVICE,
        revision: 'model-00001-abc',
        start: new Date('2026-03-01T10:00:00Z'),
        end: new Date('2026-03-01T10:00:01Z'),
        requests: [{ status: 200, latencyMs: 4 }],
        predictions: [0.6],
      },
      {
        service: SERVICE,
        revision: 'model-00002-def',
        start: new Date('2026-03-01T10:00:00Z'),
        end: new Date('2026-03-01T10:00:01Z'),
        requests: [{ status: 503, latencyMs: 9 }],
        predictions: [],
      },
    ]);
    expect(written[1]).toEqual([
      expect.objectContaining({
        revision: 'model-00002-def',
        start: new Date('2026-03-01T10:00:01Z'),
        end: new Date('2026-03-01T10:00:02Z'),
        requests: [{ status: 200, latencyMs: 2 }],
      }),
    ]);
  });

  it('keeps the data of a failed write and sends it with the next flush over the whole window', async () => {
    const clock = manualClock();
    const written: RevisionBatch[][] = [];
    const errors: unknown[] = [];
    let fail = true;
    const recorder = new Recorder({
      clock,
      sink: (b) => {
        if (fail) throw new Error('monitoring unavailable');
        written.push(b);
      },
      onError: (e) => errors.push(e),
    });
    recorder.request(SERVICE, 'r1', { status: 200, latencyMs: 1 });
    clock.advance(1000);
    await recorder.flush();
    fail = false;
    recorder.request(SERVICE, 'r1', { status: 200, latencyMs: 2 });
    clock.advance(1000);
    await recorder.flush();
    expect(errors).toHaveLength(1);
    expect(written).toEqual([
      [
        expect.objectContaining({
          start: new Date('2026-03-01T10:00:00Z'),
          end: new Date('2026-03-01T10:00:02Z'),
          requests: [
            { status: 200, latencyMs: 1 },
            { status: 200, latencyMs: 2 },
          ],
        }),
      ],
    ]);
  });

  it('gives a DELTA point a positive width even when the clock has not moved', async () => {
    const clock = manualClock();
    const written: RevisionBatch[][] = [];
    const recorder = new Recorder({ clock, sink: (b) => void written.push(b) });
    recorder.request(SERVICE, 'r1', { status: 200, latencyMs: 1 });
    await recorder.stop();
    const batch = written[0]?.[0];
    expect(batch && batch.end.getTime() - batch.start.getTime()).toBe(1);
  });
});

describe('weighted picker', () => {
  it.each([
    [[90, 10], 100, [90, 10]],
    [[50, 50], 10, [5, 5]],
    [[25, 75], 8, [2, 6]],
    [[100, 0], 7, [7, 0]],
  ])('split %j over %i picks gives %j', (percents, picks, expected) => {
    const picker = new WeightedPicker(
      percents.map((percent, i) => ({ revision: `r${i}`, percent })),
    );
    const counts = percents.map(() => 0);
    for (let i = 0; i < picks; i++) {
      const r = picker.next();
      counts[Number(r?.slice(1))]! += 1;
    }
    expect(counts).toEqual(expected);
  });

  it('interleaves a 10% revision evenly instead of bunching it', () => {
    const picker = new WeightedPicker([
      { revision: 'blue', percent: 90 },
      { revision: 'green', percent: 10 },
    ]);
    const greens = Array.from({ length: 30 }, (_, i) => [i, picker.next()] as const).filter(
      ([, r]) => r === 'green',
    );
    expect(greens.map(([i]) => Math.floor(i / 10))).toEqual([0, 1, 2]);
  });

  it('picks nothing when nothing has a share', () => {
    expect(new WeightedPicker([{ revision: 'a', percent: 0 }]).next()).toBeNull();
    expect(new WeightedPicker([]).next()).toBeNull();
  });
});
