import { ConfigError } from '../../../shared/errors.ts';
import { WEEKDAYS, type Weekday } from '../../instructions/instruction.model.ts';
import type { Interval, TimeRange } from './interval.ts';
import { addDays, dayNumberOf, instantAt, type LocalDate, wallOf, weekdayOf } from './zone-clock.ts';

/**
 * The owner's working hours (`WORKING_HOURS`, e.g. "Mon-Fri 09:00-17:30" or "Mon,Wed-Thu
 * 08:00-12:00") as local windows per weekday, and those windows as UTC intervals over a range.
 * Local, because "09:00" means nine on the owner's wall clock on every day, including the days
 * daylight saving starts and ends. Pure.
 */

/** A window of local time, in minutes since local midnight; `endMinutes` may be 1440 (24:00). */
export interface LocalWindow {
  startMinutes: number;
  endMinutes: number;
}

/** Local working windows for each weekday; a day without windows is not worked. */
export type WorkingHours = Readonly<Record<Weekday, readonly LocalWindow[]>>;

const SHAPE =
  /^\s*([A-Za-z]{3}(?:-[A-Za-z]{3})?(?:,[A-Za-z]{3}(?:-[A-Za-z]{3})?)*) (\d{2}):(\d{2})-(\d{2}):(\d{2})\s*$/;

function fail(text: string, why: string): never {
  throw new ConfigError(`WORKING_HOURS: "${text}" ${why}`, { variable: 'WORKING_HOURS' });
}

function weekday(text: string, name: string): number {
  const i = WEEKDAYS.indexOf(name.toLowerCase() as Weekday);
  if (i < 0) fail(text, `names "${name}", which is not a weekday (Mon, Tue, Wed, Thu, Fri, Sat, Sun)`);
  return i;
}

/** The weekdays a day list names; a range may wrap past Sunday ("Fri-Mon"). */
function daysOf(text: string, list: string): Set<Weekday> {
  const days = new Set<Weekday>();
  for (const part of list.split(',')) {
    const [a, b] = part.split('-') as [string, string | undefined];
    const first = weekday(text, a);
    const last = b === undefined ? first : weekday(text, b);
    for (let i = first; ; i = (i + 1) % 7) {
      days.add(WEEKDAYS[i]!);
      if (i === last) break;
    }
  }
  return days;
}

/**
 * Parses `WORKING_HOURS`. Throws ConfigError naming the variable when the text is not of the form
 * "Mon-Fri 09:00-17:30", names an unknown day, or the window is empty or overnight (which a single
 * "HH:MM-HH:MM" cannot express unambiguously). 24:00 is allowed as an end.
 */
export function parseWorkingHours(text: string): WorkingHours {
  const m = SHAPE.exec(text);
  if (!m) fail(text, 'must look like "Mon-Fri 09:00-17:30"');
  const [h1, m1, h2, m2] = m.slice(2).map(Number) as [number, number, number, number];
  const startMinutes = h1 * 60 + m1;
  const endMinutes = h2 * 60 + m2;
  if (m1 > 59 || m2 > 59 || h1 > 23 || endMinutes > 1440)
    fail(text, 'has a time that is not on a 24-hour clock');
  if (endMinutes <= startMinutes) fail(text, 'must end after it starts on the same day');
  const days = daysOf(text, m[1]!);
  const window: LocalWindow = { startMinutes, endMinutes };
  return Object.fromEntries(WEEKDAYS.map((d) => [d, days.has(d) ? [window] : []])) as unknown as WorkingHours;
}

/** Every local calendar date that `range` touches in `zone`, in order. */
export function localDates(range: TimeRange, zone: string): LocalDate[] {
  const first = wallOf(range.from, zone);
  const last = wallOf(new Date(Math.max(range.from.getTime(), range.to.getTime() - 1)), zone);
  const out: LocalDate[] = [];
  for (let d: LocalDate = first; dayNumberOf(d) <= dayNumberOf(last); d = addDays(d, 1)) out.push(d);
  return out;
}

/** The UTC instants one local window covers on `date`. */
export function windowOn(date: LocalDate, window: LocalWindow, zone: string): Interval {
  return { start: instantAt(date, window.startMinutes, zone), end: instantAt(date, window.endMinutes, zone) };
}

/**
 * The working windows inside `range`, as UTC intervals in time order, clipped to the range. Each
 * local day's window is placed by its own wall-clock times, so a DST day keeps 09:00–17:30 local
 * (and is an hour shorter or longer in UTC only if the switch falls inside the window).
 */
export function workingWindows(range: TimeRange, spec: WorkingHours, zone: string): Interval[] {
  const out: Interval[] = [];
  for (const date of localDates(range, zone)) {
    for (const w of spec[weekdayOf(date)]) {
      const { start, end } = windowOn(date, w, zone);
      const s = Math.max(start.getTime(), range.from.getTime());
      const e = Math.min(end.getTime(), range.to.getTime());
      if (e > s) out.push({ start: new Date(s), end: new Date(e) });
    }
  }
  return out;
}
