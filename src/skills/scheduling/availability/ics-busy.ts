import ICAL from 'ical.js';
import { endOf, type IcsEvent, readEvent } from './ics-event.ts';
import type { StepBudget } from './ics-recur.ts';
import { type Instance, seriesInstances } from './ics-series.ts';
import { zonesOf } from './ics-zone.ts';
import type { Interval, TimeRange } from './interval.ts';
import { isZone } from './zone-clock.ts';

/**
 * Busy time in one iCalendar feed (RFC 5545) within a range, with ical.js: single, all-day and
 * recurring events (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides), times in UTC, in a TZID with
 * its VTIMEZONE, in a bare IANA TZID, or floating (read on the owner's clock). Cancelled and
 * transparent ("free") events take no time. A feed is outside data: a malformed file or event
 * becomes a warning, never a throw, and recurrence expansion is bounded so a hostile RRULE costs
 * at most a few hundred milliseconds. When anything was skipped, `complete` is false: some busy
 * time is then unknown, and the caller should say so rather than promise a slot is free. Pure.
 */

export interface IcsBusyOptions {
  /** The owner's IANA zone: floating times and all-day dates are read on its clock. */
  zone: string;
  /** Busy intervals returned at most; the rest of the feed is then skipped. Default 5,000. */
  maxOccurrences?: number;
  /** Recurrence iterator steps one series may take, counted from its DTSTART. Default 20,000. */
  maxStepsPerSeries?: number;
  /** Recurrence iterator steps the whole feed may take. Default 250,000 (about a second). */
  maxSteps?: number;
}

export interface IcsBusy {
  /** Sorted by start; intervals overlap the range but are not clipped to it. */
  busy: Interval[];
  warnings: string[];
  /** False when a warning means some busy time in the range may be missing. */
  complete: boolean;
}

interface Run {
  range: TimeRange;
  opts: Required<IcsBusyOptions>;
  budget: StepBudget;
  found: Instance[];
  warnings: string[];
  complete: boolean;
  full: boolean;
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function lose(run: Run, warning: string): void {
  run.warnings.push(warning);
  run.complete = false;
}

function add(run: Run, instances: Instance[]): void {
  for (const i of instances) {
    if (i.end <= i.start || i.end <= run.range.from.getTime() || i.start >= run.range.to.getTime()) continue;
    if (run.found.length >= run.opts.maxOccurrences) {
      run.full = true;
      lose(
        run,
        `stopped after ${run.opts.maxOccurrences} busy times; later ones in this calendar are unknown`,
      );
      return;
    }
    run.found.push(i);
  }
}

/** One calendar object (a VCALENDAR, or a bare VEVENT some servers send). */
function collect(run: Run, root: ICAL.Component): void {
  const zones = zonesOf(root, run.opts.zone, (w) => run.warnings.push(w));
  const comps = root.name === 'vevent' ? [root] : root.getAllSubcomponents('vevent');
  const events: IcsEvent[] = [];
  for (const comp of comps) {
    try {
      events.push(readEvent(comp, zones));
    } catch (err) {
      const uid = String(comp.getFirstPropertyValue('uid') ?? '').slice(0, 60);
      lose(run, `an event${uid ? ` (UID ${uid})` : ''} was skipped: ${message(err)}`);
    }
  }
  // RFC 5545 §3.8.4.4: an instance with a RECURRENCE-ID replaces the series' instance it names.
  const replaced = new Map<string, Set<number>>();
  for (const e of events) {
    if (e.recurrenceIdMs === null) continue;
    replaced.set(e.uid, (replaced.get(e.uid) ?? new Set()).add(e.recurrenceIdMs));
  }
  const limits = { zones, maxStepsPerSeries: run.opts.maxStepsPerSeries, budget: run.budget };
  for (const e of events) {
    if (run.full) return;
    if (!e.blocks) continue;
    if (e.recurrenceIdMs !== null) {
      add(run, [{ start: e.startMs, end: endOf(e.startWall, e.startMs, e.zone, e.length) }]);
      continue;
    }
    try {
      const { instances, cut } = seriesInstances(e, run.range, limits);
      const gone = replaced.get(e.uid);
      add(run, gone ? instances.filter((i) => !gone.has(i.start)) : instances);
      if (cut === 'step-limit') {
        lose(
          run,
          `event "${e.label}": too many repeats to expand within the limits; later instances are unknown`,
        );
      } else if (cut === 'invalid-rule') {
        lose(run, `event "${e.label}": its repeat rule could not be read; only some instances are known`);
      }
    } catch (err) {
      lose(run, `event "${e.label}" was skipped: ${message(err)}`);
    }
  }
}

/** Parses the text into calendar objects; throws on text that is not iCalendar. */
function parseRoots(text: string): ICAL.Component[] {
  const jcal: unknown = ICAL.parse(text.replace(/^\uFEFF/, ''));
  const list = Array.isArray(jcal) && Array.isArray(jcal[0]) ? (jcal as unknown[][]) : [jcal as unknown[]];
  return list.map((j) => new ICAL.Component(j));
}

/** The busy time `icsText` describes within `range`. Never throws. */
export function busyFromIcs(icsText: string, range: TimeRange, opts: IcsBusyOptions): IcsBusy {
  const limits = {
    zone: opts.zone,
    maxOccurrences: opts.maxOccurrences ?? 5_000,
    maxStepsPerSeries: opts.maxStepsPerSeries ?? 20_000,
    maxSteps: opts.maxSteps ?? 250_000,
  };
  const run: Run = {
    range,
    opts: limits,
    budget: { left: limits.maxSteps },
    found: [],
    warnings: [],
    complete: true,
    full: false,
  };
  if (!isZone(run.opts.zone)) {
    lose(run, `the owner's time zone "${run.opts.zone}" is unknown`);
    return { busy: [], warnings: run.warnings, complete: false };
  }
  try {
    const roots = parseRoots(icsText);
    if (!roots.some((r) => r.name === 'vcalendar' || r.name === 'vevent'))
      lose(run, 'the text is not an iCalendar feed');
    for (const root of roots) if (!run.full) collect(run, root);
  } catch (err) {
    lose(run, `the calendar could not be read: ${message(err)}`);
  }
  const busy = run.found
    .toSorted((a, b) => a.start - b.start || a.end - b.end)
    .map((i) => ({ start: new Date(i.start), end: new Date(i.end) }));
  return { busy, warnings: run.warnings, complete: run.complete };
}
