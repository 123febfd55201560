import type { Clock } from '../../shared/ports/clock.js';

/** The instant every manual clock starts at unless told otherwise: fixed, so runs repeat. */
export const EPOCH = new Date('2026-03-02T09:00:00.000Z');

/** A Clock that moves only when a test moves it: time in tests is data, never the wall clock. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date = EPOCH) {
    this.ms = start.getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  /** Moves time forward by `ms` (never backwards) and returns the new now. */
  advance(ms: number): Date {
    if (ms < 0) throw new Error(`a clock does not go backwards (advance(${ms}))`);
    this.ms += ms;
    return this.now();
  }
}
