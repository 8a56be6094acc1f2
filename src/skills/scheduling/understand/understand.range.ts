import type { DateOrder } from '../../../extract/text/text.dates.ts';
import { isoOfDay, isoWeekday, mondayOf, nextWeekday, workweekMonday } from './understand.calendar.ts';
import { type ChronoRef, dateSpans } from './understand.dates.ts';
import { daypartsIn } from './understand.dayparts.ts';
import type { Daypart } from './understand.model.ts';
import { periodSpans } from './understand.periods.ts';
import { qualifiedRange, qualifierBefore } from './understand.qualify.ts';
import type { Span } from './understand.span.ts';
import { blank, sentencesOf } from './understand.text.ts';
import { type WeekdayGroup, weekdayGroups } from './understand.weekdays.ts';

/**
 * The when of one message: its days (periods, dates and weekday names together), weekdays
 * allowed and ruled out, and times of day. Alternatives widen the range ("Friday, or early next
 * week" → Friday to Tuesday); weekday names inside a named week narrow it ("Tuesday or
 * Wednesday next week"). Days in a sentence that says where the writer is ("I'm in Tokyo this
 * week") count only when nothing else names a day. "next Tuesday" said on a Monday, "this
 * Monday" said on a Wednesday and undecidable "3/4" give no day but an ambiguity. Pure.
 */

export interface MessageWhen {
  /** Day numbers, inclusive; null when the message names no day. */
  range: [number, number] | null;
  weekdays: number[];
  /** Days named as a preference ("Tuesday or Wednesday would be best"): offered first, not required. */
  preferredWeekdays: number[];
  excludedWeekdays: number[];
  dayparts: Daypart[];
  ambiguities: string[];
  reasons: string[];
}

/** A sentence about where the writer is or will be: its days are a weak hint. */
const WHEREABOUTS =
  /\b(?:i'?m|i am|we'?re|we are|i'?ll be|i will be|i'?m going to be)\s+(?:\w+\s+)?(?:in|at|out|away|travell?ing|visiting|on (?:vacation|holiday|leave))\b/i;
const DAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function daySpan(from: number, to: number, g: WeekdayGroup): Span {
  return { from, to, start: g.start, end: g.end, text: g.text, week: false };
}

/** Spans for weekday names that stand alone or carry "next"/"this"/"of next week". */
function weekdaySpan(g: WeekdayGroup, text: string, today: number, out: MessageWhen): Span | null {
  const first = Math.min(...g.days);
  const last = Math.max(...g.days);
  const q = qualifierBefore(text.slice(0, g.start));
  if (q !== null && q !== 'weekOf' && g.days.length === 1) {
    const [from, to] = qualifiedRange(q, nextWeekday(today, first, true), today);
    return daySpan(from, to, g);
  }
  const todayWd = isoWeekday(today);
  switch (g.modifier) {
    case 'nextWeek': {
      const mon = workweekMonday(today) + 7;
      return daySpan(mon + first - 1, mon + last - 1, g);
    }
    case 'thisWeek': {
      const mon = mondayOf(today);
      return mon + last - 1 < today ? null : daySpan(Math.max(today, mon + first - 1), mon + last - 1, g);
    }
    case 'next': {
      if (todayWd <= 5 && first >= todayWd) {
        const soon = nextWeekday(today, first, true);
        const later = soon + 7;
        out.ambiguities.push(
          `"${text.slice(g.start - 5, g.end).trim()}" said on a ${DAY_NAMES[todayWd]} could be ${isoOfDay(soon)} or ${isoOfDay(later)}`,
        );
        return null;
      }
      return daySpan(nextWeekday(today, first, true), nextWeekday(today, last, true), g);
    }
    case 'this': {
      if (first < todayWd) {
        out.ambiguities.push(`"this ${g.text}" said on a ${DAY_NAMES[todayWd]}: the one past or the next?`);
        return null;
      }
      const mon = mondayOf(today);
      return daySpan(mon + first - 1, mon + last - 1, g);
    }
    default: {
      const days = g.days.map((d) => nextWeekday(today, d, true));
      return daySpan(Math.min(...days), Math.max(...days), g);
    }
  }
}

/** Narrows a named week to the weekdays written with it; null when none of them is in it. */
function narrowWeek(week: Span, days: readonly number[]): Span | null {
  const inWeek: number[] = [];
  for (let d = week.from; d <= week.to; d++) if (days.includes(isoWeekday(d))) inWeek.push(d);
  return inWeek.length === 0
    ? null
    : { ...week, from: Math.min(...inWeek), to: Math.max(...inWeek), week: false };
}

