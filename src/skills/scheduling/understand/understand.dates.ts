import * as chrono from 'chrono-node';
import { type DateOrder, dateOrder, orderShownBy } from '../../../extract/text/text.dates.ts';
import { dayNumberOf, daysInMonth, isoOfDay, isoWeekday, partsOfDay } from './understand.calendar.ts';
import { qualifiedRange, qualifierBefore } from './understand.qualify.ts';
import type { Span } from './understand.span.ts';
import { blank } from './understand.text.ts';
import type { WeekdayGroup } from './understand.weekdays.ts';

/**
 * Dates named as days: "3/14", "Tues 10/7", "the 15th", "between the 18th and 21st", "June 11",
 * "tomorrow", "before April 2". Month-name and casual dates come from chrono-node
 * (`chrono.parse(text, {instant, timezone}, {forwardDate: true})`, reading only components it is
 * certain of). Slashed dates are read here because chrono always reads them month-first: "3/4"
 * is March 4 or April 3, and unless a weekday next to it ("Fri 2/5") or the thread's other dates
 * settle the order, it is reported as an ambiguity and gives no day. Pure.
 */

export interface DateFinding {
  spans: Span[];
  ambiguities: string[];
  reasons: string[];
}

interface Mention {
  day: number;
  start: number;
  end: number;
  text: string;
  /** chrono read a range ("March 18 to March 21"): its last day. */
  endDay: number | null;
}

const MONTH = /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$/i;
const SLASH = /(?<![\d/.:])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\d/:])/g;
const NOT_A_DATE_AFTER = /^\s*(?:hours?|hrs?|min|minutes?|days?|weeks?|%|of\b|cup|teaspoon)/i;
const ORDINAL =
  /\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/gi;
const LENGTH = /(?<![a-z])(?:min|mins|minutes?|hours?|hrs?|h|seconds?|secs?)\b/i;
/** Words that name a day; chrono also reads "the day" or "the week" as today. */
const NAMES_A_DAY = /\d|\b(?:today|tomorrow|tonight|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;
/** A mention that starts with a clock time: "after 2pm today" qualifies the time, not the day. */
const CLOCK_FIRST = /^\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?|h\b|uhr)/i;
const JOIN = /^\s*(?:and|to|-|–|until|through|thru)\s*(?:the\s+)?$/i;
const MONTH_NAMES =
  'January February March April May June July August September October November December'.split(' ');

/** `YYYY-MM-DD` as "March 4". */
function spoken(day: number): string {
  const p = partsOfDay(day);
  return `${MONTH_NAMES[p.month - 1]} ${p.day}`;
}

/** The day/month order the thread's other dates show: unambiguous slashed dates, with or without a year. */
export function slashOrder(texts: readonly string[]): DateOrder | null {
  return orderShownBy(texts, SLASH) ?? dateOrder([...texts], null, null);
}

/** The first date on or after `today` with this month and day (in `year` when given). */
function upcoming(month: number, day: number, today: number, year: number | null): number | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const start = year ?? partsOfDay(today).year;
  for (const y of year === null ? [start, start + 1] : [start]) {
    if (day > daysInMonth(y, month)) continue;
    const d = dayNumberOf(y, month, day);
    if (year !== null || d >= today) return d;
  }
  return null;
}

