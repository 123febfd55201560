import { afterEach, describe, expect, it } from 'vitest';
import type { Transition } from '../../shared/domain/release-input.js';
import type { ServiceRecord } from '../../shared/schemas/release.js';
import { applyDecision } from '../../shared/usecases/apply.js';
import { Harness, SERVICE } from './harness.js';

let h: Harness;
afterEach(() => h.stop());

/** A promise and the function that settles it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** A decision that marks the record; its first call waits until both writers have read. */
function marking(mark: string, bothRead: { arrive: () => Promise<void> }) {
  let first = true;
  return async (record: ServiceRecord): Promise<Transition> => {
    if (first) {
      first = false;
      await bothRead.arrive();
    }
    return {
      record: { ...record, failedImages: [...record.failedImages, mark] },
      commands: [],
      ignored: null,
      summary: `marked ${mark}`,
    };
  };
}

describe('two writers decide on the same read of the service', () => {
  it.each([
    ['enforced', true],
    ['not enforced', false],
  ])('with etag %s, both decisions end in the record', async (_, enforce) => {
    h = await Harness.start();
    h.emulator.run.setEtagEnforcement(enforce);
    // Both writes land before either writer reads the service again (without enforcement the
    // second silently overwrites the first: only the re-read can tell).
    const landed = gate();
    let writes = 0;
    const stop = h.emulator.run.onChange(() => {
      if (++writes === 2) landed.open();
    });
    const both = gate();
    let arrived = 0;
    const bothRead = {
      arrive: () => {
        if (++arrived === 2) {
          if (!enforce)
            h.emulator.faults.inject('google.cloud.run.v2.Services/GetService', {
              times: 2,
              hold: landed.promise,
            });
          both.open();
        }
        return both.promise;
      },
    };
    const [a, b] = await Promise.all([
      applyDecision(h.deps, SERVICE, marking('a', bothRead)),
      applyDecision(h.deps, SERVICE, marking('b', bothRead)),
    ]);
    stop();
    expect([a.kind, b.kind]).toEqual(['applied', 'applied']);
    const record = (await h.view()).record!;
    expect([...record.failedImages].sort()).toEqual(['a', 'b']);
    expect(h.logs.entries.map((e) => e.message)).toContain(
      'service changed while deciding; deciding again',
    );
  });
});
