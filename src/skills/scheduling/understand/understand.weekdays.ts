import { weekdaysOf } from '../../instructions/instruction.when.ts';

/**
 * Weekday names as groups: "Tuesday or Wednesday", "Mon-Wed", "Weds or Thurs". Each group
 * carries how it was meant: excluded ("any day but Friday", "Tuesday and Thursday are out"), a
 * preference ("Thursday works best"), a modifier ("next Tuesday", "Friday of next week"), or
 * attached to a date ("Tues 10/7", "Wednesday, June 11") where the date decides. Names in a
 * possessive ("Tuesday's meeting") refer to something else and are dropped. Pure.
 */

export type WeekdayModifier = 'next' | 'this' | 'nextWeek' | 'thisWeek' | null;

export interface WeekdayGroup {
  /** ISO weekdays, 1 = Monday. */
  days: number[];
  start: number;
  end: number;
  text: string;
  excluded: boolean;
  preference: boolean;
  modifier: WeekdayModifier;
  /** Followed or preceded by a date: the date module reads it. */
  attached: boolean;
}

const ISO: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

// Full names (and plurals) in any case; short forms only capitalised ("Tue", "Weds", "Thurs"), and
// never "Sat"/"Sun", which are English words.
const TOKEN =
  /\b(?:[Mm]ondays?|[Tt]uesdays?|[Ww]ednesdays?|[Tt]hursdays?|[Ff]ridays?|[Ss]aturdays?|[Ss]undays?|MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|Mon|Tues?|Weds?|Thu(?:rs?)?|Fri)\b\.?/g;
const JOIN =
  /^\s*(?:,\s*(?:or\s+|and\s+)?|\s(?:or|and|&|\/)\s+(?:on\s+)?|\/|\s*(?:-|–|to|through|thru|until)\s*)$/i;
const RANGE_JOIN = /^\s*(?:-|–|to|through|thru|until)\s*$/i;

const EXCLUDED_BEFORE =
  /(?:\b(?:except|but(?: not)?|other than|excluding|apart from|can'?t (?:do|make)|cannot (?:do|make)|unavailable|busy)\b[^.?!;]{0,24}|\b(?:not|no)\s+(?:on\s+)?)$/i;
const EXCLUDED_AFTER =
  /^\s*(?:is|are|'s|'re)?\s*(?:out|bad|busy|booked|full|taken|impossible|off|no good|not good|don'?t work|doesn'?t work|do not work|does not work|won'?t work|hard|difficult|tough)\b/i;
const PREFERRED_AFTER = /^[\s,]*(?:works|would work|is|would be|are)\s+(?:best|better|ideal|preferred)\b/i;
const PREFERRED_BEFORE = /\b(?:ideally|preferably|prefer(?:ably)?|best is|best would be)\s+(?:on\s+)?$/i;
const DATE_AFTER =
  /^[\s,]*(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)\b|\d{1,2}\/\d{1,2}|\d{4}-\d{2}-\d{2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}\.?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))/i;
const DATE_BEFORE =
  /(?:\d{1,2}(?:st|nd|rd|th)|\d{1,2}\/\d{1,2}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2})[\s,]*\(?$/i;

function isoDay(token: string): number | null {
  const w = weekdaysOf(token.replace(/\.$/, ''));
  return w?.length === 1 && w[0] ? (ISO[w[0]] ?? null) : null;
}

/** Every weekday group in `text`, left to right. */
export function weekdayGroups(text: string): WeekdayGroup[] {
  const tokens = [...text.matchAll(TOKEN)]
    .map((m) => ({ day: isoDay(m[0]), start: m.index, end: m.index + m[0].length }))
    .filter((t): t is { day: number; start: number; end: number } => t.day !== null);
  const groups: WeekdayGroup[] = [];
  let i = 0;
  while (i < tokens.length) {
    const first = tokens[i] as (typeof tokens)[number];
    const days = [first.day];
    let end = first.end;
    let j = i + 1;
    for (; j < tokens.length; j++) {
      const next = tokens[j] as (typeof tokens)[number];
      const gap = text.slice(end, next.start);
      if (!JOIN.test(gap)) break;
      const last = days[days.length - 1] ?? next.day;
      if (RANGE_JOIN.test(gap) && next.day > last) for (let d = last + 1; d < next.day; d++) days.push(d);
      days.push(next.day);
      end = next.end;
    }
    i = j;
    if (/^'s\b/.test(text.slice(end))) continue;
    groups.push(describe(text, [...new Set(days)], first.start, end));
  }
  return groups;
}

function describe(text: string, days: number[], start: number, end: number): WeekdayGroup {
  const before = text.slice(Math.max(0, start - 40), start);
  const after = text.slice(end, end + 40);
  const modifier: WeekdayModifier = /^[\s,]*(?:of\s+)?next week\b/i.test(after)
    ? 'nextWeek'
    : /^[\s,]*(?:of\s+)?this week\b/i.test(after)
      ? 'thisWeek'
      : /\bnext\s+$/i.test(before)
        ? 'next'
        : /\bthis\s+(?:coming\s+)?$/i.test(before)
          ? 'this'
          : null;
  return {
    days,
    start,
    end,
    text: text.slice(start, end),
    excluded: EXCLUDED_BEFORE.test(before) || EXCLUDED_AFTER.test(after),
    preference: PREFERRED_AFTER.test(after) || PREFERRED_BEFORE.test(before),
    modifier,
    attached: DATE_AFTER.test(after) || DATE_BEFORE.test(before),
  };
}
