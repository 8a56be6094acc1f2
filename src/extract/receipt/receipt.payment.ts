/**
 * What the payment lines of a receipt prove about its total. Cash handed over minus the change
 * given is the total; so is a card charge (cards are charged the exact amount), and cash with
 * "change 0.00". Cash with no change line proves nothing: people hand over round notes. Pure.
 */
import type { Amount } from './receipt.amount.ts';
import type { AmountRole } from './receipt.labels.ts';
import type { Line } from './receipt.text.ts';

/** One labelled amount line of a receipt. */
export interface Entry {
  line: Line;
  role: AmountRole;
  amount: Amount;
  /** Why the role was inferred rather than read from a label; becomes a warning when chosen. */
  note?: string;
}

export interface PaidAmount {
  value: number;
  /** The tender line the amount was read from. */
  line: Line;
  currencyMark: string | null;
}

const CENT = 0.005;
export const same = (a: number, b: number) => Math.abs(a - b) < CENT;

const CARD = /card|visa|master|amex|credit|debit|\bedc\b|eftpos|carte|tarjeta|\bpin\b|\bec\b/i;

// Cash handed over and change are sizes, whatever sign OCR gave them ("CASH -50.00").
export const valuesOf = (entries: Entry[], role: AmountRole) =>
  entries
    .filter((e) => e.role === role)
    .map((e) => (role === 'tendered' || role === 'change' ? Math.abs(e.amount.value) : e.amount.value));

/** Amounts the payment lines settle exactly, first tender first. */
export function paidAmounts(entries: Entry[]): PaidAmount[] {
  const change = valuesOf(entries, 'change');
  const out: PaidAmount[] = [];
  for (const t of entries.filter((e) => e.role === 'tendered')) {
    const given = Math.abs(t.amount.value);
    const values = change.length ? change.map((c) => given - c) : CARD.test(t.line.text) ? [given] : [];
    for (const v of values) {
      const value = Math.round(v * 100) / 100;
      if (value > 0 && !out.some((o) => same(o.value, value)))
        out.push({ value, line: t.line, currencyMark: t.amount.currencyMark });
    }
  }
  return out;
}
