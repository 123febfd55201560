import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../shared/ports/clock.js';
import { systemClock } from '../shared/ports/clock.js';

/** Time for commands that wait: the Clock for `now`, and a sleep tests can drive. */
export interface Pacer extends Clock {
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemPacer: Pacer = {
  now: () => systemClock.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, signal ? { signal } : {}).catch((error: unknown) => {
      if (!signal?.aborted) throw error;
    });
  },
};

/** `30m`, `90s`, `2h`, `500ms` or plain seconds → milliseconds; throws naming the value. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration (e.g. 30m, 90s, 2h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's'] ?? 1000;
  return Math.round(Number(match[1]) * unit);
}
