import ICAL from 'ical.js';
import { instantOf, isZone, type WallTime } from './zone-clock.ts';

/**
 * Which clock an ICS date-time is read on (RFC 5545 §3.3.5): UTC ("…Z"), a TZID defined by a
 * VTIMEZONE in the same file, a TZID that names an IANA zone without a VTIMEZONE (common in
 * hand-made and some server feeds), or floating — no zone, read on the owner's clock, as are
 * all-day dates. A VTIMEZONE is only used when its rules are plain yearly changes: its RRULEs are
 * expanded by ical.js, which loops without end on some impossible rules, so a hostile definition
 * is dropped (with a warning) and the TZID is read as an IANA name or the owner's zone. Pure.
 */

export type IcsZone =
  | { kind: 'utc' }
  | { kind: 'iana'; name: string }
  | { kind: 'vtimezone'; tz: ICAL.Timezone };

/** The zones of one calendar object and the owner's zone for floating times. */
export interface IcsZones {
  owner: string;
  defined: Map<string, ICAL.Timezone>;
  /** TZIDs already reported, so a feed with 500 events says it once. */
  reported: Set<string>;
  warn: (message: string) => void;
}

/**
 * The BY parts a yearly DST rule uses, with how many values each may list: real definitions name
 * one month and one weekday ("BYMONTH=3;BYDAY=-1SU"), old Outlook ones the week as seven
 * month days ("BYDAY=SU;BYMONTHDAY=8,9,10,11,12,13,14"). More would multiply the changes per year.
 */
const SAFE_PARTS: Record<string, number> = {
  BYMONTH: 1,
  BYDAY: 1,
  BYMONTHDAY: 7,
  BYHOUR: 1,
  BYMINUTE: 1,
  BYSECOND: 1,
};
/** Mozilla's historic Europe/London has 85. */
const MAX_PARTS = 200;
/**
 * ical.js expands every rule from its DTSTART to the year asked for (plus 5): the changes that
 * costs, counted up to LAST_YEAR, are capped per zone and per feed (about 0.2 s each). Outlook's
 * 1601 rules cost about 1,000.
 */
const MAX_CHANGES = 10_000;
const MAX_CHANGES_PER_FEED = 20_000;
/** Times outside these years are not read through a feed's VTIMEZONE (see `instantIn`). */
const FIRST_YEAR = 1900;
const LAST_YEAR = 2100;

/** How many changes expanding a VTIMEZONE costs, or why it must not be expanded at all. */
function expansionCost(vtz: ICAL.Component): number | string {
  const parts = [...vtz.getAllSubcomponents('standard'), ...vtz.getAllSubcomponents('daylight')];
  if (parts.length === 0) return 'has no STANDARD or DAYLIGHT rules';
  if (parts.length > MAX_PARTS) return `has more than ${MAX_PARTS} rules`;
  let changes = 0;
  for (const part of parts) {
    const start = part.getFirstPropertyValue('dtstart');
    if (!(start instanceof ICAL.Time) || start.year < 1583) return 'has a rule without a usable DTSTART';
    if (!(part.getFirstPropertyValue('tzoffsetto') instanceof ICAL.UtcOffset))
      return 'has a rule without TZOFFSETTO';
    for (const p of part.getAllProperties('rrule')) {
      const rule = p.getFirstValue();
      if (!(rule instanceof ICAL.Recur) || rule.freq !== 'YEARLY') return 'has a rule that is not yearly';
      const odd = Object.entries(rule.parts).some(
        ([k, v]) => !Array.isArray(v) || v.length > (SAFE_PARTS[k] ?? 0),
      );
      if (odd) return 'has an unusual yearly rule';
      const years = Math.max(0, Math.min(rule.until?.year ?? LAST_YEAR, LAST_YEAR) + 5 - start.year + 1);
      changes += Math.min(
        years * (rule.parts.BYMONTHDAY?.length ?? 1),
        rule.count ?? Number.POSITIVE_INFINITY,
      );
    }
    for (const p of part.getAllProperties('rdate')) changes += p.getValues().length;
  }
  return changes;
}

