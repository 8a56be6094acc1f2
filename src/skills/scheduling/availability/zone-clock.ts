import { DateTime, IANAZone } from 'luxon';
import { WEEKDAYS, type Weekday } from '../../instructions/instruction.model.ts';

/**
 * Wall-clock arithmetic in an IANA zone through luxon (which reads the tz database via Intl), so
 * daylight-saving changes are right: 09:00 on the day Berlin springs forward is still 09:00 local.
 * Days are walked as calendar dates, never as 24-hour steps, because DST days are 23 or 25 hours
 * long. Pure.
 */

/** A calendar date, month 1–12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A wall-clock reading, month 1–12, as a calendar or an ICS file states it. */
export interface WallTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
}

/** Throws RangeError on an unknown zone or an impossible date: a wrong zone must not pass silently. */
function valid(dt: DateTime): DateTime {
  if (!dt.isValid)
    throw new RangeError(`${dt.invalidReason ?? 'invalid'}: ${dt.invalidExplanation ?? ''}`.trim());
  return dt;
}

/** True when `name` is an IANA zone the runtime knows ("Europe/Berlin", "UTC"). */
export function isZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The zone's UTC offset at an instant, in ms. */
function offsetAt(ms: number, zone: string): number {
  return valid(DateTime.fromMillis(ms, { zone })).offset * MINUTE_MS;
}

/** The wall-clock reading as if it were UTC: orders and subtracts like an instant. */
function wallAsMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/**
 * The instant the wall clock in `zone` shows `wall`, as RFC 5545 §3.3.5 reads a local time: an
 * ambiguous time (the repeated hour when DST ends) is its first occurrence; a time skipped when
 * DST starts is read with the offset before the change, landing as far after it (02:30 on a
 * spring-forward night is 03:30). Luxon alone would pick the second occurrence.
 */
export function instantOf(wall: WallTime, zone: string): Date {
  const w = wallAsMs(wall);
  const before = offsetAt(w - DAY_MS, zone);
  const after = offsetAt(w + DAY_MS, zone);
  const fits = [before, after].filter((off) => offsetAt(w - off, zone) === off).map((off) => w - off);
  return new Date(fits.length > 0 ? Math.min(...fits) : w - before);
}

/**
 * The first instant at which the wall clock in `zone` reads `minutes` past midnight of `date`, or
 * later (1440 is the next midnight). Unlike `instantOf`, a skipped time gives the moment of the
 * change: working hours "until 02:30" end at 02:00 on a night that jumps from 02:00 to 03:00.
 */
export function instantAt(date: LocalDate, minutes: number, zone: string): Date {
  const day = addDays(date, Math.floor(minutes / 1440));
  const m = minutes - Math.floor(minutes / 1440) * 1440;
  const wall = { ...day, hour: Math.floor(m / 60), minute: m % 60, second: 0 };
  const w = wallAsMs(wall);
  const at = instantOf(wall, zone).getTime();
  if (at + offsetAt(at, zone) === w) return new Date(at);
  // In a gap: the change lies between the reading with the later offset and the one with the
  // earlier; offsets change on whole minutes, so a search by minutes finds it exactly.
  let lo = w - offsetAt(w + DAY_MS, zone);
  let hi = at;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (mid + offsetAt(mid, zone) >= w) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The wall-clock reading of `at` in `zone`. */
export function wallOf(at: Date, zone: string): WallTime {
  const dt = valid(DateTime.fromJSDate(at, { zone }));
  return { year: dt.year, month: dt.month, day: dt.day, hour: dt.hour, minute: dt.minute, second: dt.second };
}

/** Minutes since local midnight of `at` in `zone`. */
export function minutesOfDay(at: Date, zone: string): number {
  const w = wallOf(at, zone);
  return w.hour * 60 + w.minute;
}

/** The calendar date `days` later (or earlier), by the proleptic Gregorian calendar. */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Sorts and compares like a number: days since 1970-01-01. */
export function dayNumberOf(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / 86_400_000;
}

/** The weekday of a calendar date. */
export function weekdayOf(date: LocalDate): Weekday {
  return WEEKDAYS[(new Date(dayNumberOf(date) * 86_400_000).getUTCDay() + 6) % 7]!;
}
