import {
  dayNumberOf,
  daysInMonth,
  mondayOf,
  monthEnd,
  monthStart,
  partsOfDay,
  workweekMonday,
} from './understand.calendar.ts';
import { OPEN_RANGE_DAYS } from './understand.model.ts';
import { fromToday, type Span } from './understand.span.ts';

/**
 * Periods people name instead of dates: weeks ("next week", "end of next week", "this week or
 * next", "in two weeks"), months ("early next month", "mid-April", "the second half of May",
 * "during the month of November") and horizons ("in the next two weeks", "the next few days").
 * chrono-node reads "next week" as one day seven days on, which is not what a person offering a
 * week means, so these are read here and hidden from chrono.
 *
 * Conventions (the labeled set follows them): a week is Monday to Friday; early/mid/late week are
 * Mon–Tue, Tue–Thu, Thu–Fri; early/mid/late month are days 1–10, 11–20, 21–end; "the next N days"
 * and "the next N weeks" run from today to today + N days (× 7); "few" is 3. Spans never start
 * before today. Pure.
 */

const PART =
  '(early|earlier|beginning|start|first half|the first half|middle|mid|the middle|late|later|end|the end|second half|the second half|rest|the rest)';
const WEEK = new RegExp(
  `\\b(?:${PART}(?:\\s+(?:of|in))?\\s*-?\\s*)?(?:the\\s+)?(this|next|coming|following)\\s+week(?:\\s+or\\s+(?:the\\s+)?(next|following|week after))?\\b`,
  'gi',
);
const PART_OF_THE_WEEK = new RegExp(`\\b${PART}\\s+of\\s+the\\s+week\\b(?!\\s+(?:of|after))`, 'gi');
const WEEK_AFTER_NEXT = /\bthe week after next\b/gi;
const WEEKS_AHEAD =
  /\b(?:in\s+(?:a couple of|two|2)\s+weeks(?:'?\s*time)?|(?:two|2) weeks from (?:now|today))\b/gi;
const WEEK_OR_TWO = /\bin a week or two\b/gi;
const MONTH_REL = new RegExp(
  `\\b(?:${PART}(?:\\s+(?:of|in))?\\s*-?\\s*)?(?:the\\s+)?(this|next|the following|coming)\\s+month\\b|\\b(later|end|rest) (?:of|in) the month\\b`,
  'gi',
);
const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH_NAMED = new RegExp(
  `\\b(?:${PART}(?:\\s+of)?\\s*-?\\s*|(in|during|throughout|before|until|after)\\s+(?:the month of\\s+)?|the month of\\s+)(${MONTH_NAMES.join('|')}|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\b(?![\\s.]*\\d)`,
  'gi',
);
const HORIZON =
  /\b(?:(?:in|within|over|during)\s+)?(?:the\s+)?(?:next|coming|following)\s+(few|couple(?: of)?|two|three|four|\d+)\s+(days|weeks)\b|\bwithin\s+(?:the\s+next\s+)?(a|one|two|three|\d+)\s+(days?|weeks?)\b/gi;

const COUNT: Record<string, number> = {
  few: 3,
  couple: 2,
  'couple of': 2,
  a: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
};

function count(word: string): number {
  return COUNT[word.toLowerCase()] ?? Number(word);
}

/** A part of [first, last]: "early" → its first days, "late" → its last, and so on. */
function partOf(
  part: string | undefined,
  first: number,
  last: number,
  isWeek: boolean,
  today: number,
): [number, number] {
  const p = (part ?? '').toLowerCase().replace(/^the /, '');
  if (p === '') return [first, last];
  if (p === 'later' || p === 'rest') return [Math.max(first, today + 1), last];
  if (isWeek) {
    if (p === 'first half') return [first, first + 2];
    if (p === 'second half') return [first + 2, last];
    if (p === 'middle' || p === 'mid') return [first + 1, first + 3];
    if (p === 'late' || p === 'end') return [last - 1, last];
    return [first, first + 1];
  }
  if (p === 'first half') return [first, first + 14];
  if (p === 'second half') return [first + 15, last];
  if (p === 'middle' || p === 'mid') return [first + 10, first + 19];
  if (p === 'late' || p === 'end') return [first + 20, last];
  return [first, first + 9];
}

function span(from: number, to: number, m: RegExpMatchArray, week: boolean, today: number): Span | null {
  return fromToday(
    { from, to, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, text: m[0], week },
    today,
  );
}

function weekSpans(text: string, today: number): Span[] {
  const out: Array<Span | null> = [];
  for (const m of text.matchAll(WEEK)) {
    const which = (m[2] ?? '').toLowerCase();
    const mon = workweekMonday(today) + (which === 'this' ? 0 : 7);
    const [from, to] = partOf(m[1], mon, mon + 4, true, today);
    const orNext = m[3] === undefined ? 0 : 7;
    out.push(span(from, to + orNext, m, true, today));
  }
  for (const m of text.matchAll(PART_OF_THE_WEEK)) {
    const mon = workweekMonday(today);
    out.push(span(...partOf(m[1], mon, mon + 4, true, today), m, true, today));
  }
  for (const m of text.matchAll(WEEK_AFTER_NEXT))
    out.push(span(workweekMonday(today) + 14, workweekMonday(today) + 18, m, true, today));
  for (const m of text.matchAll(WEEKS_AHEAD)) {
    const mon = mondayOf(today + 14);
    out.push(span(mon, mon + 4, m, true, today));
  }
  for (const m of text.matchAll(WEEK_OR_TWO))
    out.push(span(workweekMonday(today) + 7, workweekMonday(today) + 11 + 7, m, false, today));
  return out.filter((s): s is Span => s !== null);
}

function monthSpans(text: string, today: number): Span[] {
  const out: Array<Span | null> = [];
  for (const m of text.matchAll(MONTH_REL)) {
    const which = (m[2] ?? 'this').toLowerCase();
    const first = monthStart(today, which === 'this' ? 0 : 1);
    const [from, to] = partOf(m[1] ?? m[3], first, monthEnd(first), false, today);
    out.push(span(from, to, m, false, today));
  }
  for (const m of text.matchAll(MONTH_NAMED)) {
    const name = (m[3] ?? '').toLowerCase();
    const month = MONTH_NAMES.findIndex((n) => n.startsWith(name.slice(0, 3))) + 1;
    if (month === 0) continue;
    const now = partsOfDay(today);
    const first = dayNumberOf(now.year + (month < now.month ? 1 : 0), month, 1);
    const last = first + daysInMonth(now.year + (month < now.month ? 1 : 0), month) - 1;
    const prep = (m[2] ?? '').toLowerCase();
    if (prep === 'before' || prep === 'until') out.push(span(today, first - 1, m, false, today));
    else if (prep === 'after') out.push(span(last + 1, last + OPEN_RANGE_DAYS, m, false, today));
    else out.push(span(...partOf(m[1], first, last, false, today), m, false, today));
  }
  return out.filter((s): s is Span => s !== null);
}

function horizonSpans(text: string, today: number): Span[] {
  const out: Array<Span | null> = [];
  for (const m of text.matchAll(HORIZON)) {
    const n = count(m[1] ?? m[3] ?? '0');
    const unit = (m[2] ?? m[4] ?? '').toLowerCase().startsWith('week') ? 7 : 1;
    if (n > 0 && n * unit <= 90) out.push(span(today, today + n * unit, m, false, today));
  }
  return out.filter((s): s is Span => s !== null);
}

/** Every named period in `text`; overlapping matches keep the longest. */
export function periodSpans(text: string, today: number): Span[] {
  const all = [...weekSpans(text, today), ...monthSpans(text, today), ...horizonSpans(text, today)];
  all.sort((a, b) => b.end - b.start - (a.end - a.start));
  const kept: Span[] = [];
  for (const s of all) if (!kept.some((k) => s.start < k.end && s.end > k.start)) kept.push(s);
  return kept.sort((a, b) => a.start - b.start);
}
