import ICAL from 'ical.js';
import { type IcsZone, type IcsZones, instantIn, instantOfProperty, wallOfTime, zoneOf } from './ics-zone.ts';
import { addDays, dayNumberOf, type WallTime } from './zone-clock.ts';

/**
 * One VEVENT reduced to what busy time needs: when it starts (wall clock, zone, instant), how long
 * it lasts, whether it blocks time, and which instance of a series it replaces. Pure.
 */

/**
 * How long an event lasts: `days` added on the wall clock (a "P1D" all-day event ends at the next
 * local midnight even on a 23-hour DST day, RFC 5545 §3.3.6), then `ms` of exact time.
 */
export interface Length {
  days: number;
  ms: number;
}

export interface IcsEvent {
  uid: string;
  /** How warnings name it: the summary, else the UID, clipped. */
  label: string;
  component: ICAL.Component;
  startWall: WallTime;
  isDate: boolean;
  zone: IcsZone;
  startMs: number;
  length: Length;
  /** The instance of a series this one replaces (RECURRENCE-ID), as epoch ms; null for a master. */
  recurrenceIdMs: number | null;
  /** False when cancelled or marked free: it takes no time, but may still cancel an instance. */
  blocks: boolean;
}

function clip(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

function tzidOf(prop: ICAL.Property): string | null {
  const tzid = prop.getFirstParameter('tzid');
  return typeof tzid === 'string' && tzid !== '' ? tzid : null;
}

/** The instant of a DATE or DATE-TIME property, with its own TZID. Throws when it has no time. */
export function instantOfProp(prop: ICAL.Property, value: unknown, zones: IcsZones): number {
  if (!(value instanceof ICAL.Time)) throw new Error(`${prop.name.toUpperCase()} is not a date or date-time`);
  return instantOfProperty(value, tzidOf(prop), zones);
}

/** Whether the event occupies time: not CANCELLED, not TRANSPARENT, not Outlook's "free". */
function blocksTime(comp: ICAL.Component): boolean {
  const upper = (name: string) => String(comp.getFirstPropertyValue(name) ?? '').toUpperCase();
  return (
    upper('status') !== 'CANCELLED' &&
    upper('transp') !== 'TRANSPARENT' &&
    upper('x-microsoft-cdo-busystatus') !== 'FREE'
  );
}

/** RFC 5545 §3.6.1: DTEND, else DURATION, else one day for a date and no time for a date-time. */
function lengthOf(comp: ICAL.Component, start: ICAL.Time, startMs: number, zones: IcsZones): Length {
  const endProp = comp.getFirstProperty('dtend');
  if (endProp) {
    const end = endProp.getFirstValue();
    if (start.isDate && end instanceof ICAL.Time && end.isDate) {
      return { days: dayNumberOf(end) - dayNumberOf(start), ms: 0 };
    }
    return { days: 0, ms: instantOfProp(endProp, end, zones) - startMs };
  }
  const duration = comp.getFirstPropertyValue('duration');
  if (duration instanceof ICAL.Duration) {
    const sign = duration.isNegative ? -1 : 1;
    const ms = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
    return { days: sign * (duration.weeks * 7 + duration.days), ms: sign * ms };
  }
  return start.isDate ? { days: 1, ms: 0 } : { days: 0, ms: 0 };
}

/** Epoch ms at which an instance starting at `wall` (= `startMs`) ends. */
export function endOf(wall: WallTime, startMs: number, zone: IcsZone, length: Length): number {
  if (length.days === 0) return startMs + length.ms;
  return instantIn({ ...wall, ...addDays(wall, length.days) }, zone) + length.ms;
}

/** Reads one VEVENT. Throws (with a readable message) when it has no usable start. */
export function readEvent(comp: ICAL.Component, zones: IcsZones): IcsEvent {
  const uid = String(comp.getFirstPropertyValue('uid') ?? '');
  const summary = String(comp.getFirstPropertyValue('summary') ?? '');
  const startProp = comp.getFirstProperty('dtstart');
  if (!startProp) throw new Error('it has no DTSTART');
  const start = startProp.getFirstValue();
  const startMs = instantOfProp(startProp, start, zones);
  const time = start as ICAL.Time;
  const ridProp = comp.getFirstProperty('recurrence-id');
  return {
    uid,
    label: clip(summary || uid || '(no summary)'),
    component: comp,
    startWall: wallOfTime(time),
    isDate: time.isDate,
    zone: zoneOf(time, tzidOf(startProp), zones),
    startMs,
    length: lengthOf(comp, time, startMs, zones),
    recurrenceIdMs: ridProp ? instantOfProp(ridProp, ridProp.getFirstValue(), zones) : null,
    blocks: blocksTime(comp),
  };
}
