/**
 * A corrected due or issue date as an owner writes it after the label: "2024-04-15",
 * "15.04.2024", "15 April 2024", "31.3.", "April 15", "Friday", "Freitag", "tomorrow", "in 2 weeks",
 * "end of month". Dates with a year go through the invoice reader (`findDates`); the rest are
 * resolved against `today`, the reply's own date in the owner's zone: a weekday is the next such
 * day after today, a day and month without a year take the year that puts them nearest today.
 * What could mean two days is not guessed: "04/05/2024" without a known order, "next Friday"
 * (this week's or next week's?), a weekday that disagrees with the date beside it. Pure.
 */
import { findDates, isoDate } from '../../extract/text/text.dates.ts';
import { weekdaysOf } from '../../skills/instructions/instruction.when.ts';

/** A date read (`iso`), or a date-like value that was not (`problem`), with the characters used. */
export type DateValue = { iso: string; length: number } | { problem: string; length: number };

const DAY_MS = 86_400_000;
const WEEKDAY_INDEX: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
/** French, Spanish and Dutch names, Monday first; English and German come from `weekdaysOf`. */
const MORE_WEEKDAYS = new Map<string, number>(
  [
    'lundi mardi mercredi jeudi vendredi samedi dimanche',
    'lunes martes miércoles jueves viernes sábado domingo',
    'lunes martes miercoles jueves viernes sabado domingo',
    'maandag dinsdag woensdag donderdag vrijdag zaterdag zondag',
  ].flatMap((names) => names.split(' ').map((name, k): [string, number] => [name, (k + 1) % 7])),
);
/** Days from today. */
const OFFSET_WORDS: Array<[string, number]> = [
  ...['today', 'heute', "aujourd'hui", 'hoy', 'vandaag'].map((w): [string, number] => [w, 0]),
  ...['tomorrow', 'morgen', 'demain', 'mañana', 'manana'].map((w): [string, number] => [w, 1]),
  ...['day after tomorrow', 'übermorgen', 'après-demain', 'overmorgen'].map((w): [string, number] => [w, 2]),
];
const UNIT_DAYS: Record<string, number> = { week: 7, woche: 7, semaine: 7, semana: 7 };

// "in 2 weeks", "in 10 Tagen", "dans 3 jours", "en 2 semanas".
const IN_N =
  /^(?:in|dans|en|binnen)\s+(\d{1,3})\s+(day|tag|jour|día|dia|dag|week|woche|semaine|semana)(?:s|e|en|es)?(?!\p{L})/iu;
const END_OF_MONTH = new RegExp(
  '^(?:(?:the\\s+)?end\\s+of\\s+(?:the\\s+|this\\s+)?month|eom|monatsende|ende\\s+des\\s+monats|fin\\s+du\\s+mois|' +
    'fin\\s+de\\s+mes)(?!\\p{L})',
  'iu',
);
const NEXT_WORDS = 'next|nächsten|naechsten|prochain|próximo|proximo|volgende';
const NEXT = new RegExp(`^(?:${NEXT_WORDS})$`, 'i');
// An optional "this"/"next" word, then a word that may be a weekday (checked by `weekdayNumber`).
const WEEKDAY = new RegExp(
  `^(?:(this|coming|this coming|on|diesen|kommenden|am|ce|este|el|deze|${NEXT_WORDS})\\s+)?(\\p{L}{3,12})\\.?(?![\\p{L}'’])`,
  'iu',
);

function dayOf(iso: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m || isoDate(Number(m[1]), Number(m[2]), Number(m[3])) === null) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
}
const isoOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

function weekdayNumber(word: string): number | null {
  const w = word.toLowerCase();
  const days = weekdaysOf(w);
  if (days?.length === 1) return WEEKDAY_INDEX[days[0] ?? ''] ?? null;
  return MORE_WEEKDAYS.get(w) ?? null;
}

/** Of the day and month in the years around today's, the one nearest today. */
function nearest(month: number, day: number, today: number): string | null {
  const year = new Date(today * DAY_MS).getUTCFullYear();
  let best: { iso: string; gap: number } | null = null;
  for (const y of [year - 1, year, year + 1]) {
    const iso = isoDate(y, month, day);
    const d = iso === null ? null : dayOf(iso);
    if (iso === null || d === null) continue;
    if (!best || Math.abs(d - today) < best.gap) best = { iso, gap: Math.abs(d - today) };
  }
  return best?.iso ?? null;
}