/** Whether a span sits in a sentence about the writer's whereabouts. */
function weakParts(text: string): (s: Span) => boolean {
  const weak = sentencesOf(text).filter((s) => WHEREABOUTS.test(s.text));
  return (s) => weak.some((w) => s.start >= w.start && s.start < w.start + w.text.length);
}

/** The when of `text`, read from the writer's `today` (a day number in their calendar). */
export function whenOf(text: string, today: number, ref: ChronoRef, order: DateOrder | null): MessageWhen {
  const out: MessageWhen = {
    range: null,
    weekdays: [],
    excludedWeekdays: [],
    preferredWeekdays: [],
    dayparts: [],
    ambiguities: [],
    reasons: [],
  };
  const groups = weekdayGroups(text);
  const allPeriods = periodSpans(text, today);
  let masked = text;
  for (const s of [...allPeriods, ...groups]) masked = blank(masked, s.start, s.end);
  const dates = dateSpans(text, masked, today, ref, order, groups);
  out.ambiguities.push(...dates.ambiguities);
  out.reasons.push(...dates.reasons);
  // "Mon-Wed next week", "Tuesday of next week": that week belongs to the weekday names.
  const periods = allPeriods.filter(
    (p) =>
      !groups.some(
        (g) =>
          g.modifier !== null && g.end <= p.start && /^[\s,]*(?:of\s+)?$/i.test(text.slice(g.end, p.start)),
      ),
  );
  const weak = weakParts(text);
  const spans: Span[] = [...periods, ...dates.spans];
  const narrowing = applyWeekdays(groups, spans, weak, text, today, out);
  const narrowed = spans.map((s) =>
    s.week && !weak(s) && narrowing.length > 0 ? (narrowWeek(s, narrowing) ?? s) : s,
  );
  out.range = chooseRange(narrowed, weak, out);
  const parts = daypartsIn(text);
  out.dayparts = parts.dayparts;
  out.reasons.push(...parts.reasons);
  return out;
}

/**
 * Weekday groups into `out` (allowed and ruled-out days) and into `spans` (days of their own).
 * Returns the days of bare names that narrow a named week instead of standing alone.
 */
function applyWeekdays(
  groups: readonly WeekdayGroup[],
  spans: Span[],
  weak: (s: Span) => boolean,
  text: string,
  today: number,
  out: MessageWhen,
): number[] {
  const allowed = new Set<number>();
  const excluded = new Set<number>();
  const narrowing: number[] = [];
  for (const g of groups.filter((x) => !x.attached)) {
    if (g.excluded) {
      for (const d of g.days) excluded.add(d);
      continue;
    }
    if (g.preference && spans.length > 0) {
      out.reasons.push(`"${g.text}" is a preference within the days asked for`);
      out.preferredWeekdays = [...new Set([...out.preferredWeekdays, ...g.days])].sort((a, b) => a - b);
      continue;
    }
    for (const d of g.days) allowed.add(d);
    const inAWeek = spans.some((s) => s.week && !weak(s) && narrowWeek(s, g.days) !== null);
    if (g.modifier === null && qualifierBefore(text.slice(0, g.start)) === null && inAWeek)
      narrowing.push(...g.days);
    else {
      const s = weekdaySpan(g, text, today, out);
      if (s !== null) spans.push(s);
    }
  }
  out.weekdays = [...allowed].sort((a, b) => a - b);
  out.excludedWeekdays = [...excluded].sort((a, b) => a - b);
  return narrowing;
}

/** min..max of the spans, preferring those outside sentences about the writer's whereabouts. */
function chooseRange(
  spans: readonly Span[],
  isWeak: (s: Span) => boolean,
  out: MessageWhen,
): [number, number] | null {
  if (spans.length === 0) return null;
  const strong = spans.filter((s) => !isWeak(s));
  const used = strong.length > 0 ? strong : [...spans];
  for (const s of spans) {
    const note = used.includes(s) ? '' : ' (where the writer is, not when to meet)';
    out.reasons.push(`"${s.text}": ${isoOfDay(s.from)} to ${isoOfDay(s.to)}${note}`);
  }
  return [Math.min(...used.map((s) => s.from)), Math.max(...used.map((s) => s.to))];
}
