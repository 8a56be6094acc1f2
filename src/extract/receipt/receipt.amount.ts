/**
 * Money amounts as printed on receipts and in mail bodies, in either decimal convention
 * ("1,190.00", "1.190,00", "1 190,00", "RM10,14" misread for 10.14), tolerant of a stray space
 * after the decimal point ("85. 54"), which OCR inserts often. Pure.
 */
import { repairDigits } from './receipt.text.ts';

export interface Amount {
  value: number;
  /** The characters the amount was read from (after digit repair). */
  raw: string;
  /** Offset of `raw` in the repaired string. */
  at: number;
  /** A currency sign or code printed right before it ("RM", "$", "EUR"), upper-cased. */
  currencyMark: string | null;
}

// A currency mark, and a minus sign between it and the number ("RM -0.02", "RM-0.20").
const MARK = String.raw`(?:(RM|MYR|USD|US\$|EUR|GBP|CHF|SGD|S\$|AUD|A\$|CAD|C\$|NZD|INR|Rs\.?|[$€£¥₹])\s?(-\s?)?)?`;
// Integer part: grouped thousands or plain digits; then a decimal separator and two digits.
// A space groups thousands only before a decimal comma ("1 190,00", French style): on a receipt
// "2 100.00" is a quantity and a price, not two thousand one hundred.
const DECIMAL = String.raw`(\d{1,3}(?:[.,']\d{3})+|\d{1,3}(?: \d{3})+(?=,\d{2})|\d+)\s?[.,]\s?(\d{2})(?![\d%]|[.,/-]\d)`;
const WITH_DECIMALS = new RegExp(String.raw`(?<![\d.,])${MARK}${DECIMAL}`, 'gi');
// Whole amounts count only with a currency mark ("$29", "€ 1.190"): a bare "12" is a quantity.
const WHOLE = /(?<![\d.,])(RM|USD|EUR|GBP|[$€£])\s?(-)?(\d{1,3}(?:[.,]\d{3})+|\d+)(?![\d.,%]|\s?[.,]\s?\d)/gi;

/**
 * A minus sign right before the amount makes it negative ("Rounding -0.02"), unless it ends a
 * rule of dashes ("Total —~—-35.00") or stands apart ("Total - 7.42"): those are separators.
 */
function minusBefore(s: string, at: number): boolean {
  return s[at - 1] === '-' && !/[-—–~=_]/.test(s[at - 2] ?? '');
}

function toNumber(intPart: string, cents: string): number {
  return Number(`${intPart.replace(/[.,' ]/g, '')}.${cents}`);
}

/** Every amount in `text`, left to right. Never throws. */
export function findAmounts(text: string): Amount[] {
  const s = repairDigits(text);
  const found: Amount[] = [];
  for (const m of s.matchAll(WITH_DECIMALS)) {
    const negative = Boolean(m[2]) || minusBefore(s, m.index);
    const value = toNumber(m[3]!, m[4]!) * (negative ? -1 : 1);
    found.push({ value, raw: m[0].trim(), at: m.index, currencyMark: m[1]?.toUpperCase() ?? null });
  }
  for (const m of s.matchAll(WHOLE)) {
    if (found.some((f) => f.at <= m.index && m.index < f.at + f.raw.length)) continue;
    const negative = Boolean(m[2]) || minusBefore(s, m.index);
    const value = Number(m[3]!.replace(/[.,]/g, '')) * (negative ? -1 : 1);
    found.push({ value, raw: m[0].trim(), at: m.index, currencyMark: m[1]!.toUpperCase() });
  }
  return found.sort((a, b) => a.at - b.at).filter((a) => Number.isFinite(a.value));
}

/** The last (rightmost) amount of a line: on receipts the value column is on the right. */
export function lastAmount(text: string): Amount | null {
  return findAmounts(text).at(-1) ?? null;
}
