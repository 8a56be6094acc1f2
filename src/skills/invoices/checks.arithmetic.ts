import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { type CheckResult, fail, pass, unchecked } from './checks.model.ts';
import { formatMoney, roundMoney, within } from './money.ts';

/**
 * Do the document's numbers add up? Lines vs subtotal, subtotal + tax vs total, and quantity ×
 * unit price vs each line. A mismatch usually means a field was misread, so it is a warning the
 * owner sees next to the amount, not a block. Pure.
 */

/** Subtotal + tax vs total: one cent either way (rounding of the tax itself). */
const TOTAL_TOLERANCE = 0.01;
/** Each line may round by up to two cents before it is summed ("0.02 · lines"). */
const PER_LINE_TOLERANCE = 0.02;

export function arithmeticChecks(doc: ExtractedDocument): CheckResult[] {
  return [linesVsSubtotal(doc), subtotalTaxTotal(doc), lineProducts(doc)];
}

function linesVsSubtotal(doc: ExtractedDocument): CheckResult {
  const id = 'arithmetic.lines';
  const cur = doc.currency;
  if (doc.lines.length === 0) return unchecked(id, 'The document lists no line items.');
  const amounts = doc.lines.map((l) => l.amount);
  if (amounts.some((a) => a === null)) return unchecked(id, 'Some line items have no readable amount.');
  const sum = roundMoney((amounts as number[]).reduce((a, b) => a + b, 0));
  const tolerance = Math.max(TOTAL_TOLERANCE, PER_LINE_TOLERANCE * doc.lines.length);
  const data = { lineSum: sum, lines: doc.lines.length, subtotal: doc.subtotal, total: doc.total };
  if (doc.subtotal !== null) {
    if (within(sum, doc.subtotal, tolerance)) {
      return pass(
        id,
        `The ${doc.lines.length} line items add up to the subtotal ${formatMoney(sum, cur)}.`,
        data,
      );
    }
    // Receipts often list gross line prices: the lines then add up to the total instead.
    if (doc.total !== null && within(sum, doc.total, tolerance)) {
      return pass(
        id,
        `The line items add up to the total ${formatMoney(sum, cur)} (gross line prices).`,
        data,
      );
    }
    return fail(
      id,
      'warn',
      `The line items add up to ${formatMoney(sum, cur)}, but the subtotal reads ${formatMoney(doc.subtotal, cur)}.`,
      data,
    );
  }
  if (doc.total !== null) {
    if (within(sum, doc.total, tolerance))
      return pass(id, `The line items add up to the total ${formatMoney(sum, cur)}.`, data);
    if (doc.tax === null) return unchecked(id, 'No subtotal or tax to compare the line items with.', data);
    if (within(sum + doc.tax, doc.total, tolerance)) {
      return pass(id, `The line items plus tax add up to the total ${formatMoney(doc.total, cur)}.`, data);
    }
    return fail(
      id,
      'warn',
      `The line items add up to ${formatMoney(sum, cur)}, which with tax ${formatMoney(doc.tax, cur)} does not make the total ${formatMoney(doc.total, cur)}.`,
      data,
    );
  }
  return unchecked(id, 'No subtotal or total to compare the line items with.', data);
}

function subtotalTaxTotal(doc: ExtractedDocument): CheckResult {
  const id = 'arithmetic.total';
  const { subtotal, tax, total, currency: cur } = doc;
  if (total === null) return unchecked(id, 'The total could not be read.');
  if (subtotal === null)
    return unchecked(id, 'The subtotal could not be read, so the total cannot be recomputed.');
  const data = { subtotal, tax, total };
  if (tax === null) {
    if (within(subtotal, total, TOTAL_TOLERANCE))
      return pass(id, 'No tax; the subtotal equals the total.', data);
    return unchecked(id, 'The tax could not be read, so subtotal and total cannot be reconciled.', data);
  }
  const expected = roundMoney(subtotal + tax);
  if (within(expected, total, TOTAL_TOLERANCE)) {
    return pass(
      id,
      `Subtotal ${formatMoney(subtotal, cur)} + tax ${formatMoney(tax, cur)} = total ${formatMoney(total, cur)}.`,
      data,
    );
  }
  return fail(
    id,
    'warn',
    `Subtotal ${formatMoney(subtotal, cur)} + tax ${formatMoney(tax, cur)} makes ${formatMoney(expected, cur)}, but the total reads ${formatMoney(total, cur)}.`,
    { ...data, expected },
  );
}

function lineProducts(doc: ExtractedDocument): CheckResult {
  const id = 'arithmetic.line_items';
  const checkable = doc.lines
    .map((l, index) => ({ ...l, index }))
    .filter((l) => l.quantity !== null && l.unitPrice !== null && l.amount !== null);
  if (checkable.length === 0)
    return unchecked(id, 'No line item has quantity, unit price and amount all readable.');
  const wrong = checkable.filter((l) => {
    const product = l.quantity! * l.unitPrice!;
    // A unit price rounded to the cent may be off by half a cent per unit.
    const tolerance = Math.max(TOTAL_TOLERANCE, Math.abs(l.quantity!) * 0.005);
    return !within(product, l.amount!, tolerance);
  });
  if (wrong.length === 0)
    return pass(id, `Quantity × unit price matches the amount on ${checkable.length} line(s).`);
  const first = wrong[0]!;
  return fail(
    id,
    'warn',
    `${wrong.length} line(s) do not multiply out, e.g. "${first.description}": ${first.quantity} × ${first.unitPrice} ≠ ${first.amount}.`,
    {
      lines: wrong.map((l) => ({
        index: l.index,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        amount: l.amount,
      })),
    },
  );
}
