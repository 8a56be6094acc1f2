/**
 * Calendar dates as receipts and payment mails print them: `25/12/2018`, `25-12-18`,
 * `25 DEC 2018`, `05-AUG-2017`, `2018-12-25`, `20181225`, `March 9, 2026`, `9. März 2026`,
 * `9 de marzo de 2026` — English, German, French, Dutch and Spanish month names. Numeric dates
 * are read day first (most of the world) unless only month-first is a valid date; the caller is
 * told when the order was a choice. Pure.
 */
import { repairDigits } from './receipt.text.ts';

export interface FoundDate {
  /** ISO `YYYY-MM-DD`. */
  iso: string;
  raw: string;
  /** Day and month could be swapped (both ≤ 12, numeric): read day first. */
  ambiguous: boolean;
}

const MONTH_NAMES: Array<[number, string[]]> = [
  [1, ['january', 'jan', 'januar', 'jänner', 'janvier', 'janv', 'januari', 'enero', 'ene']],
  [2, ['february', 'feb', 'februar', 'février', 'fevrier', 'févr', 'fevr', 'februari', 'febrero']],
  [3, ['march', 'mar', 'märz', 'maerz', 'mär', 'mars', 'maart', 'mrt', 'marzo']],
  [4, ['april', 'apr', 'avril', 'avr', 'abril', 'abr']],
  [5, ['may', 'mai', 'mei', 'mayo']],
  [6, ['june', 'jun', 'juni', 'juin', 'junio']],
  [7, ['july', 'jul', 'juli', 'juillet', 'juil', 'julio']],
  [8, ['august', 'aug', 'août', 'aout', 'augustus', 'agosto', 'ago']],
  [9, ['september', 'sept', 'sep', 'septembre', 'septiembre', 'setiembre']],
  [10, ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre']],
  [11, ['november', 'nov', 'novembre', 'noviembre']],
  [12, ['december', 'dec', 'dezember', 'dez', 'décembre', 'decembre', 'déc', 'diciembre', 'dic']],
];
const MONTH = new Map<string, number>(
  MONTH_NAMES.flatMap(([n, names]) => names.map((name) => [name, n] as const)),
);
const MONTH_ALT = [...MONTH.keys()].sort((a, b) => b.length - a.length).join('|');

const NUMERIC = /(?<![\d/.-])(\d{1,4})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/-]|\.\d)/g;
const DAY_MONTH_YEAR = new RegExp(
  String.raw`(?<![\p{L}\d])(\d{1,2})(?:\.|er|st|nd|rd|th)?[\s/.-]*(?:de\s+)?(${MONTH_ALT})\.?[\s/.,-]*(?:de\s+)?(\d{4}|\d{2})(?!\d)`,
  'giu',
);
const MONTH_DAY_YEAR = new RegExp(
  String.raw`(?<![\p{L}])(${MONTH_ALT})\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)(\d{4})(?!\d)`,
  'giu',
);
const COMPACT = /(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)/g;

/**
 * A two-digit year is 2000–2049, or 1950–1999 (then rejected by `isoDate` below 1990): "12/13/72"
 * is an OCR-misread "2016", not a sale in 2072.
 */
function fullYear(y: string): number {
  const n = Number(y);
  if (y.length !== 2) return n;
  return n < 50 ? 2000 + n : 1900 + n;
}

/** ISO date when y-m-d is a real calendar date between 1990 and 2099, else null. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (year < 1990 || year > 2099 || month < 1 || month > 12 || day < 1) return null;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > last) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function numeric(m: RegExpMatchArray): FoundDate | null {
  const [raw, a, , b, c] = m as unknown as [string, string, string, string, string];
  if (a.length === 4) {
    const iso = isoDate(Number(a), Number(b), Number(c));
    return iso ? { iso, raw, ambiguous: false } : null;
  }
  if (a.length > 2 || (c.length !== 2 && c.length !== 4)) return null;
  const year = fullYear(c);
  const dayFirst = isoDate(year, Number(b), Number(a));
  const monthFirst = isoDate(year, Number(a), Number(b));
  // Dotted dates (05.03.2024) are day-first wherever they are written; only / and - can be US order.
  if (dayFirst) return { iso: dayFirst, raw, ambiguous: Boolean(monthFirst) && a !== b && m[2] !== '.' };
  return monthFirst ? { iso: monthFirst, raw, ambiguous: false } : null;
}

/**
 * Every date in `text`, left to right. Compact `YYYYMMDD` is only read when `compact` is set
 * (next to a date label), since a bare eight-digit number is usually something else.
 */
