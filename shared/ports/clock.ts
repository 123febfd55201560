/** The only source of `now` in cutover; adapters take one too. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
