import { DateTime } from 'luxon';
import type { Config } from '../../../config/config.ts';
import type { Db } from '../../../db/db.types.ts';
import type { Clock } from '../../../shared/clock.ts';
import { activeRules } from '../../rules.repository.ts';
import { busyFromCalendars } from '../availability/calendar-busy.ts';
import { memoryIcsCache } from '../availability/ics-cache.ts';
import { fetchIcs, type IcsFetchResult } from '../availability/ics-fetch.ts';
import { type Interval, overlaps } from '../availability/interval.ts';
import { freeSlots, type Slot } from '../availability/slots.ts';
import { allowedByRules } from '../availability/standing-rules.ts';
import { parseWorkingHours } from '../availability/working-hours.ts';
import { type DateRange, type Daypart, OPEN_RANGE_DAYS } from '../understand/understand.model.ts';
import { heldIntervals } from './meeting.repository.ts';

/**
 * When the owner can meet, as the slot finder needs it: working hours, buffers, the owner's
 * calendar feeds, every meeting deskhand holds, and the owner's standing rules — then, among those
 * free slots, the ones that fit what was asked (days, weekdays, time of day in the asker's zone)
 * and, when possible, fall inside ordinary hours for every guest.
 */

export interface AvailabilityDeps {
  db: Db;
  config: Config;
  clock: Clock;
  /** Fetches one ICS feed; default: network with a timeout and an in-process cache. */
  fetchIcs?: (url: string) => Promise<IcsFetchResult>;
}

export interface SlotQuery {
  range: DateRange | null;
  dayparts: Daypart[];
  weekdays: number[];
  /** Days said to suit best: their slots come first. */
  preferredWeekdays: number[];
  excludedWeekdays: number[];
  /** The zone the asker's "Tuesday afternoon" is read in. */
  askerZone: string;
  durationMinutes: number;
  /** Slots already offered: never offered again. */
  exclude: Interval[];
  /** A meeting whose own holds do not block (its re-offer). */
  except: string | null;
  /** Guests' zones: slots inside 08:00–18:00 for all of them come first. */
  guestZones: string[];
}

export interface SlotAnswer {
  slots: Slot[];
  /** Calendars that could not be read (named by host): their busy time is unknown. */
  unknown: string[];
  warnings: string[];
}

const DAYPART_HOURS: Record<Daypart, [number, number]> = {
  morning: [8, 12],
  afternoon: [12, 18],
  evening: [17, 21],
};
const GRID_MINUTES = 30;

let sharedCache: ReturnType<typeof memoryIcsCache> | null = null;
function defaultFetch(clock: Clock): (url: string) => Promise<IcsFetchResult> {
  sharedCache ??= memoryIcsCache({ clock });
  const cache = sharedCache;
  return (url) => fetchIcs(url, { timeoutMs: 10_000, cache });
}

/** The instants to search: the asked days (in the owner's zone), never before now plus notice. */
export function searchRange(range: DateRange | null, zone: string, now: Date, noticeHours: number): Interval {
  const earliest = new Date(now.getTime() + noticeHours * 3_600_000);
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const from = range ? DateTime.fromISO(range.from, { zone }).startOf('day') : today;
  const to = range
    ? DateTime.fromISO(range.to, { zone }).plus({ days: 1 }).startOf('day')
    : today.plus({ days: OPEN_RANGE_DAYS + 1 });
  const start = from.toJSDate() < earliest ? earliest : from.toJSDate();
  return { start, end: to.toJSDate() };
}

function fitsAsked(q: SlotQuery): (s: Slot) => boolean {
  return (s) => {
    const local = DateTime.fromJSDate(s.start, { zone: q.askerZone });
    if (q.weekdays.length && !q.weekdays.includes(local.weekday)) return false;
    if (q.excludedWeekdays.includes(local.weekday)) return false;
    if (q.dayparts.length) {
      // Both ends measured from the start's local midnight: a slot crossing the asker's midnight is
      // in no daypart (23:30–00:30 is not "morning").
      const day = local.startOf('day');
      const fits = (d: Daypart) =>
        s.start >= day.set({ hour: DAYPART_HOURS[d][0] }).toJSDate() &&
        s.end <= day.set({ hour: DAYPART_HOURS[d][1] }).toJSDate();
      if (!q.dayparts.some(fits)) return false;
    }
    return !q.exclude.some((x) => x.start.getTime() === s.start.getTime());
  };
}

function ordinaryForGuests(zones: string[]): (s: Slot) => boolean {
  return (s) =>
    zones.every((zone) => {
      const a = DateTime.fromJSDate(s.start, { zone });
      const b = DateTime.fromJSDate(new Date(s.end.getTime() - 1), { zone });
      return a.hasSame(b, 'day') && a.weekday <= 5 && a.hour >= 8 && b.hour < 18;
    });
}

export async function findSlots(deps: AvailabilityDeps, q: SlotQuery): Promise<SlotAnswer> {
  const env = deps.config.env;
  const zone = deps.config.owner.timeZone;
  const now = deps.clock.now();
  const range = searchRange(q.range, zone, now, env.MEETING_NOTICE_HOURS);
  if (range.end <= range.start) return { slots: [], unknown: [], warnings: [] };
  const calendars = await busyFromCalendars({
    urls: env.CALENDAR_ICS_URLS,
    range: { from: range.start, to: range.end },
    zone,
    fetchIcs: deps.fetchIcs ?? defaultFetch(deps.clock),
  });
  const held = await heldIntervals(deps.db, q.except, range.start);
  const rules = allowedByRules(await activeRules(deps.db), zone);
  const asked = fitsAsked(q);
  const guests = ordinaryForGuests(q.guestZones);
  const base = {
    range: { from: range.start, to: range.end },
    durationMinutes: q.durationMinutes,
    bufferMinutes: env.MEETING_BUFFER_MINUTES,
    stepMinutes: GRID_MINUTES,
    zone,
    workingHours: parseWorkingHours(env.WORKING_HOURS),
    busy: calendars.busy,
    held,
    limit: env.MEETING_SLOTS,
  };
  // Best first: on a preferred day and inside every guest's ordinary hours; then relax one
  // preference at a time. Each tier only fills what the better ones left; nothing overlaps.
  const preferred = (x: Slot) =>
    q.preferredWeekdays.length === 0 ||
    q.preferredWeekdays.includes(DateTime.fromJSDate(x.start, { zone: q.askerZone }).weekday);
  const tiers: Array<(x: Slot) => boolean> = [
    (x) => preferred(x) && guests(x),
    preferred,
    guests,
    () => true,
  ];
  const slots: Slot[] = [];
  for (const tier of tiers) {
    if (slots.length >= env.MEETING_SLOTS) break;
    const more = freeSlots({
      ...base,
      allowed: (a, b) => rules(a, b) && asked({ start: a, end: b }) && tier({ start: a, end: b }),
    });
    for (const x of more)
      if (slots.length < env.MEETING_SLOTS && !slots.some((y) => overlaps(x, y))) slots.push(x);
  }
  slots.sort((a, b) => a.start.getTime() - b.start.getTime());
  return { slots, unknown: calendars.unknown, warnings: calendars.warnings };
}
