/**
 * Dates as invoices in English, German, French, Dutch and Spanish write them: `2024-03-01`,
 * `01.03.2024`, `01/03/2024` or `03/01/2024`, `1. März 2024`, `1er mars 2024`, `1 maart 2024`,
 * `1 de marzo de 2024`, `March 1, 2024`, `Mar 1 2024`. Whether `01/03/2024` is the first of March or
 * the third of January is the document's business: `dateOrder` decides it from the document's other
 * dates and language, and where nothing decides it the date stays unread (`iso: null`). Pure.
 */
import { fold } from './text.lines.ts';

export type DateOrder = 'dmy' | 'mdy';

export interface DateToken {
  /** `YYYY-MM-DD`, or null when day and month cannot be told apart. */
  iso: string | null;
  start: number;
  end: number;
  /** Written with digits only ("01/03/2024"), as opposed to a month name or ISO form. */
  numeric: boolean;
}

/** Month names and abbreviations, accents folded (see `fold`), all five languages in one table. */
const MONTHS: Record<string, number> = {};
const NAMES: Array<[number, string]> = [
  [1, 'january jan januar janner janvier janv januari enero ene'],
  [2, 'february feb februar fevrier fevr fev februari febrero'],
  [3, 'march mar marz maerz mrz mars maart mrt marzo'],
  [4, 'april apr avril avr abril abr'],
  [5, 'may mai mei mayo'],
  [6, 'june jun juni juin junio'],
  [7, 'july jul juli juillet juil julio'],
  [8, 'august aug aout augustus agosto ago'],
  [9, 'september sep sept septembre septiembre setiembre'],
  [10, 'october oct oktober okt octobre octubre'],
  [11, 'november nov novembre noviembre'],
  [12, 'december dec dezember dez decembre diciembre dic'],
];
for (const [month, names] of NAMES) for (const n of names.split(' ')) MONTHS[n] = month;
const MONTH_ALT = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

const ISO_RE = /(?<![\d.,/])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![\d]|[.,]\d)/g;
const NUMERIC_RE = /(?<![\d.,/])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?![\d]|[.,]\d)/g;
// "1. März 2024", "1er mars 2024", "1 de marzo de 2024", "01-Mar-2024", "3rd of March 2024".
const DAY_MONTH_RE = new RegExp(
  `(?<![\\d.])(\\d{1,2})(?:\\.|er|st|nd|rd|th|º)?[\\s-]*(?:de\\s+|of\\s+)?(${MONTH_ALT})(?![a-z])\\.?[\\s,-]*(?:de\\s+|del\\s+)?(\\d{4})(?!\\d)`,
  'g',
);
// "March 1, 2024", "Mar 1 2024", "August 3 , 2014", "March 1st, 2024".
const MONTH_DAY_RE = new RegExp(
  `(?<![a-z])(${MONTH_ALT})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)\\s*,?\\s*(\\d{4})(?!\\d)`,
  'g',
);

/** `YYYY-MM-DD` for a real calendar day in a plausible year for business papers; null otherwise. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1970 || year > 2099 || month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

function overlaps(taken: DateToken[], start: number, end: number): boolean {
  return taken.some((t) => start < t.end && end > t.start);
}

/** Every date in `text`, left to right; numeric day/month dates follow `order`. */
export function findDates(text: string, order: DateOrder | null): DateToken[] {
  const out: DateToken[] = [];
  const folded = fold(text);
  const push = (iso: string | null, start: number, end: number, numeric: boolean) => {
    if (!overlaps(out, start, end)) out.push({ iso, start, end, numeric });
  };
  for (const m of folded.matchAll(ISO_RE)) {
    const iso = isoDate(Number(m[1]), Number(m[3]), Number(m[4]));
    if (iso) push(iso, m.index, m.index + m[0].length, false);
  }
  for (const m of folded.matchAll(DAY_MONTH_RE)) {
    const iso = isoDate(Number(m[3]), MONTHS[m[2] ?? ''] ?? 0, Number(m[1]));
    if (iso) push(iso, m.index, m.index + m[0].length, false);
  }
  for (const m of folded.matchAll(MONTH_DAY_RE)) {
    const iso = isoDate(Number(m[3]), MONTHS[m[1] ?? ''] ?? 0, Number(m[2]));
    if (iso) push(iso, m.index, m.index + m[0].length, false);
  }
  for (const m of folded.matchAll(NUMERIC_RE)) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const year = fullYear(m[4] ?? '');
    const dmy = isoDate(year, b, a);
    const mdy = isoDate(year, a, b);
    // Dots are day-first everywhere they are used; two readings that agree need no order.
    const pick =
      m[2] === '.'
        ? dmy
        : dmy === mdy
          ? dmy
          : !mdy
            ? dmy
            : !dmy
              ? mdy
              : order === 'mdy'
                ? mdy
                : order === 'dmy'
                  ? dmy
                  : null;
    if (pick !== null || (dmy !== null && mdy !== null)) push(pick, m.index, m.index + m[0].length, true);
  }
  return out.sort((x, y) => x.start - y.start);
}

const SLASHED_WITH_YEAR = /(?<![\d.,/])(\d{1,2})[/-](\d{1,2})[/-](?:\d{4}|\d{2})(?!\d)/g;

/**
 * The order unambiguous slashed dates show ("17/03" is day first): `pattern` (global) captures the
 * two leading numbers. Null when none is unambiguous or they disagree.
 */
export function orderShownBy(texts: readonly string[], pattern: RegExp): DateOrder | null {
  let dmy = 0;
  let mdy = 0;
  for (const text of texts) {
    for (const m of text.matchAll(pattern)) {
      const a = Number(m[1]);
      const b = Number(m[2]);
      if (a > 12 && b <= 12) dmy++;
      else if (b > 12 && a <= 12) mdy++;
    }
  }
  if (dmy > 0 && mdy === 0) return 'dmy';
  if (mdy > 0 && dmy === 0) return 'mdy';
  return null;
}

/**
 * The day/month order of a document's slashed and dashed dates. A date that can only be read one
 * way ("17/03/2024", "03/17/2024") settles it; failing that, the language: German, French, Dutch
 * and Spanish write the day first; English does too except in the US, so English needs `usHint`
 * (dollar amounts, a US address). Conflicting evidence, or English without a hint, gives null.
 */
export function dateOrder(
  texts: string[],
  language: string | null,
  usHint: boolean | null,
): DateOrder | null {
  const shown = orderShownBy(texts, SLASHED_WITH_YEAR);
  if (shown) return shown;
  if (language !== null && language !== 'en') return 'dmy';
  if (language === 'en' && usHint !== null) return usHint ? 'mdy' : 'dmy';
  return null;
}