export function findDates(text: string, opts: { compact?: boolean } = {}): FoundDate[] {
  // OCR drops the space between a date and the time after it: "25/12/201810:30".
  const s = repairDigits(text).replace(/(?<=[/.-](?:19|20)\d{2})(?=\d{1,2}:\d{2})/g, ' ');
  const found: Array<FoundDate & { at: number }> = [];
  const push = (at: number, d: FoundDate | null) => {
    if (d && !found.some((f) => Math.abs(f.at - at) < 3)) found.push({ ...d, at });
  };
  for (const m of s.matchAll(DAY_MONTH_YEAR)) {
    const month = MONTH.get(m[2]!.toLowerCase());
    push(m.index, isoOf(fullYear(m[3]!), month, Number(m[1]), m[0]));
  }
  for (const m of s.matchAll(MONTH_DAY_YEAR)) {
    push(m.index, isoOf(Number(m[3]), MONTH.get(m[1]!.toLowerCase()), Number(m[2]), m[0]));
  }
  for (const m of s.matchAll(NUMERIC)) push(m.index, numeric(m));
  if (opts.compact) {
    for (const m of s.matchAll(COMPACT)) push(m.index, isoOf(Number(m[1]), Number(m[2]), Number(m[3]), m[0]));
  }
  return found.sort((x, y) => x.at - y.at).map(({ at: _at, ...d }) => d);
}

function isoOf(year: number, month: number | undefined, day: number, raw: string): FoundDate | null {
  const iso = month ? isoDate(year, month, day) : null;
  return iso ? { iso, raw: raw.trim(), ambiguous: false } : null;
}

// What OCR reads for a date's separator: the separator, a space, or a look-alike of the slash
// ("1", "l", "I", "|"). Never nothing: "212017" is not a date.
const GARBLED_SEP = String.raw`[/.\-\s1lI|]`;
const garbled = (dayLen: number, monthLen: number) =>
  new RegExp(
    String.raw`(?<![\d/.-])(\d{${dayLen}})${GARBLED_SEP}(\d{${monthLen}})${GARBLED_SEP}((?:19|20)\d{2})(?!\d)`,
    'y',
  );
const GARBLED_SPLITS = [1, 2].flatMap((d) => [1, 2].map((m) => garbled(d, m)));

/**
 * A day-month-year date whose separators OCR garbled ("04/1 212017" for 04/12/2017, "18 4/2017"
 * for 18/4/2017). Meant for the text after a date label when `findDates` found nothing there.
 * The year must have four digits. Every split of the digits is tried, on the text as read and
 * with each space between two digits dropped in turn; a date is returned only when all the valid
 * splits agree on it, else null.
 */
export function findGarbledDate(text: string): FoundDate | null {
  const s = repairDigits(text);
  const gaps = [...s.matchAll(/(?<=\d) (?=\d)/g)].map((m) => m.index);
  const variants = [s, ...gaps.map((at) => s.slice(0, at) + s.slice(at + 1))];
  const dates = new Map<string, string>();
  for (const variant of variants) {
    for (let at = 0; at < variant.length; at++) {
      for (const re of GARBLED_SPLITS) {
        re.lastIndex = at;
        const m = re.exec(variant);
        const iso = m ? isoDate(Number(m[3]), Number(m[2]), Number(m[1])) : null;
        if (iso && !dates.has(iso)) dates.set(iso, m![0]);
      }
    }
  }
  const only = dates.size === 1 ? [...dates][0] : undefined;
  return only ? { iso: only[0], raw: only[1].trim(), ambiguous: false } : null;
}

// Digits OCR reads for another in a faint print, each with what it may have been.
const MISREAD: Record<string, string[]> = {
  '4': ['1'],
  '7': ['1'],
  '9': ['0'],
  '8': ['3', '6', '0'],
  '3': ['8'],
};
const DATE_SHAPE = /(?<![\d/.-])\d{2}([/.-])\d{2}\1(?:19|20)\d{2}(?!\d)/g;

/**
 * A date with one day or month digit misread into an impossible date ("42/13/2016" for
 * 12/13/2016: a 1 read as a 4). Each single substitution OCR commonly makes is tried; a date is
 * returned only when all the valid corrections agree on it, else null. For the same places as
 * `findGarbledDate`.
 */
export function findMisreadDate(text: string): FoundDate | null {
  const s = repairDigits(text);
  const dates = new Map<string, FoundDate>();
  for (const [raw] of s.matchAll(DATE_SHAPE)) {
    if (findDates(raw).length) continue;
    for (const k of [0, 1, 3, 4]) {
      for (const digit of MISREAD[raw[k]!] ?? []) {
        for (const d of findDates(raw.slice(0, k) + digit + raw.slice(k + 1))) {
          if (!dates.has(d.iso)) dates.set(d.iso, { ...d, raw });
        }
      }
    }
  }
  return dates.size === 1 ? [...dates.values()][0]! : null;
}
