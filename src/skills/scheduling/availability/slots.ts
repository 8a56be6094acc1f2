import { type Interval, merge, overlaps, overlapsAny, type TimeRange, widen } from './interval.ts';
import { localDates, type WorkingHours, windowOn } from './working-hours.ts';
import { instantAt, isZone, type LocalDate, minutesOfDay, weekdayOf } from './zone-clock.ts';

/**
 * Free meeting slots: inside the owner's working hours, clear of busy calendar time and of the
 * meetings deskhand already booked or proposed (each with a buffer), on a grid of local clock
 * times, allowed by the owner's standing instructions. A proposal offers a few of them, so they
 * are chosen for variety: at most `perDay` from one day per pass, spread out within the day, the
 * earliest days first. Pure.
 */

/** A proposed meeting time, UTC, `end` exclusive. */
export type Slot = Interval;

export interface FreeSlotsInput {
  /** Where to look; a slot lies wholly inside it. Start it at "now" plus any notice. */
  range: TimeRange;
  /** Length of the meeting. */
  durationMinutes: number;
  /** Kept clear before and after every busy and held interval; 0 lets meetings touch. */
  bufferMinutes: number;
  /** Slots start at local times that are a multiple of this since midnight (30 → :00 and :30). */
  stepMinutes: number;
  /** The owner's IANA zone; working hours, the grid and `allowed` are read in it. */
  zone: string;
  workingHours: WorkingHours;
  /** Busy time from the owner's calendars. */
  busy: readonly Interval[];
  /** Meetings deskhand booked or proposed and still holds. */
  held: readonly Interval[];
  /** Extra veto, e.g. the owner's standing instructions (see `allowedByRules`). */
  allowed?: (start: Date, end: Date) => boolean;
  /** At most this many slots are returned. */
  limit: number;
  /** At most this many slots from one day in each pass over the days; default 2. */
  perDay?: number;
}

const MINUTE_MS = 60_000;
/** Two picks from the same day should be at least this far apart when the day allows it. */
const SPREAD_MS = 120 * MINUTE_MS;

function check(input: FreeSlotsInput): void {
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (!whole(input.durationMinutes, 1)) throw new RangeError('durationMinutes must be a whole number ≥ 1');
  if (!whole(input.stepMinutes, 1) || input.stepMinutes > 1440) {
    throw new RangeError('stepMinutes must be a whole number from 1 to 1440');
  }
  if (!whole(input.bufferMinutes, 0)) throw new RangeError('bufferMinutes must be a whole number ≥ 0');
  if (!whole(input.limit, 0)) throw new RangeError('limit must be a whole number ≥ 0');
  if (input.perDay !== undefined && !whole(input.perDay, 1)) throw new RangeError('perDay must be ≥ 1');
  if (!isZone(input.zone)) throw new RangeError(`unknown time zone "${input.zone}"`);
}

/** Grid starts in one local window on `date` that fit the window and the range, in time order. */
function gridSlots(input: FreeSlotsInput, date: LocalDate, from: number, to: number): Slot[] {
  const { zone, stepMinutes: step, range } = input;
  const win = windowOn(date, { startMinutes: from, endMinutes: to }, zone);
  // Without a DST change inside the window, local minutes map linearly to instants.
  const linear = win.end.getTime() - win.start.getTime() === (to - from) * MINUTE_MS;
  const out: Slot[] = [];
  for (let m = Math.ceil(from / step) * step; m < to; m += step) {
    const start = linear ? new Date(win.start.getTime() + (m - from) * MINUTE_MS) : instantAt(date, m, zone);
    // A local time skipped by the DST change does not exist: it is not on the grid.
    if (!linear && minutesOfDay(start, zone) !== m % 1440) continue;
    const end = new Date(start.getTime() + input.durationMinutes * MINUTE_MS);
    if (start < win.start || end > win.end || start < range.from || end > range.to) continue;
    out.push({ start, end });
  }
  return out;
}

/** Every free slot of one local day, in time order. */
function freeOnDay(input: FreeSlotsInput, date: LocalDate, blocked: readonly Interval[]): Slot[] {
  return input.workingHours[weekdayOf(date)]
    .flatMap((w) => gridSlots(input, date, w.startMinutes, w.endMinutes))
    .filter((s) => !overlapsAny(blocked, s) && (input.allowed?.(s.start, s.end) ?? true));
}

/**
 * The day's slots in the order to offer them: the earliest, then the earliest at least two hours
 * after the previous pick, again and again; then the rest in time order. Picks never overlap.
 */
export function spreadWithinDay(slots: readonly Slot[]): Slot[] {
  const picked: Slot[] = [];
  const free = (s: Slot) => !picked.some((p) => overlaps(p, s));
  let after = Number.NEGATIVE_INFINITY;
  for (const s of slots) {
    if (s.start.getTime() >= after && free(s)) {
      picked.push(s);
      after = s.start.getTime() + SPREAD_MS;
    }
  }
  for (const s of slots) if (free(s)) picked.push(s);
  return picked;
}

/** Round-robin over the days, `perDay` at a time, until `limit`; returned in time order. */
function choose(days: Slot[][], limit: number, perDay: number): Slot[] {
  const out: Slot[] = [];
  for (let round = 0; out.length < limit; round++) {
    let took = false;
    for (const day of days) {
      const batch = day.slice(round * perDay, (round + 1) * perDay).slice(0, limit - out.length);
      out.push(...batch);
      took ||= batch.length > 0;
      if (out.length >= limit) break;
    }
    if (!took) break;
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/**
 * Free slots for a meeting, earliest days first, at most `limit`. Each lies wholly inside one
 * local working window and the range, starts on the local grid, lasts exactly `durationMinutes`,
 * and neither it nor its buffer overlaps a busy or held interval. Throws RangeError on a
 * nonsensical number or an unknown zone.
 */
export function freeSlots(input: FreeSlotsInput): Slot[] {
  check(input);
  if (input.limit === 0 || input.range.to <= input.range.from) return [];
  const blocked = merge([...input.busy, ...input.held].map((i) => widen(i, input.bufferMinutes)));
  const days = localDates(input.range, input.zone).map((d) => spreadWithinDay(freeOnDay(input, d, blocked)));
  return choose(days, input.limit, input.perDay ?? 2);
}