function attachedWeekday(
  groups: readonly WeekdayGroup[],
  start: number,
  end: number,
  text: string,
): number | null {
  for (const g of groups) {
    if (!g.attached || g.days.length !== 1) continue;
    const gap = g.end <= start ? text.slice(g.end, start) : g.start >= end ? text.slice(end, g.start) : null;
    if (gap !== null && /^[\s,(]*(?:the\s+)?$/i.test(gap)) return g.days[0] ?? null;
  }
  return null;
}

/**
 * The one reading that falls on the weekday written next to it. When both do (10/9 said on
 * 1 October: 9 October 2025 and 10 September 2026 are both Thursdays), the one within half a
 * year, if only one is.
 */
function byWeekday(readings: readonly number[], weekday: number, today: number): number | null {
  const matching = readings.filter((d) => isoWeekday(d) === weekday);
  if (matching.length === 1) return matching[0] ?? null;
  const near = matching.filter((d) => d - today <= 183);
  return near.length === 1 ? (near[0] ?? null) : null;
}

function slashed(
  text: string,
  today: number,
  order: DateOrder | null,
  groups: readonly WeekdayGroup[],
  out: DateFinding,
): Mention[] {
  const found: Mention[] = [];
  for (const m of text.matchAll(SLASH)) {
    if (NOT_A_DATE_AFTER.test(text.slice(m.index + m[0].length))) continue;
    const a = Number(m[1]);
    const b = Number(m[2]);
    const year = m[3] === undefined ? null : m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
    const mdy = upcoming(a, b, today, year);
    const dmy = upcoming(b, a, today, year);
    const readings = [...new Set([mdy, dmy].filter((d): d is number => d !== null))];
    const weekday = attachedWeekday(groups, m.index, m.index + m[0].length, text);
    let day: number | null = null;
    if (readings.length === 1) day = readings[0] ?? null;
    else if (weekday !== null && byWeekday(readings, weekday, today) !== null) {
      day = byWeekday(readings, weekday, today);
      out.reasons.push(`"${m[0]}" read by its weekday as ${isoOfDay(day ?? 0)}`);
    } else if (order !== null && mdy !== null && dmy !== null) {
      day = order === 'mdy' ? mdy : dmy;
      out.reasons.push(`"${m[0]}" read ${order} like the thread's other dates`);
    } else if (mdy !== null && dmy !== null) {
      out.ambiguities.push(`"${m[0]}" could be ${spoken(mdy)} or ${spoken(dmy)}`);
    }
    if (day !== null)
      found.push({ day, start: m.index, end: m.index + m[0].length, text: m[0], endDay: null });
  }
  return found;
}

function ordinals(text: string, today: number, groups: readonly WeekdayGroup[], out: DateFinding): Mention[] {
  const found: Mention[] = [];
  const now = partsOfDay(today);
  for (const m of text.matchAll(ORDINAL)) {
    if (MONTH.test(text.slice(0, m.index))) continue;
    const d = Number(m[1]);
    const weekday = attachedWeekday(groups, m.index, m.index + m[0].length, text);
    const candidates = [0, 1, 2]
      .map((k) =>
        upcoming(((now.month - 1 + k) % 12) + 1, d, today, now.year + Math.floor((now.month - 1 + k) / 12)),
      )
      .filter((x): x is number => x !== null && x >= today);
    const day = weekday === null ? candidates[0] : candidates.find((c) => isoWeekday(c) === weekday);
    if (day === undefined) {
      if (weekday !== null)
        out.ambiguities.push(`"${m[0].trim()}" does not fall on the weekday written next to it`);
      continue;
    }
    found.push({ day, start: m.index, end: m.index + m[0].length, text: m[0], endDay: null });
  }
  return found;
}

function chronoDates(text: string, ref: ChronoRef, today: number, out: DateFinding): Mention[] {
  const found: Mention[] = [];
  for (const r of chrono.parse(
    text,
    { instant: ref.instant, timezone: ref.offsetMinutes },
    { forwardDate: true },
  )) {
    const casual = [...r.tags()].some((t) =>
      /casualReference\/(?:today|tomorrow|tonight)|relativeDate/.test(t),
    );
    if (!r.start.isCertain('day') && !casual) continue;
    if (!NAMES_A_DAY.test(r.text)) continue;
    // chrono reads a length ("for 30 minutes", "an hour") as that long from now: not a day.
    if (LENGTH.test(r.text) && !/\b(?:days?|weeks?|months?|years?|today|tomorrow|tonight)\b/i.test(r.text))
      continue;
    const day = dayNumberOf(r.start.get('year') ?? 0, r.start.get('month') ?? 0, r.start.get('day') ?? 0);
    if (/\b\d{4}\b/.test(r.text) && day === today && /(?:^|\n)[\s,]*$/.test(text.slice(0, r.index))) {
      out.reasons.push(`"${r.text}" opens a line on the sending day: the letter's date, not a proposal`);
      continue;
    }
    // forwardDate moves "March 3" said on 12 March to next year; nobody books that far by a bare date.
    if (!r.start.isCertain('year') && day - today > 300) {
      out.reasons.push(`"${r.text}" is in the past`);
      continue;
    }
    const endDay = r.end?.isCertain('day')
      ? dayNumberOf(r.end.get('year') ?? 0, r.end.get('month') ?? 0, r.end.get('day') ?? 0)
      : null;
    found.push({ day, start: r.index, end: r.index + r.text.length, text: r.text, endDay });
  }
  return found;
}

export interface ChronoRef {
  instant: Date;
  /** The writer's UTC offset in minutes: "tomorrow" is the writer's tomorrow. */
  offsetMinutes: number;
}

/**
 * Dates in `text` as spans. `masked` is `text` with periods and weekday names blanked (they are
 * read elsewhere); offsets in both are the same.
 */
export function dateSpans(
  text: string,
  masked: string,
  today: number,
  ref: ChronoRef,
  order: DateOrder | null,
  groups: readonly WeekdayGroup[],
): DateFinding {
  const out: DateFinding = { spans: [], ambiguities: [], reasons: [] };
  let rest = masked;
  const own = [...slashed(masked, today, order, groups, out), ...ordinals(masked, today, groups, out)];
  for (const m of masked.matchAll(SLASH)) rest = blank(rest, m.index, m.index + m[0].length);
  for (const m of own) rest = blank(rest, m.start, m.end);
  const mentions = [...own, ...chronoDates(rest, ref, today, out)].sort((a, b) => a.start - b.start);
  for (let i = 0; i < mentions.length; i++) {
    const m = mentions[i] as Mention;
    const next = mentions[i + 1];
    if (next !== undefined && JOIN.test(text.slice(m.end, next.start)) && next.day >= m.day) {
      pushSpan(out, m.day, next.day, m.start, next.end, text, today);
      i++;
      continue;
    }
    const q = CLOCK_FIRST.test(m.text) ? null : qualifierBefore(text.slice(0, m.start));
    const [from, to] = m.endDay !== null ? [m.day, m.endDay] : qualifiedRange(q, m.day, today);
    const week = q === 'weekOf';
    pushSpan(out, from, to, m.start, m.end, text, today, week);
  }
  return out;
}

function pushSpan(
  out: DateFinding,
  from: number,
  to: number,
  start: number,
  end: number,
  text: string,
  today: number,
  week = false,
): void {
  const words = text.slice(start, end).trim();
  if (to < today) {
    out.reasons.push(`"${words}" is in the past`);
    return;
  }
  out.spans.push({ from: Math.max(from, today), to, start, end, text: words, week });
}
