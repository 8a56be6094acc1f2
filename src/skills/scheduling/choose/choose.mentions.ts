import { DateTime } from 'luxon';
import {
  ABBREVIATION_PATTERN,
  ABBREVIATIONS,
  PLACE_PATTERN,
  PLACES,
} from '../understand/understand.zone-names.ts';

/**
 * The pieces of a reply that can point at an offered slot: option numbers ("option 2", "#3", a
 * bare "2" on its own line), ordinals ("the first one"), weekdays, dates ("24 Mar", "3/24", "the
 * 24th", "tomorrow"), clock times ("2pm", "14:00", "at 2", "after 4") and parts of the day
 * ("morning"). Each is found once: the earlier, more specific reading claims its characters so
 * "24 Mar" is never also read as "at 24" and "2nd one" never as the 2nd of the month. Nothing here
 * decides which slot is meant; the times are wall-clock minutes in the replier's own zone unless a
 * zone follows them ("14:00 Berlin", "9am ET"), as when someone copies a line of the proposal. Pure.
 */

interface Span {
  start: number;
  end: number;
}

export type Mention =
  | (Span & { kind: 'option'; index: number })
  | (Span & { kind: 'weekday'; day: number })
  | (Span & { kind: 'date'; year: number | null; month: number | null; day: number })
  | (Span & { kind: 'time'; minutes: number[]; rel: TimeRelation; zone: string | null })
  | (Span & { kind: 'daypart'; from: number; to: number });

/**
 * How a clock time constrains a slot: starting exactly at one of `minutes`, at or after it, ending
 * by it, near it, or (for a range, `minutes` = [from, to]) lying within it.
 */
export type TimeRelation = 'at' | 'after' | 'before' | 'around' | 'within';

const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};
const ORDINAL_WORD = 'first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;
const MONTH =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const WEEKDAYS: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
const FULL_WEEKDAY = /^(?:mon|tues|wednes|thurs|fri|satur|sun)days?$/i;

const OPTION =
  /(?:\b(?:option|opt\.?|number|no\.|nr\.?|slot|choice|alternative)\s*#?\s*|#\s*)(\d{1,2})\b(?!\s*(?:am|pm|a\.m|p\.m|o['’]?clock|h\b)|[:.]\d)/gi;
const BARE_LINE = /^[ \t]*#?[ \t]*(\d{1,2})[ \t]*[.!)]?[ \t]*(?:please|pls|thanks|thank you)?[ \t.!]*$/gim;
/** "2 works for me", "3 is perfect": a number opening a line, then a verdict on it. */
const BARE_LEAD =
  /^[ \t]*#?[ \t]*(\d{1,2})[ \t]+(?=(?:works|would work|suits|is (?:perfect|great|good|fine|best|ideal|ok|okay)|sounds (?:good|great|perfect)|for me)\b)/gim;
const ORDINAL_NOUN = new RegExp(
  `\\b(?:the\\s+)?(${ORDINAL_WORD}|\\d{1,2}(?:st|nd|rd|th))\\s+(?:one|option|slot|choice|time|proposal|suggestion)s?\\b`,
  'gi',
);
const ORDINAL_THE = new RegExp(
  `\\bthe\\s+(${ORDINAL_WORD})\\b(?!\\s+(?:of|week|half|thing|day|two|three|few|couple)\\b)`,
  'gi',
);
const DAY_MONTH = new RegExp(
  `\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MONTH})\\b(?:\\.(?=\\s*\\d))?(?:,?\\s+(\\d{4})\\b)?`,
  'gi',
);
const MONTH_DAY = new RegExp(
  `\\b(${MONTH})\\.?\\s+(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\b(?!:)(?:,?\\s+(\\d{4})\\b)?`,
  'gi',
);
const NUMERIC_DATE = /\b(\d{1,2})([/.])(\d{1,2})(?:\2(\d{4}|\d{2}))?(\.)?(?![\d:])/g;
const DAY_ORDINAL = /\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)\b/gi;
const RELATIVE_DAY = /\b(today|tomorrow|tmrw)\b/gi;
const WEEKDAY =
  /\b(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|mon|tues?|weds?|thu(?:rs?)?|fri)\b/gi;
const DAYPART = /\b(morning|afternoon|evening|tonight|lunch(?:time)?)s?\b/gi;

