import type { Weekday } from './instruction.model.ts';

/**
 * Wall-clock facts of an instant in an IANA time zone, through Intl (which carries the tz
 * database, so daylight-saving changes are right without a library). Pure.
 */

export interface LocalTime {
  /** Days since 1970-01-01 of the local calendar date: compares and subtracts like a number. */
  dayNumber: number;
  weekday: Weekday;
  /** Minutes since local midnight. */
  minutes: number;
}

const WEEKDAY_BY_UTC_DAY: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone; constructing them is the slow part. Throws RangeError on an unknown zone. */
function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formats.set(timeZone, f);
  }
  return f;
}

/** The local date, weekday and time of `at` in `timeZone`. Throws RangeError on an unknown zone. */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatFor(timeZone).formatToParts(at)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const dayNumber = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1) / 86_400_000;
  return {
    dayNumber,
    weekday: weekdayOfDayNumber(dayNumber),
    minutes: ((parts.hour ?? 0) % 24) * 60 + (parts.minute ?? 0),
  };
}

/** The weekday of a local calendar day number. */
export function weekdayOfDayNumber(dayNumber: number): Weekday {
  return WEEKDAY_BY_UTC_DAY[new Date(dayNumber * 86_400_000).getUTCDay()] ?? 'mon';
}
