import ICAL from 'ical.js';
import { endOf, type IcsEvent, instantOfProp } from './ics-event.ts';
import { type Cut, ruleStarts, type StepBudget, wallMs } from './ics-recur.ts';
import { type IcsZones, instantIn, wallOfTime } from './ics-zone.ts';
import type { TimeRange } from './interval.ts';
import { addDays, type WallTime } from './zone-clock.ts';

/**
 * The instances of one master VEVENT that touch a range (RFC 5545 §3.8.5): DTSTART, every RRULE
 * instance up to UNTIL, every RDATE, minus every EXDATE. Instances replaced by a RECURRENCE-ID
 * override are removed by the caller. Instances are matched by instant, so an EXDATE given in UTC
 * removes an instance defined in Europe/Berlin; a DATE EXDATE on a timed series removes that
 * local day's instances. Pure.
 */

export interface Instance {
  start: number;
  end: number;
}

export interface SeriesLimits {
  zones: IcsZones;
  /** Iterator steps one RRULE may take, counted from DTSTART, not from the range. */
  maxStepsPerSeries: number;
  budget: StepBudget;
}

const DAY_MS = 86_400_000;
/** Wider than any UTC offset (±14 h): wall-clock bounds that surely contain the range. */
const SLACK_MS = 2 * DAY_MS;

const dateKey = (w: WallTime) => `${w.year}-${w.month}-${w.day}`;

/** Each value of each property `name`, with its property (for TZID). */
function valuesOf(comp: ICAL.Component, name: string): Array<{ prop: ICAL.Property; value: unknown }> {
  return comp.getAllProperties(name).flatMap((prop) => prop.getValues().map((value) => ({ prop, value })));
}

/** The last instant an UNTIL allows: a DATE allows its whole day on the series' clock. */
function untilMs(until: ICAL.Time | null, e: IcsEvent): number {
  if (!until) return Number.POSITIVE_INFINITY;
  if (until.isDate) return instantIn({ ...wallOfTime(until), ...addDays(until, 1) }, e.zone) - 1;
  if (until.zone === ICAL.Timezone.utcTimezone) return wallMs(wallOfTime(until));
  return instantIn(wallOfTime(until), e.zone);
}

/** Adds the RRULE instances of `e` to `into`; returns why a rule was cut short, if one was. */
function addRuleInstances(
  e: IcsEvent,
  range: TimeRange,
  limits: SeriesLimits,
  into: Map<number, Instance & { wall: WallTime }>,
): Cut | null {
  const lowWall =
    range.from.getTime() - (Math.max(e.length.days, 0) * DAY_MS + Math.max(e.length.ms, 0)) - SLACK_MS;
  const stopWallMs = range.to.getTime() + SLACK_MS;
  let cut: Cut | null = null;
  for (const { value } of valuesOf(e.component, 'rrule')) {
    if (!(value instanceof ICAL.Recur)) continue;
    const last = untilMs(value.until, e);
    const starts = ruleStarts(value, e.startWall, e.isDate, {
      stopWallMs,
      maxSteps: limits.maxStepsPerSeries,
      budget: limits.budget,
    });
    for (let r = starts.next(); ; r = starts.next()) {
      if (r.done) {
        cut ??= r.value;
        break;
      }
      if (r.value.wallMs < lowWall) continue;
      const start = instantIn(r.value.wall, e.zone);
      if (start > last) break;
      into.set(start, { start, end: endOf(r.value.wall, start, e.zone, e.length), wall: r.value.wall });
    }
  }
  return cut;
}

/** Adds the RDATE instances (dates, date-times or periods with their own end). */
function addRdates(e: IcsEvent, zones: IcsZones, into: Map<number, Instance & { wall: WallTime }>): void {
  for (const { prop, value } of valuesOf(e.component, 'rdate')) {
    if (value instanceof ICAL.Period) {
      const start = instantOfProp(prop, value.start, zones);
      const end = value.end
        ? instantOfProp(prop, value.end, zones)
        : start + value.duration.toSeconds() * 1000;
      into.set(start, { start, end, wall: wallOfTime(value.start) });
    } else if (value instanceof ICAL.Time) {
      const start = instantOfProp(prop, value, zones);
      into.set(start, {
        start,
        end: endOf(wallOfTime(value), start, e.zone, e.length),
        wall: wallOfTime(value),
      });
    }
  }
}

/**
 * The instances of master `e` that overlap `range`, and why the expansion was cut short (the
 * instances found so far are still returned). Throws on a malformed RDATE or EXDATE.
 */
export function seriesInstances(
  e: IcsEvent,
  range: TimeRange,
  limits: SeriesLimits,
): { instances: Instance[]; cut: Cut | null } {
  const all = new Map<number, Instance & { wall: WallTime }>();
  all.set(e.startMs, {
    start: e.startMs,
    end: endOf(e.startWall, e.startMs, e.zone, e.length),
    wall: e.startWall,
  });
  const cut = addRuleInstances(e, range, limits, all);
  addRdates(e, limits.zones, all);
  const exInstants = new Set<number>();
  const exDates = new Set<string>();
  for (const { prop, value } of valuesOf(e.component, 'exdate')) {
    if (value instanceof ICAL.Time && value.isDate && !e.isDate) exDates.add(dateKey(wallOfTime(value)));
    else exInstants.add(instantOfProp(prop, value, limits.zones));
  }
  const instances = [...all.values()]
    .filter((i) => !exInstants.has(i.start) && !exDates.has(dateKey(i.wall)))
    .filter((i) => i.end > range.from.getTime() && i.start < range.to.getTime())
    .map(({ start, end }) => ({ start, end }));
  return { instances, cut };
}
