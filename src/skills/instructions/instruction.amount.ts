/**
 * Money as owners write it in an instruction: "$500", "500 USD", "€1,000", "1.000,00 EUR",
 * "EUR 2 500", "5k", "200 euros". Pure.
 */

/** An amount and its ISO 4217 currency, null when the text names none. */
export interface Money {
  value: number;
  currency: string | null;
}

/** A limit found in text: `max` for "under/up to/or less", `min` for "over/at least/or more". */
export interface AmountLimit extends Money {
  bound: 'max' | 'min';
  /** The matched text, so callers can cut it out of the sentence. */
  match: string;
  index: number;
}

const SYMBOLS: Record<string, string> = {
  us$: 'USD',
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  ca$: 'CAD',
  a$: 'AUD',
  chf: 'CHF',
  'fr.': 'CHF',
};
const WORDS: Record<string, string> = {
  dollar: 'USD',
  dollars: 'USD',
  bucks: 'USD',
  euro: 'EUR',
  euros: 'EUR',
  pound: 'GBP',
  pounds: 'GBP',
  franc: 'CHF',
  francs: 'CHF',
};
/** Codes we recognise when written out; a closed list so "the ACME invoices" is not a currency. */
const CODE_LIST = 'USD EUR GBP CHF JPY CAD AUD NZD SEK NOK DKK PLN CZK HUF INR CNY HKD SGD BRL MXN ZAR';
const CODES = new Set(CODE_LIST.split(' '));

const CODE = `(?:${CODE_LIST.replace(/ /g, '|')})(?![A-Za-z])`;
const SYM = `US\\$|CA\\$|A\\$|\\$|€|£|¥|₹|Fr\\.`;
// Grouped thousands ("1,000", "1.000,00", "2 500", "1'000") or a plain number with ≤2 decimals.
const NUM = `\\d{1,3}(?:[,.' ]\\d{3})+(?:[.,]\\d{1,2})?|\\d+(?:[.,]\\d{1,2})?`;
const AFTER = `${SYM}|${CODE}|dollars?\\b|bucks\\b|euros?\\b|pounds?\\b|francs?\\b`;
/** One amount with an optional currency before or after and an optional `k` (thousands). */
export const AMOUNT = `(?:(?:${SYM}|${CODE})\\s?)?(?:${NUM})(?:\\s?k\\b)?(?:\\s?(?:${AFTER}))?`;

/** Reads a number written with either thousands convention. */
export function parseNumber(raw: string): number | null {
  const s = raw.replace(/[' ]/g, '');
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  let normal: string;
  if (lastComma >= 0 && lastDot >= 0) {
    // Both present: the later one is the decimal separator ("1,000.50", "1.000,50").
    const decimal = lastComma > lastDot ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    normal = s.split(group).join('').replace(decimal, '.');
  } else if (lastComma >= 0 || lastDot >= 0) {
    const sep = lastComma >= 0 ? ',' : '.';
    const parts = s.split(sep);
    // One separator followed by exactly three digits groups thousands ("1,000", "1.000").
    const grouping = parts.slice(1).every((p) => p.length === 3);
    normal = grouping ? parts.join('') : parts.join('.');
  } else normal = s;
  const n = Number(normal);
  return Number.isFinite(n) ? n : null;
}

function currencyOf(token: string | undefined): string | null {
  if (!token) return null;
  const t = token.trim().toLowerCase();
  const code = token.trim().toUpperCase();
  return SYMBOLS[t] ?? WORDS[t] ?? (CODES.has(code) ? code : null);
}

/** Parses one amount as matched by `AMOUNT`; null when it is not money-shaped. */
export function parseMoney(text: string): Money | null {
  const m = new RegExp(`^(?:(${SYM}|${CODE})\\s?)?(${NUM})(\\s?k\\b)?(?:\\s?(${AFTER}))?$`, 'iu').exec(
    text.trim(),
  );
  if (!m?.[2]) return null;
  const before = m[1] === undefined ? null : currencyOf(m[1]);
  const after = m[4] === undefined ? null : currencyOf(m[4]);
  if (before && after && before !== after) return null;
  const n = parseNumber(m[2]);
  if (n === null) return null;
  return { value: m[3] ? n * 1000 : n, currency: before ?? after };
}

const MAX_WORDS = `under|below|less than|lower than|up to|upto|at most|no more than|not more than|not over|not above|not exceeding|maximum(?: of)?|max\\.?|<=|<|≤`;
const MIN_WORDS = `over|above|more than|greater than|higher than|exceeding|at least|starting at|from|>=|>|≥`;
const MAX_AFTER = `or less|or under|or below|and under|and below|max`;
const MIN_AFTER = `or more|or above|or over|and up|and above|and over|plus`;

/**
 * The first amount limit in `text` ("under $500", "over €1,000", "1.000,00 EUR or more").
 * A bare amount without a limit word is not a limit and returns null.
 */
export function findAmountLimit(text: string): AmountLimit | null {
  const patterns: Array<[RegExp, 'max' | 'min', 'pre' | 'post']> = [
    [new RegExp(`\\b(?:${MAX_WORDS})\\s*(?:of\\s+)?(${AMOUNT})`, 'iu'), 'max', 'pre'],
    [new RegExp(`\\b(?:${MIN_WORDS})\\s*(?:of\\s+)?(${AMOUNT})`, 'iu'), 'min', 'pre'],
    [new RegExp(`(${AMOUNT})\\s+(?:${MAX_AFTER})\\b`, 'iu'), 'max', 'post'],
    [new RegExp(`(${AMOUNT})\\s+(?:${MIN_AFTER})\\b`, 'iu'), 'min', 'post'],
  ];
  let best: AmountLimit | null = null;
  for (const [re, bound] of patterns) {
    const m = re.exec(text);
    if (!m?.[1]) continue;
    const money = parseMoney(m[1]);
    if (!money) continue;
    if (!best || m.index < best.index) best = { ...money, bound, match: m[0], index: m.index };
  }
  return best;
}

/** Every amount written in `text`, for checking a model's numbers against the owner's words. */
export function amountsIn(text: string): Money[] {
  const out: Money[] = [];
  for (const m of text.matchAll(new RegExp(AMOUNT, 'giu'))) {
    const money = parseMoney(m[0]);
    if (money) out.push(money);
  }
  return out;
}
