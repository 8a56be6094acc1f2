/**
 * Calendar dates as receipts and payment mails print them: `25/12/2018`, `25-12-18`,
 * `25 DEC 2018`, `05-AUG-2017`, `2018-12-25`, `20181225`, `March 9, 2026`, `9. März 2026`,
 * `9 de marzo de 2026` — English, Malay, German, French, Dutch and Spanish month names. Numeric
 * dates are read day first (most of the world) unless only month-first is a valid date; the caller
 * is told when the order was a choice. Pure.
 */
import { repairDigits } from './receipt.text.ts';

export interface FoundDate {
  /** ISO `YYYY-MM-DD`. */
  iso: string;
  raw: string;
  /** Day and month could be swapped (both ≤ 12, numeric): read day first. */
  ambiguous: boolean;
  /** Read through OCR damage (a month name with one misread letter, "27 Mat 2018"): less sure. */
  damaged?: boolean;
}

/** A date found in a line, with the text before it: what labels it ("Date:", "Due:", "Print Date"). */
export interface LocatedDate extends FoundDate {
  /** The line's text before the date (as read for dates: OCR's letter-for-digit slips repaired). */
  before: string;
  /** The part of `before` after the previous date on the line: the date's own label. */
  since: string;
}

const MONTH_NAMES: Array<[number, string[]]> = [
  [1, ['january', 'jan', 'januar', 'jänner', 'janvier', 'janv', 'januari', 'enero', 'ene']],
  [2, ['february', 'feb', 'februar', 'février', 'fevrier', 'févr', 'fevr', 'februari', 'febrero']],
  [3, ['march', 'mar', 'märz', 'maerz', 'mär', 'mars', 'maart', 'mrt', 'marzo', 'mac']],
  [4, ['april', 'apr', 'avril', 'avr', 'abril', 'abr']],
  [5, ['may', 'mai', 'mei', 'mayo']],
  [6, ['june', 'jun', 'juni', 'juin', 'junio']],
  [7, ['july', 'jul', 'juli', 'juillet', 'juil', 'julio', 'julai']],
  [8, ['august', 'aug', 'août', 'aout', 'augustus', 'agosto', 'ago', 'ogos', 'ogo']],
  [9, ['september', 'sept', 'sep', 'septembre', 'septiembre', 'setiembre']],
  [10, ['october', 'oct', 'oktober', 'okt', 'octobre', 'octubre']],
  [11, ['november', 'nov', 'novembre', 'noviembre']],
  [
    12,
    [
      'december',
      'dec',
      'dezember',
      'dez',
      'décembre',
      'decembre',
      'déc',
      'diciembre',
      'dic',
      'disember',
      'dis',
    ],
  ],
];
const MONTH = new Map<string, number>(
  MONTH_NAMES.flatMap(([n, names]) => names.map((name) => [name, n] as const)),
);
const MONTH_ALT = [...MONTH.keys()].sort((a, b) => b.length - a.length).join('|');

