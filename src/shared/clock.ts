/** The one source of "now"; pure code takes a Date, I/O code takes a Clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The calendar day (YYYY-MM-DD) that `at` falls on in the IANA zone `timeZone`. */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * A clock that starts at `at` and runs at real speed (the demo's story, `shadow --now`, tests);
 * `jump` moves it to another instant.
 */
export function clockStartingAt(at: number): Clock & { jump(to: number): void } {
  let offset = at - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    jump(to) {
      offset = to - Date.now();
    },
  };
}
