/**
 * Line items, best effort and only where a row proves itself: a description followed by quantity
 * and unit price (either order) and an amount equal to their product (or to it less a printed
 * discount percentage). A row that does not add up is not a line item. When the rows found do not
 * add up to the subtotal (or total) the document states, some were missed: none are returned, so
 * that a later "lines vs subtotal" check does not flag a reading gap as a billing error. Pure.
 */
import type { InvoiceLine } from '../extract.model.ts';
import { findDates } from './text.dates.ts';
import type { Line } from './text.lines.ts';
import type { Doc } from './text.model.ts';
import { type AmountToken, findAmounts } from './text.numbers.ts';

const SUMMARY =
  /^(?:sub\s*-?\s*total|total|totaal|summe|gesamt|zwischensumme|netto|brutto|tax|vat|mwst|ust|tva|btw|iva|montant|importe|base|rechnungs|positionssumme|grand|amount|balance|solde|reste)/;

function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= Math.max(0.011, Math.abs(b) * 0.0005);
}

/** Reads one row; null unless quantity × unit price (less a printed discount) equals the amount. */
function row(doc: Doc, line: Line): InvoiceLine | null {
  const folded = doc.folded[line.index] ?? '';
  if (SUMMARY.test(folded)) return null;
  let text = line.text;
  for (const d of findDates(text, doc.order))
    text = text.slice(0, d.start) + ' '.repeat(d.end - d.start) + text.slice(d.end);
  const all = findAmounts(text, doc.habit, doc.spaceGroups);
  const nums = all.filter((t) => !t.percent);
  if (nums.length < 3) return null;
  const amount = nums[nums.length - 1] as AmountToken;
  for (let i = nums.length - 3; i >= 0; i--) {
    const x = nums[i] as AmountToken;
    const y = nums[i + 1] as AmountToken;
    for (const [q, p] of [
      [x, y],
      [y, x],
    ] as const) {
      if (q.decimals > 3 || q.value === 0) continue;
      const gross = q.value * p.value;
      let ok = near(gross, amount.value);
      if (!ok) {
        const discounts = all.filter((t) => t.percent && t.start > y.end && t.end <= amount.start);
        ok = discounts.some((d) => near(gross * (1 - d.value / 100), amount.value));
      }
      if (!ok) continue;
      // The description stands before the numbers, or between quantity and price ("2 ⇥ Stuhl ⇥ 150,00").
      const tidy = (s: string) =>
        s
          .replace(/^\s*\d{1,3}\s+(?=\S)/, '')
          .replace(/\s+/g, ' ')
          .trim();
      const before = tidy(text.slice(0, x.start));
      const between = tidy(text.slice(x.end, y.start));
      const description = /\p{L}{2}/u.test(before) ? before : between;
      if (!/\p{L}{2}/u.test(description)) return null;
      return { description, quantity: q.value, unitPrice: p.value, amount: amount.value };
    }
  }
  return null;
}

/** `expected`: the net subtotal and gross total the document states, to check the rows against. */
export function readItems(
  doc: Doc,
  expected: Array<number | null>,
): { lines: InvoiceLine[]; warnings: string[] } {
  const lines: InvoiceLine[] = [];
  for (const line of doc.lines) {
    const item = row(doc, line);
    if (item) lines.push(item);
    if (lines.length >= 500) break;
  }
  if (lines.length === 0) return { lines, warnings: [] };
  const sum = lines.reduce((s, l) => s + (l.amount ?? 0), 0);
  const targets = expected.filter((v): v is number => v !== null);
  if (targets.length > 0 && !targets.some((t) => near(sum, t))) {
    return {
      lines: [],
      warnings: [
        'line items not read completely (their sum does not match the stated totals); none returned',
      ],
    };
  }
  return { lines, warnings: [] };
}