// Not after a digit or a slash, nor after a digit and a point or dash ("1.25/12/2018" is no date),
// but after a label's punctuation ("Date:-25/12/2018").
const NOT_AFTER_NUMBER = String.raw`(?<![\d/])(?<!\d[.-])`;
const NUMERIC = new RegExp(
  String.raw`${NOT_AFTER_NUMBER}(\d{1,4})\s?([/.-])\s?(\d{1,2})\s?\2\s?(\d{4}|\d{2})(?![\d/-]|\.\d)`,
  'g',
);
// Two different separators, which OCR makes of one ("28.08/2017"): only with a four-digit year.
const MIXED = new RegExp(
  String.raw`${NOT_AFTER_NUMBER}(\d{1,2})\s?([/.-])\s?(\d{1,2})\s?([/.-])\s?((?:19|20)\d{2})(?![\d/-]|\.\d)`,
  'g',
);
const DAY_MONTH_YEAR = new RegExp(
  String.raw`(?<![\p{L}\d])(\d{1,2})(?:\.|er|st|nd|rd|th)?[\s/.-]*(?:de\s+)?(${MONTH_ALT})\.?[\s/.,-]*(?:de\s+)?(\d{4}|\d{2})(?!\d)`,
  'giu',
);
const MONTH_DAY_YEAR = new RegExp(
  String.raw`(?<![\p{L}])(${MONTH_ALT})\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?:,\s*|\s+)(\d{4})(?!\d)`,
  'giu',
);
const COMPACT = /(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)/g;
// A word between a day and a year, set apart by separators, that may be a misread month name.
const DAY_WORD_YEAR =
  /(?<![\p{L}\d])(\d{1,2})[\s/.-]+([\p{L}\d@$|!(+]{3,9})\.?[\s/.,-]+((?:19|20)\d{2}|\d{2})(?!\d)/gu;
// A month name glued to the day or the year ("12OCT2018", "05Jul2018").
const GLUED_MONTH = new RegExp(
  String.raw`(?<=\d)(?:${MONTH_ALT})(?!\p{L})|(?<![\p{L}])(?:${MONTH_ALT})(?=\d)`,
  'giu',
);

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

/** Day and month in either order, day first when both are valid. Dotted dates are never US order. */
function dayOrMonthFirst(raw: string, a: string, b: string, year: number, dotted: boolean): FoundDate | null {
  const dayFirst = isoDate(year, Number(b), Number(a));
  const monthFirst = isoDate(year, Number(a), Number(b));
  if (dayFirst) return { iso: dayFirst, raw, ambiguous: Boolean(monthFirst) && a !== b && !dotted };
  return monthFirst ? { iso: monthFirst, raw, ambiguous: false } : null;
}

function numeric(m: RegExpMatchArray): FoundDate | null {
  const [raw, a, , b, c] = m as unknown as [string, string, string, string, string];
  if (a.length === 4) {
    const iso = isoDate(Number(a), Number(b), Number(c));
    return iso ? { iso, raw, ambiguous: false } : null;
  }
  if (a.length > 2 || (c.length !== 2 && c.length !== 4)) return null;
  // Dotted dates (05.03.2024) are day-first wherever they are written; only / and - can be US order.
  return dayOrMonthFirst(raw, a, b, fullYear(c), m[2] === '.');
}

// What OCR prints for each letter of a month name when it misreads one: r/t, l/1/i, O/0/Q, S/5,
// G/6/C, B/8… For the month names only, so a misread word is not read as a month.
const OCR_READS: Record<string, string> = {
  a: 'oe@4',
  b: '86h',
  c: 'eo(g0',
  d: 'o0',
  e: 'co',
  f: 'tr',
  g: '69qc',
  i: '1l|!j',
  j: 'il1;',
  l: '1i|!',
  m: 'n',
  n: 'mhu',
  o: '0qdcu',
  p: 'b',
  r: 'tfn',
  s: '5$',
  t: 'rfl1+',
  u: 'von',
  v: 'uy',
  y: 'v',
};
const MONTH_SPELLINGS: Array<[number, string]> = MONTH_NAMES.flatMap(([n, names]) =>
  names.filter((name) => /^[a-z]+$/.test(name)).map((name) => [n, name] as [number, string]),
);

/**
 * The month a word names with at most one letter misread the way OCR misreads it ("Mat" for
 * "Mar", "N0V", "AU6"), when exactly one month fits; else undefined.
 */
export function misreadMonth(word: string): number | undefined {
  const w = word.toLowerCase();
  if (MONTH.has(w) || (w.match(/\p{L}/gu)?.length ?? 0) < 2) return undefined;
  const months = new Set<number>();
  for (const [n, name] of MONTH_SPELLINGS) {
    if (name.length !== w.length) continue;
    const diffs = [...name].filter((c, i) => c !== w[i]);
    if (diffs.length === 1 && [...name].every((c, i) => c === w[i] || OCR_READS[c]?.includes(w[i]!)))
      months.add(n);
  }
  return months.size === 1 ? [...months][0] : undefined;
}

/**
 * The digits of a date as OCR read them, repaired: a month name glued to its day or year set
 * apart first, or the digit repair would read its O, D, S or l as a digit ("12OCT2018" →
 * "120CT2018"); look-alike letters in numbers rewritten (receipt.text.ts), and Z read as 2; long
 * dashes ("25—12—2018") read as hyphens.
 */
function repairDateDigits(text: string): string {
  return repairDigits(text.replace(GLUED_MONTH, ' $& ').replace(/[\u2010-\u2015\u2212]/g, '-')).replace(
    /(?<![A-Za-z])[Zz](?=\d)|(?<=\d)[Zz](?![A-Za-z])/g,
    '2',
  );
}

/** The text as dates are read from it: digits repaired, a time glued to the date split off. */
function forDates(text: string): string {
  return (
    repairDateDigits(text)
      // OCR drops the space between a date and the time after it: "25/12/201810:30", "2018-01-0522:55".
      .replace(/(?<=[/.-](?:19|20)\d{2}|(?:19|20)\d{2}[/.-]\d{2}[/.-]\d{2})(?=\d{1,2}:\d{2})/g, ' ')
      // …"26/02/1808:28" too, unless the digits would make a four-digit year ("25/12/2019:30").
      .replace(/(?<![\d/])(\d{1,2}[/.-]\d{1,2}[/.-])(\d{2})(\d{2})(?=:\d{2})/g, (all, dm, yy, hh) =>
        yy === '19' || yy === '20' ? all : `${dm}${yy} ${hh}`,
      )
  );
}

/**
 * Every date in `text`, left to right, each with the text before it. Compact `YYYYMMDD` is only
 * read when `compact` is set (next to a date label), since a bare eight-digit number is usually
 * something else. A month name with one letter OCR misread is read too, marked `damaged`.
 */
export function findDates(text: string, opts: { compact?: boolean } = {}): LocatedDate[] {
  const s = forDates(text);
  const found: Array<FoundDate & { at: number; end: number }> = [];
  const push = (at: number, length: number, d: FoundDate | null) => {
    const end = at + length;
    if (d && !found.some((f) => at < f.end && f.at < end)) found.push({ ...d, at, end });
  };
  for (const m of s.matchAll(DAY_MONTH_YEAR)) {
    const month = MONTH.get(m[2]!.toLowerCase());
    push(m.index, m[0].length, isoOf(fullYear(m[3]!), month, Number(m[1]), m[0]));
  }
  for (const m of s.matchAll(MONTH_DAY_YEAR)) {
    push(m.index, m[0].length, isoOf(Number(m[3]), MONTH.get(m[1]!.toLowerCase()), Number(m[2]), m[0]));
  }
  for (const m of s.matchAll(NUMERIC)) push(m.index, m[0].length, numeric(m));
  for (const m of s.matchAll(MIXED)) {
    push(
      m.index,
      m[0].length,
      dayOrMonthFirst(m[0], m[1]!, m[3]!, Number(m[5]), m[2] === '.' && m[4] === '.'),
    );
  }
  if (opts.compact) {
    for (const m of s.matchAll(COMPACT)) {
      push(m.index, m[0].length, isoOf(Number(m[1]), Number(m[2]), Number(m[3]), m[0]));
    }
  }
  for (const m of s.matchAll(DAY_WORD_YEAR)) {
    const d = isoOf(fullYear(m[3]!), misreadMonth(m[2]!), Number(m[1]), m[0]);
    push(m.index, m[0].length, d && { ...d, damaged: true });
  }
  found.sort((x, y) => x.at - y.at);
  return found.map(({ at, end: _end, ...d }, i) => ({
    ...d,
    before: s.slice(0, at),
    since: s.slice(i ? found[i - 1]!.end : 0, at),
  }));
}

function isoOf(year: number, month: number | undefined, day: number, raw: string): FoundDate | null {
  const iso = month ? isoDate(year, month, day) : null;
  return iso ? { iso, raw: raw.trim(), ambiguous: false } : null;
}

// What OCR reads for a date's separator: the separator, a space, or a look-alike of the slash
// ("1", "l", "I", "|"). Never nothing, unless two-digit day and month leave one split only:
// "212017" is not a date, "28082017" is.
const GARBLED_SEP = String.raw`[/.\-\s1lI|]`;
const garbled = (dayLen: number, monthLen: number) =>
  new RegExp(
    String.raw`(?<![\d/.-])(\d{${dayLen}})${GARBLED_SEP}(\d{${monthLen}})${GARBLED_SEP}((?:19|20)\d{2})(?!\d)`,
    'y',
  );
const GARBLED_SPLITS = [
  ...[1, 2].flatMap((d) => [1, 2].map((m) => garbled(d, m))),
  // Separators lost where two-digit day and month leave no doubt: "2808/2017", "28/082017",
  // "28082017".
  /(?<![\d/.-])(\d{2})(\d{2})[/.-]((?:19|20)\d{2})(?!\d)/y,
  /(?<![\d/.-])(\d{2})[/.-](\d{2})((?:19|20)\d{2})(?!\d)/y,
  /(?<![\d/.-])(\d{2})(\d{2})((?:19|20)\d{2})(?!\d)/y,
];

/**
 * A day-month-year date whose separators OCR garbled ("04/1 212017" for 04/12/2017, "18 4/2017"
 * for 18/4/2017, "2808/2017" for 28/08/2017). Meant for the text after a date label when
 * `findDates` found nothing there. The year must have four digits. Every split of the digits is tried, on the text as read and
 * with each space between two digits dropped in turn; a date is returned only when all the valid
 * splits agree on it, else null.
 */
export function findGarbledDate(text: string): FoundDate | null {
  const s = repairDateDigits(text);
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
  '7': ['1', '2'],
  '9': ['0'],
  '8': ['3', '6', '0'],
  '3': ['8'],
};
const DATE_SHAPE = /(?<![\d/.-])\d{2}([/.-])\d{2}\1\d{4}(?!\d)/g;

/**
 * A date with one digit of the day, the month or the century misread into an impossible date
 * ("42/13/2016" for 12/13/2016: a 1 read as a 4; "28/08/7017" for 28/08/2017: a 2 read as a 7).
 * Each single substitution OCR commonly makes is tried; a date is returned only when all the
 * valid corrections agree on it, else null. For the same places as `findGarbledDate`.
 */
export function findMisreadDate(text: string): FoundDate | null {
  const s = repairDateDigits(text);
  const dates = new Map<string, FoundDate>();
  for (const [raw] of s.matchAll(DATE_SHAPE)) {
    if (findDates(raw).length) continue;
    for (const k of [0, 1, 3, 4, 6, 7]) {
      for (const digit of MISREAD[raw[k]!] ?? []) {
        for (const d of findDates(raw.slice(0, k) + digit + raw.slice(k + 1))) {
          if (!dates.has(d.iso)) dates.set(d.iso, { ...d, raw });
        }
      }
    }
  }
  return dates.size === 1 ? [...dates.values()][0]! : null;
}

// A clock time, as receipts print it after the sale date.
const CLOCK = String.raw`(?:[01]?\d|2[0-3])\s?:\s?[0-5]\d(?!\d)`;
const LOOSE_SEP = String.raw`(\s*[/.-]\s*|\s+)`;
const BEFORE_TIME = new RegExp(
  String.raw`(?<![\d/.-])(\d{1,2})${LOOSE_SEP}(\d{1,2})${LOOSE_SEP}((?:19|20)\d{2}|\d{2})\s+(?=${CLOCK})`,
  'g',
);

/**
 * A date printed just before the time of the sale whose separator OCR read as a space or a
 * point and a space ("24 11-17 13:11", "18. 03-18 15:12"). One of the two separators must have
 * survived. For the same places as `findGarbledDate`; the text keeps its times.
 */
export function findDateBeforeTime(text: string): FoundDate | null {
  const dates = new Map<string, FoundDate>();
  for (const m of repairDateDigits(text).matchAll(BEFORE_TIME)) {
    const [raw, a, sep1, b, sep2, c] = m as unknown as string[];
    if (!/[/.-]/.test(sep1! + sep2!)) continue;
    const d = dayOrMonthFirst(raw!.trim(), a!, b!, fullYear(c!), false);
    if (d && !dates.has(d.iso)) dates.set(d.iso, d);
  }
  return dates.size === 1 ? [...dates.values()][0]! : null;
}