/** A TZID as an IANA name: exact, or the tail of a prefixed one ("/mozilla.org/…/Europe/Berlin"). */
export function ianaName(tzid: string): string | null {
  const id = tzid.trim().replace(/^"|"$/g, '');
  if (isZone(id)) return id;
  const segments = id.split('/').filter(Boolean);
  for (const n of [3, 2]) {
    const tail = segments.slice(-n).join('/');
    if (segments.length >= n && isZone(tail)) return tail;
  }
  return null;
}

/** The zones a VCALENDAR defines, the unsafe or broken ones left out and reported. */
export function zonesOf(root: ICAL.Component, owner: string, warn: (m: string) => void): IcsZones {
  const zones: IcsZones = { owner, defined: new Map(), reported: new Set(), warn };
  let budget = MAX_CHANGES_PER_FEED;
  for (const vtz of root.getAllSubcomponents('vtimezone')) {
    const tzid = String(vtz.getFirstPropertyValue('tzid') ?? '');
    const drop = (why: string) => {
      zones.reported.add(tzid);
      warn(`time zone "${tzid}" ${why}; its times are read as ${ianaName(tzid) ?? owner}`);
    };
    try {
      const cost = expansionCost(vtz);
      if (typeof cost === 'string') drop(cost);
      else if (cost > MAX_CHANGES || cost > budget) drop(`has too many changes to expand (${cost})`);
      else {
        budget -= cost;
        const tz = new ICAL.Timezone({ component: vtz, tzid });
        // Expanding once, to the last year used, costs what was counted (a later, larger year would
        // make ical.js expand everything again) and surfaces a broken definition early.
        tz.utcOffset(ICAL.Time.fromData({ year: LAST_YEAR, month: 12, day: 31, hour: 12 }));
        if (tzid) zones.defined.set(tzid, tz);
      }
    } catch (err) {
      drop(`could not be read (${(err as Error).message})`);
    }
  }
  return zones;
}

/** The clock a DATE-TIME property value is read on. All-day DATE values are always the owner's. */
export function zoneOf(time: ICAL.Time, tzid: string | null | undefined, zones: IcsZones): IcsZone {
  if (time.isDate) return { kind: 'iana', name: zones.owner };
  if (time.zone === ICAL.Timezone.utcTimezone && !tzid) return { kind: 'utc' };
  if (!tzid) return { kind: 'iana', name: zones.owner };
  const tz = zones.defined.get(tzid);
  if (tz) return { kind: 'vtimezone', tz };
  const name = ianaName(tzid);
  if (name) return { kind: 'iana', name };
  if (!zones.reported.has(tzid)) {
    zones.reported.add(tzid);
    zones.warn(
      `time zone "${tzid}" is not defined in the calendar nor known; its times are read as ${zones.owner}`,
    );
  }
  return { kind: 'iana', name: zones.owner };
}

/** The wall-clock fields of an ical.js time (midnight for a DATE). */
export function wallOfTime(time: ICAL.Time): WallTime {
  const { year, month, day } = time;
  return time.isDate
    ? { year, month, day, hour: 0, minute: 0, second: 0 }
    : { year, month, day, hour: time.hour, minute: time.minute, second: time.second };
}

/** Epoch milliseconds of a wall-clock reading on `zone`'s clock. */
export function instantIn(wall: WallTime, zone: IcsZone): number {
  if (zone.kind === 'utc') {
    return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  }
  if (zone.kind === 'iana') return instantOf(wall, zone.name).getTime();
  // A far past or future time would make ical.js expand the definition up to that year; such an
  // event cannot matter for scheduling, so it is read as UTC instead.
  if (wall.year < FIRST_YEAR || wall.year > LAST_YEAR) return instantIn(wall, { kind: 'utc' });
  return new ICAL.Time({ ...wall, isDate: false }, zone.tz).toUnixTime() * 1000;
}

/** Epoch milliseconds of a DATE or DATE-TIME property value. */
export function instantOfProperty(time: ICAL.Time, tzid: string | null | undefined, zones: IcsZones): number {
  return instantIn(wallOfTime(time), zoneOf(time, tzid, zones));
}
