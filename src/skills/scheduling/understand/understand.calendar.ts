/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, as `localTime` in
 * instructions/instruction.zone.ts counts them): adding days and finding a week's Monday are
 * integer sums, with no time zone or daylight-saving change to trip over. Pure.
 */

const DAY_MS = 86_400_000;

export function dayNumberOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

export function partsOfDay(dayNumber: number): { year: number; month: number; day: number } {
  const d = new Date(dayNumber * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function isoOfDay(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

/** The Monday of the week `dayNumber` falls in. */
export function mondayOf(dayNumber: number): number {
  return dayNumber - isoWeekday(dayNumber) + 1;
}

/** Monday of the working week `today` is in, or of the next one when today is a weekend day. */
export function workweekMonday(today: number): number {
  return isoWeekday(today) >= 6 ? mondayOf(today) + 7 : mondayOf(today);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The first day of the month `months` after the month of `dayNumber`. */
export function monthStart(dayNumber: number, months = 0): number {
  const { year, month } = partsOfDay(dayNumber);
  return Date.UTC(year, month - 1 + months, 1) / DAY_MS;
}

export function monthEnd(dayNumber: number): number {
  return monthStart(dayNumber, 1) - 1;
}

/** The next day on or after `from` (strictly after when `strict`) that is `weekday`. */
export function nextWeekday(from: number, weekday: number, strict: boolean): number {
  const ahead = (weekday - isoWeekday(from) + 7) % 7;
  return from + (ahead === 0 && strict ? 7 : ahead);
}

/** The local calendar day of `at` at a fixed UTC offset in minutes. */
export function dayAtOffset(at: Date, offsetMinutes: number): number {
  return Math.floor((at.getTime() + offsetMinutes * 60_000) / DAY_MS);
}

/** The UTC offset of an IANA zone at `at`, in minutes; null for an unknown zone. */
export function zoneOffsetAt(zone: string, at: Date): number | null {
  try {
    const name =
      new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
        .formatToParts(at)
        .find((p) => p.type === 'timeZoneName')?.value ?? '';
    const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
    if (!m) return 0;
    return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  } catch {
    return null;
  }
}
