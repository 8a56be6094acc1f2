/**
 * Money as the invoice checks and summaries need it. Amounts are numbers in the document's
 * currency (the extraction contract); comparisons go through cents so 0.1 + 0.2 is 0.30. Pure.
 */

/** Minor units per ISO 4217 code (EUR 2, JPY 0, BHD 3), from the runtime's currency data. */
export function fractionDigits(currency: string | null): number {
  if (!currency) return 2;
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** Rounds to cents (or the currency's minor unit). */
export function roundMoney(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round((n + Number.EPSILON * Math.sign(n)) * f) / f;
}

/** |a − b| ≤ tolerance, compared in rounded minor units so float noise never decides. */
export function within(a: number, b: number, tolerance: number): boolean {
  return Math.abs(roundMoney(a - b, 4)) <= tolerance + 1e-9;
}

/** "EUR 1,190.00": the code, then the amount with English grouping and the currency's decimals. */
export function formatMoney(amount: number, currency: string | null): string {
  const digits = fractionDigits(currency);
  const n = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return `${currency ?? '(currency unknown)'} ${n.format(amount)}`;
}

/** A numeric column read back (a string, exact) as a number; null stays null. */
export function fromNumeric(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
