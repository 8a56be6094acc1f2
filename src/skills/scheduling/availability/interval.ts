/**
 * Busy and free time as half-open UTC intervals `[start, end)`: a meeting ending at 10:00 and one
 * starting at 10:00 do not overlap. Every availability module speaks in these; local time only
 * appears where a rule is stated in it (working hours, the slot grid, standing instructions). Pure.
 */

/** A stretch of time, `start` inclusive, `end` exclusive. */
export interface Interval {
  start: Date;
  end: Date;
}

/** The span a search or an expansion covers, `from` inclusive, `to` exclusive. */
export interface TimeRange {
  from: Date;
  to: Date;
}

const MINUTE_MS = 60_000;

/** True when the two intervals share at least one instant (touching ends do not count). */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/** The interval widened by `minutes` on both sides: a buffer kept clear around a meeting. */
export function widen(interval: Interval, minutes: number): Interval {
  return {
    start: new Date(interval.start.getTime() - minutes * MINUTE_MS),
    end: new Date(interval.end.getTime() + minutes * MINUTE_MS),
  };
}

/** Sorted by start, overlapping or touching intervals joined, empty ones dropped. */
export function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .filter((i) => i.end.getTime() > i.start.getTime())
    .toSorted((a, b) => a.start.getTime() - b.start.getTime());
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out.at(-1);
    if (last && i.start.getTime() <= last.end.getTime()) {
      if (i.end.getTime() > last.end.getTime()) last.end = i.end;
    } else {
      out.push({ start: i.start, end: i.end });
    }
  }
  return out;
}

/** True when `candidate` overlaps any of the `sorted` (by start, merged) intervals. Binary search. */
export function overlapsAny(sorted: readonly Interval[], candidate: Interval): boolean {
  let lo = 0;
  let hi = sorted.length;
  // First interval whose end is after the candidate's start; only it can overlap first.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.end.getTime() <= candidate.start.getTime()) lo = mid + 1;
    else hi = mid;
  }
  const hit = sorted[lo];
  return hit !== undefined && overlaps(hit, candidate);
}
