/** The one source of "now"; pure code takes a Date, I/O code takes a Clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