const CONTINUED_OPTION =
  /^\s*(?:,|\/|&|\bor\b|\band\b)\s*(?:option\s*)?#?\s*(\d{1,2})\b(?!\s*(?:am|pm|a\.m|p\.m|o['’]?clock|h\b)|[:.]\d)/i;
const CLOCK_PART = '(\\d{1,2})(?:[:.](\\d{2}))?\\s*([ap]\\.?\\s?m\\b\\.?)?';
const RANGE = new RegExp(
  `(\\bbetween\\s+)?\\b${CLOCK_PART}\\s*(?:-|–|to|and|until|till)\\s*${CLOCK_PART}(?![\\d/])`,
  'gi',
);
const ZONE_AFTER = new RegExp(
  `^\\s*(?:\\(\\s*|in\\s+)?(?:(${PLACE_PATTERN})(?:\\s+time)?(?![\\p{L}])|(${ABBREVIATION_PATTERN})(?![A-Za-z]))`,
  'iu',
);
const MERIDIEM = /\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?/gi;
const COLON = /\b(\d{1,2}):(\d{2})\b/g;
const H_CLOCK = /\b(\d{1,2})h(\d{2})?\b/gi;
const OCLOCK = /\b(\d{1,2})\s*o['’]?\s?clock\b/gi;
const NOON = /\b(noon|midday|midnight)\b/gi;
const BARE_HOUR =
  /(?:\b(?:at|around|about|after|before|from|by|until|till|past|between)|@)\s*(\d{1,2})\b(?![:.]?\d|\s*(?:st|nd|rd|th|days?|weeks?|hours?|hrs?|min|mins|minutes?|people|%|\/)\b|\s*\/)/gi;
const MONTH_AHEAD = new RegExp(`^\\s*(?:${MONTH})\\b`, 'i');

const RELATION_BEFORE: Array<[RegExp, TimeRelation]> = [
  [/\b(?:after|past|from|later than|not before)\s*$/i, 'after'],
  [/\b(?:before|by|until|till|no later than)\s*$/i, 'before'],
  [/\b(?:around|about|approx\.?|circa|ca\.)\s*$/i, 'around'],
];
const RELATION_AFTER: Array<[RegExp, TimeRelation]> = [
  [/^\s*(?:or later|or after|onwards?|and later|at the earliest)\b/i, 'after'],
  [/^\s*(?:or earlier|at the latest)\b/i, 'before'],
  [/^\s*-?ish\b/i, 'around'],
];

/** Every mention in the reply, in reading order. `zone` and `now` place "today" and "tomorrow". */
export function findMentions(text: string, zone: string | null, now: Date): Mention[] {
  const found: Mention[] = [];
  const claimed: Span[] = [];
  const free = (s: Span): boolean => claimed.every((c) => s.end <= c.start || s.start >= c.end);
  const add = (m: Mention): void => {
    if (!free(m)) return;
    claimed.push({ start: m.start, end: m.end });
    found.push(m);
  };
  const each = (re: RegExp, fn: (m: RegExpExecArray, span: Span) => Mention | null): void => {
    for (const m of text.matchAll(re)) {
      const span = { start: m.index, end: m.index + m[0].length };
      if (!free(span)) continue;
      const mention = fn(m, span);
      if (mention) add(mention);
    }
  };

  each(OPTION, (m, s) => ({ ...s, kind: 'option', index: Number(m[1]) }));
  // "option 2 or 3", "#1, #3": the option context carries over a list.
  for (const m of found.slice()) {
    let at = m.end;
    for (let i = 0; i < 10; i++) {
      const next = CONTINUED_OPTION.exec(text.slice(at, at + 40));
      if (!next) break;
      const end = at + next[0].length;
      add({ start: end - (next[1] ?? '').length, end, kind: 'option', index: Number(next[1]) });
      at = end;
    }
  }
  each(BARE_LINE, (m, s) => ({ ...s, kind: 'option', index: Number(m[1]) }));
  each(BARE_LEAD, (m, s) => ({ ...s, kind: 'option', index: Number(m[1]) }));
  each(ORDINAL_NOUN, (m, s) => ({ ...s, kind: 'option', index: ordinal(m[1] ?? '') }));
  each(ORDINAL_THE, (m, s) => ({ ...s, kind: 'option', index: ordinal(m[1] ?? '') }));

  each(DAY_MONTH, (m, s) => date(m[2] ?? '', Number(m[1]), m[3], s));
  each(MONTH_DAY, (m, s) => date(m[1] ?? '', Number(m[2]), m[3], s));
  each(NUMERIC_DATE, (m, s) => numericDate(m, s, zone));
  if (zone) {
    const today = DateTime.fromJSDate(now, { zone });
    each(RELATIVE_DAY, (m, s) => {
      const d = (m[1] ?? '').toLowerCase() === 'today' ? today : today.plus({ days: 1 });
      return { ...s, kind: 'date', year: d.year, month: d.month, day: d.day };
    });
  }

  const time = (minutes: number[], s: Span): Mention => ({
    ...s,
    kind: 'time',
    minutes,
    rel: relation(text, s),
    zone: zoneAfter(text, s.end),
  });
  each(RANGE, (m, s) => {
    const range = rangeOf(m);
    if (!range) return null;
    return { ...s, kind: 'time', minutes: range, rel: 'within', zone: zoneAfter(text, s.end) };
  });
  each(MERIDIEM, (m, s) => {
    const h = Number(m[1]);
    const min = Number(m[2] ?? 0);
    if (h < 1 || h > 12 || min > 59) return null;
    const pm = (m[3] ?? '').toLowerCase() === 'p';
    return time([((h % 12) + (pm ? 12 : 0)) * 60 + min], s);
  });
  each(COLON, (m, s) => {
    const raw = m[1] ?? '';
    const h = Number(raw);
    const min = Number(m[2]);
    if (h > 23 || min > 59) return null;
    const exact = h === 0 || h > 12 || raw.startsWith('0');
    return time(exact ? [h * 60 + min] : halves(h, min), s);
  });
  each(H_CLOCK, (m, s) => {
    const h = Number(m[1]);
    const min = Number(m[2] ?? 0);
    return h > 23 || min > 59 ? null : time([h * 60 + min], s);
  });
  each(OCLOCK, (m, s) => {
    const h = Number(m[1]);
    return h < 1 || h > 12 ? null : time(halves(h, 0), s);
  });
  each(NOON, (m, s) => time([(m[1] ?? '').toLowerCase() === 'midnight' ? 0 : 720], s));
  each(BARE_HOUR, (m, s) => {
    const h = Number(m[1]);
    if (h > 23 || MONTH_AHEAD.test(text.slice(s.end, s.end + 12))) return null;
    const digits = s.end - (m[1] ?? '').length;
    const span = { start: digits, end: s.end };
    const rel = relation(text, span);
    const zone = zoneAfter(text, span.end);
    if (h > 12 || h === 0) return { ...span, kind: 'time', minutes: [h * 60], rel, zone };
    // "after 4" means 16:00, not 04:00: a range needs one reading, the working-hours one.
    const minutes = rel === 'at' ? halves(h, 0) : [business(h) * 60];
    return { ...span, kind: 'time', minutes, rel, zone };
  });
  each(DAY_ORDINAL, (m, s) => {
    const day = Number(m[1]);
    return day >= 1 && day <= 31 ? { ...s, kind: 'date', year: null, month: null, day } : null;
  });

  each(WEEKDAY, (m, s) => {
    const word = m[1] ?? '';
    // Short forms only when capitalised: "wed" and "mon" are words too.
    if (!FULL_WEEKDAY.test(word) && word[0] === word[0]?.toLowerCase()) return null;
    const day = WEEKDAYS[word.slice(0, 3).toLowerCase()];
    return day ? { ...s, kind: 'weekday', day } : null;
  });
  each(DAYPART, (m, s) => {
    const word = (m[1] ?? '').toLowerCase();
    if (word === 'morning') return { ...s, kind: 'daypart', from: 0, to: 720 };
    if (word === 'afternoon') return { ...s, kind: 'daypart', from: 720, to: 1020 };
    if (word.startsWith('lunch')) return { ...s, kind: 'daypart', from: 690, to: 840 };
    return { ...s, kind: 'daypart', from: 1020, to: 1440 };
  });

  return found.sort((a, b) => a.start - b.start);
}

function ordinal(word: string): number {
  const w = word.toLowerCase();
  if (w === 'last') return Number.POSITIVE_INFINITY;
  return ORDINALS[w] ?? Number.parseInt(w, 10);
}

/** 2 → 02:00 or 14:00; the offered slots decide which was meant. */
function halves(h: number, min: number): number[] {
  return h === 12 ? [720 + min] : [h * 60 + min, (h + 12) * 60 + min];
}

/** A bare hour as a working-hours clock: 1–7 are afternoon, nobody meets at 3 am. */
function business(h: number): number {
  return h >= 1 && h <= 7 ? h + 12 : h;
}

/**
 * "between 2 and 5pm", "14:00-16:00", "2–4pm" as [from, to] minutes. It needs "between", a colon
 * or am/pm somewhere, so "1-2" (a list of options, or dates) is not a time range.
 */
function rangeOf(m: RegExpExecArray): number[] | null {
  const [, between, h1, m1, ap1, h2, m2, ap2] = m;
  if (!between && !m1 && !m2 && !ap1 && !ap2) return null;
  const toMin = Number(m2 ?? 0);
  const fromMin = Number(m1 ?? 0);
  const a = Number(h1);
  const b = Number(h2);
  if (a > 23 || b > 23 || fromMin > 59 || toMin > 59) return null;
  const clock = (h: number, ap: string | undefined): number | null => {
    if (!ap) return null;
    if (h < 1 || h > 12) return -1;
    return (h % 12) + (/^p/i.test(ap) ? 12 : 0);
  };
  let to = clock(b, ap2) ?? (b > 12 || (m2 && h2?.startsWith('0')) ? b : business(b));
  let from = clock(a, ap1);
  if (from === null) {
    if (a > 12 || (m1 && h1?.startsWith('0'))) from = a;
    else if (ap2) from = to >= 12 && a + 12 <= to && a !== 12 ? a + 12 : a;
    else from = business(a);
  }
  if (from < 0 || to < 0) return null;
  if (to * 60 + toMin <= from * 60 + fromMin) to += 12;
  return [from * 60 + fromMin, to * 60 + toMin];
}

function zoneAfter(text: string, end: number): string | null {
  const m = ZONE_AFTER.exec(text.slice(end, end + 30));
  if (!m) return null;
  if (m[1]) return PLACES[m[1].toLowerCase()] ?? null;
  // Abbreviations count only in upper case: "et" and "pt" are parts of words.
  if (m[2] && m[2] === m[2].toUpperCase()) return ABBREVIATIONS[m[2].toLowerCase()] ?? null;
  return null;
}

function relation(text: string, s: Span): TimeRelation {
  const before = text.slice(Math.max(0, s.start - 20), s.start);
  const after = text.slice(s.end, s.end + 20);
  for (const [re, rel] of RELATION_BEFORE) if (re.test(before)) return rel;
  for (const [re, rel] of RELATION_AFTER) if (re.test(after)) return rel;
  return 'at';
}

function date(monthWord: string, day: number, year: string | undefined, s: Span): Mention | null {
  // "may" is a verb: only "May" is the month.
  if (/^may$/i.test(monthWord) && monthWord !== 'May') return null;
  const month = MONTHS.indexOf(monthWord.slice(0, 3).toLowerCase() as (typeof MONTHS)[number]) + 1;
  if (month < 1 || day < 1 || day > 31) return null;
  return { ...s, kind: 'date', year: year ? Number(year) : null, month, day };
}

/** "24/3", "3/24", "24.3." — day first unless that is impossible or the writer is in the Americas. */
function numericDate(m: RegExpExecArray, s: Span, zone: string | null): Mention | null {
  const a = Number(m[1]);
  const b = Number(m[3]);
  const sep = m[2];
  if (sep === '.' && !m[4] && !m[5]) return null; // "14.30" is a time, "24.3." a date
  const usFirst = zone?.startsWith('America/') ?? false;
  let day = a;
  let month = b;
  if (b > 12 || (usFirst && a <= 12 && sep === '/')) [day, month] = [b, a];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const y = m[4] ? Number(m[4]) : null;
  const year = y !== null && y < 100 ? 2000 + y : y;
  return { ...s, kind: 'date', year, month, day };
}
