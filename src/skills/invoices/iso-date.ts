/**
 * Calendar arithmetic on ISO `YYYY-MM-DD` strings, done in UTC so no zone or DST shifts a day.
 * Pure.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date in ISO form ("2024-02-30" is not). */
export function isIsoDate(s: string | null | undefined): s is string {
  if (!s) return false;
  const m = ISO.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

function toUtc(s: string): number {
  return Date.parse(`${s}T00:00:00Z`);
}

/** `s` plus `days` (may be negative). */
export function addDays(s: string, days: number): string {
  return new Date(toUtc(s) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (positive when `b` is later). */
export function daysBetween(a: string, b: string): number {
  return Math.round((toUtc(b) - toUtc(a)) / 86_400_000);
}

/** The UTC calendar date of an instant. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