/** An explicit date at the start of `v`: with a year, "31.3.", "31/3", "15 April", "April 15". */
function explicitDate(v: string, today: number): DateValue | null {
  const full = findDates(v, null)[0];
  if (full?.start === 0)
    return full.iso ? { iso: full.iso, length: full.end } : { problem: 'is ambiguous', length: full.end };
  const dotted = /^(\d{1,2})\.(\d{1,2})\.?(?![\d])/.exec(v);
  if (dotted) {
    const iso = nearest(Number(dotted[2]), Number(dotted[1]), today);
    return iso
      ? { iso, length: dotted[0].length }
      : { problem: 'is not a calendar date', length: dotted[0].length };
  }
  const slashed = /^(\d{1,2})\/(\d{1,2})(?![\d/])/.exec(v);
  if (slashed) {
    const [a, b] = [Number(slashed[1]), Number(slashed[2])];
    const dmy = nearest(b, a, today);
    const mdy = nearest(a, b, today);
    const iso = dmy && mdy && dmy !== mdy ? null : (dmy ?? mdy);
    return iso ? { iso, length: slashed[0].length } : { problem: 'is ambiguous', length: slashed[0].length };
  }
  const named =
    /^(\d{1,2})(?:\.|st|nd|rd|th|er)?\s*(?:of\s+|de\s+)?(\p{L}{3,10})\.?(?!\p{L})/u.exec(v) ??
    /^(\p{L}{3,10})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?![\d.])/u.exec(v);
  if (named) {
    const [day, word] = /^\d/.test(named[1] ?? '') ? [named[1], named[2]] : [named[2], named[1]];
    // Year 2000 is a leap year, so "29 Feb" is read; `nearest` then keeps only real days.
    const probe = findDates(`${day} ${word} 2000`, null)[0]?.iso;
    if (probe) {
      const iso = nearest(Number(probe.slice(5, 7)), Number(probe.slice(8, 10)), today);
      if (iso) return { iso, length: named[0].length };
    }
  }
  return null;
}

/** "tomorrow", "in 2 weeks", "end of month". */
function relativeDate(v: string, today: number): DateValue | null {
  const lower = v.toLowerCase();
  for (const [word, offset] of OFFSET_WORDS) {
    if (lower.startsWith(word) && !/\p{L}/u.test(lower[word.length] ?? ''))
      return { iso: isoOf(today + offset), length: word.length };
  }
  const inN = IN_N.exec(v);
  if (inN)
    return {
      iso: isoOf(today + Number(inN[1]) * (UNIT_DAYS[(inN[2] ?? '').toLowerCase()] ?? 1)),
      length: inN[0].length,
    };
  const eom = END_OF_MONTH.exec(v);
  if (eom) {
    const d = new Date(today * DAY_MS);
    return {
      iso: isoOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / DAY_MS),
      length: eom[0].length,
    };
  }
  return null;
}

/** "Friday", "this Friday", "Freitag"; "next Friday" is ambiguous; "Friday 29.3." must agree. */
function weekdayDate(v: string, today: number): DateValue | null {
  const m = WEEKDAY.exec(v);
  const day = m ? weekdayNumber(m[2] ?? '') : null;
  if (!m || day === null) return null;
  const rest = /^[\s,]*/.exec(v.slice(m[0].length))?.[0].length ?? 0;
  const dated = explicitDate(v.slice(m[0].length + rest), today);
  if (dated && 'iso' in dated) {
    const length = m[0].length + rest + dated.length;
    const same = new Date((dayOf(dated.iso) ?? 0) * DAY_MS).getUTCDay() === day;
    return same
      ? { iso: dated.iso, length }
      : { problem: 'names a weekday the date does not fall on', length };
  }
  if (NEXT.test(m[1] ?? '')) return { problem: 'is ambiguous (this week or next?)', length: m[0].length };
  const ahead = ((day - new Date(today * DAY_MS).getUTCDay() + 6) % 7) + 1;
  return { iso: isoOf(today + ahead), length: m[0].length };
}

/** The date at the start of `value`, resolved against `today` (YYYY-MM-DD); null when none is written. */
export function readDateValue(value: string, today: string): DateValue | null {
  const v = value.trimStart();
  const lead = value.length - v.length;
  const day = dayOf(today);
  const found =
    day === null
      ? (() => {
          const full = findDates(v, null)[0];
          return full?.start === 0 && full.iso ? { iso: full.iso, length: full.end } : null;
        })()
      : (weekdayDate(v, day) ?? explicitDate(v, day) ?? relativeDate(v, day));
  return found ? { ...found, length: found.length + lead } : null;
}
