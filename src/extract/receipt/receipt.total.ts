/**
 * Which of a receipt's printed amounts is the total, and which are the subtotal and the tax.
 * Receipts print several totals (before and after tax, before and after cash rounding) next to
 * cash handed over and change. The most final label wins, and the arithmetic the receipt itself
 * states — subtotal + tax (+ rounding) = total, cash − change = total, a card charged the total —
 * confirms one candidate over another when OCR garbled a label or a digit. Pure.
 */
import { type Amount, findAmounts } from './receipt.amount.ts';
import { type AmountRole, amountRole, TOTAL_RANK } from './receipt.labels.ts';
import { lostPointTotal } from './receipt.lost-point.ts';
import { type Entry, paidAmounts, same, valuesOf } from './receipt.payment.ts';
import { type Line, repairDigits } from './receipt.text.ts';

export interface Pick {
  value: number;
  line: Line;
  confidence: number;
  currencyMark: string | null;
}

export interface MoneyFields {
  total: Pick | null;
  subtotal: Pick | null;
  tax: Pick | null;
  warnings: string[];
}

const CENT = 0.005;

const AMOUNT_ONLY = /^[^A-Za-z]*(?:RM|MYR|USD|EUR|GBP)?[^A-Za-z]*$/;
/** The column headers of the items table ("ITEM QTY U/P AMOUNT"): the line below is an item, not the amount. */
const TABLE_HEADER =
  /\b(?:qty|quantity|price|item|description|desc|u\/p|unit|menge|preis|prix|qté|aantal|prijs|cantidad|precio)\b/i;

/** The amount a labelled line carries: its rightmost one, or the next line's when that line is only an amount. */
function lineAmount(lines: Line[], i: number): Amount | null {
  const own = findAmounts(lines[i]!.text);
  const last = own.at(-1);
  if (last) {
    // A "Total" row with a base and a smaller tax after it is a tax-summary table row.
    if (own.length >= 2 && Math.abs(own.at(-2)!.value) > Math.abs(last.value)) return null;
    return last;
  }
  const next = lines[i + 1];
  if (TABLE_HEADER.test(lines[i]!.text)) return null;
  if (!next || amountRole(next.text) || !AMOUNT_ONLY.test(next.text)) return null;
  return findAmounts(next.text).at(-1) ?? null;
}

/**
 * Two label–amount pairs side by side on one line: OCR reads a two-column block row by row
 * ("TOTAL SAVING: 0.00 TOTAL 6.85", "Cash 50.00 Change 9.00"). Each amount takes the label
 * printed between it and the amount before it. Null unless at least two amounts have a label of
 * their own (an item row or a tax-summary row has one label, or none).
 */
function labelledPairs(line: Line): Array<{ role: AmountRole; amount: Amount }> | null {
  const amounts = findAmounts(line.text);
  if (amounts.length < 2) return null;
  const repaired = repairDigits(line.text);
  const pairs = amounts.map((amount, k) => {
    const prev = amounts[k - 1];
    const from = prev ? prev.at + prev.raw.length : 0;
    return { role: amountRole(repaired.slice(from, amount.at).trim()), amount };
  });
  const labelled = pairs.flatMap((p) => (p.role ? [{ role: p.role, amount: p.amount }] : []));
  return labelled.length >= 2 ? labelled : null;
}

const ROUNDING_STEP = 0.05;

/**
 * The rounded total whose label OCR garbled ("Fol Art Feyable 7.40"): receipts print it right
 * below the rounding adjustment, and it differs from a total or subtotal above by at most the
 * rounding step. Only an unlabelled line counts: "Cash 10.00" there is the payment.
 */
function roundedBelowRounding(lines: Line[], entries: Entry[]): Entry[] {
  const found: Entry[] = [];
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    if (!next || amountRole(line.text) !== 'rounding' || amountRole(next.text) !== null) return;
    const amount = findAmounts(next.text).at(-1);
    if (!amount || amount.value <= 0) return;
    const before = entries.filter(
      (e) => e.line.index < line.index && (TOTAL_RANK[e.role] || e.role === 'subtotal' || e.role === 'net'),
    );
    const near = before.some((e) => Math.abs(e.amount.value - amount.value) <= ROUNDING_STEP + CENT);
    if (near)
      found.push({
        line: next,
        role: 'rounded',
        amount,
        note: `total label unreadable: "${next.text}" read as the total after rounding`,
      });
  });
  return found;
}

function entriesOf(lines: Line[]): Entry[] {
  let out: Entry[] = [];
  lines.forEach((line, i) => {
    const pairs = labelledPairs(line);
    if (pairs) {
      for (const p of pairs) if (p.role !== 'other') out.push({ line, role: p.role, amount: p.amount });
      return;
    }
    const role = amountRole(line.text);
    if (!role || role === 'other') return;
    const amount = lineAmount(lines, i);
    if (amount) out.push({ line, role, amount });
  });
  out = [...out, ...roundedBelowRounding(lines, out)].sort((a, b) => a.line.index - b.line.index);
  // A rounding adjustment is a few cents. A "rounding" line worth a unit or more is a total whose
  // label OCR cut short: the rounded total when it is near another total or exactly what was
  // paid, else a plain total.
  const totals = out.filter((e) => TOTAL_RANK[e.role]);
  const tendered = out.filter((e) => e.role === 'tendered');
  for (const e of out) {
    if (e.role !== 'rounding' || Math.abs(e.amount.value) < 1) continue;
    const v = e.amount.value;
    if (
      totals.some((t) => Math.abs(t.amount.value - v) <= 0.1) ||
      tendered.some((t) => same(Math.abs(t.amount.value), v))
    ) {
      e.role = 'rounded';
    } else e.role = 'total';
  }
  return out;
}

/** How much the receipt's own arithmetic backs `v` as the total (0 = not at all). */
function support(v: number, entries: Entry[], self: Entry): number {
  const subtotals = valuesOf(entries, 'subtotal');
  const taxes = valuesOf(entries, 'tax');
  const rounding = [0, ...valuesOf(entries, 'rounding')];
  let score = 0;
  if (
    paidAmounts(entries).some((p) => same(p.value, v)) ||
    valuesOf(entries, 'tendered').some((t) => same(t, v))
  )
    score += 2;
  if (subtotals.some((s) => taxes.some((x) => rounding.some((r) => same(s + x + r, v))))) score += 2;
  const otherTotals = entries.filter((e) => e !== self && TOTAL_RANK[e.role]);
  if (otherTotals.some((e) => same(e.amount.value, v))) score += 1;
  if (otherTotals.some((e) => rounding.some((r) => r !== 0 && same(e.amount.value + r, v)))) score += 1;
  return score;
}

/**
 * Corrects roles from the receipt's arithmetic: a "total" that is another total plus the rounding
 * adjustment is the rounded total; a "total paid" that is another total plus the change is the
 * cash handed over ("TOTAL PAID RM50.00 … CHANGE RM28.15").
 */
function settleRoles(entries: Entry[]): void {
  // A net amount is a subtotal when tax is added to it to make a larger printed total.
  const taxes = valuesOf(entries, 'tax').filter((x) => x !== 0);
  for (const e of entries.filter((x) => x.role === 'net')) {
    const v = e.amount.value;
    const larger = entries.some((o) => TOTAL_RANK[o.role] && taxes.some((x) => same(v + x, o.amount.value)));
    e.role = larger ? 'subtotal' : 'total';
  }
  const rounding = valuesOf(entries, 'rounding').filter((r) => r !== 0);
  const change = valuesOf(entries, 'change').filter((c) => c > 0);
  const totals = entries.filter((e) => TOTAL_RANK[e.role]);
  for (const e of totals) {
    const others = totals.filter((o) => o !== e && !same(o.amount.value, e.amount.value));
    const v = e.amount.value;
    // "TOTAL PAID RM50.00 … CHANGE RM28.15" below "TOTAL 21.83 / ROUNDING 0.02": paid = total + rounding + change.
    if (others.some((o) => change.some((c) => [0, ...rounding].some((r) => same(o.amount.value + r + c, v)))))
      e.role = 'tendered';
    else if (others.some((o) => rounding.some((r) => same(o.amount.value + r, v)))) e.role = 'rounded';
  }
}

/** No total printed (or OCR lost it): a subtotal that the payment confirms is the total. */
function totalFromSubtotal(entries: Entry[], warnings: string[]): Pick | null {
  // Here cash equal to the subtotal counts too: an exact coincidence with a printed subtotal is unlikely.
  const paid = [...paidAmounts(entries).map((p) => p.value), ...valuesOf(entries, 'tendered')];
  const taxes = [0, ...valuesOf(entries, 'tax')];
  const rounding = [0, ...valuesOf(entries, 'rounding')];
  for (const e of entries.filter((x) => x.role === 'subtotal')) {
    for (const x of taxes) {
      for (const r of rounding) {
        const v = Math.round((e.amount.value + x + r) * 100) / 100;
        if (!paid.some((p) => same(p, v))) continue;
        warnings.push(`total not printed: ${v} from "${e.line.text}", confirmed by the payment`);
        return { value: v, line: e.line, confidence: 0.6, currencyMark: e.amount.currencyMark };
      }
    }
  }
  return null;
}

/** A total the receipt's own arithmetic states, with the reason for the warning. */
interface Stated {
  pick: Pick;
  why: string;
}

/**
 * The amount the payment proves (cash handed over minus the change given, or a card charge) when
 * the receipt also prints it above the payment, on a line that is not a payment line. That
 * guards against a misread digit in the cash or the change, and keeps the total an amount the
 * receipt states (a rounded total that is only implied by the change is not taken).
 */
function provenByPayment(entries: Entry[], lines: Line[]): Stated | null {
  const payLines = new Set(
    entries.filter((e) => e.role === 'tendered' || e.role === 'change').map((e) => e.line.index),
  );
  for (const paid of paidAmounts(entries)) {
    const printed = lines.filter(
      (l) =>
        l.index < paid.line.index &&
        !payLines.has(l.index) &&
        findAmounts(l.text).some((a) => same(a.value, paid.value)),
    );
    if (!printed.length) continue;
    const line = printed.at(-1)!;
    return {
      pick: { value: paid.value, line, confidence: 0.65, currencyMark: paid.currencyMark },
      why: `${paid.value} is what the payment settles (cash − change, or a card charge), printed in "${line.text}"`,
    };
  }
  return null;
}

/**
 * An unlabelled amount below the subtotal that equals the subtotal plus the tax (plus the
 * rounding adjustment): the total, its label lost ("TO : RM 73.00" under "SUB TOTAL : RM 68.87 /
 * GST/TAX 6% : RM 4.13"). The tax must be non-zero: a subtotal printed twice proves nothing.
 */
function summedTotal(entries: Entry[], lines: Line[]): Stated | null {
  const subtotals = entries.filter((e) => e.role === 'subtotal');
  const taxes = valuesOf(entries, 'tax').filter((x) => x > 0);
  const rounding = [0, ...valuesOf(entries, 'rounding')];
  if (!subtotals.length || !taxes.length) return null;
  const sums = subtotals.flatMap((s) => taxes.flatMap((x) => rounding.map((r) => s.amount.value + x + r)));
  for (const line of lines) {
    if (line.index <= subtotals[0]!.line.index || amountRole(line.text) !== null) continue;
    const amount = findAmounts(line.text).at(-1);
    if (!amount || !sums.some((v) => same(v, amount.value))) continue;
    return {
      pick: { value: amount.value, line, confidence: 0.6, currencyMark: amount.currencyMark },
      why: `${amount.value} is the subtotal plus the tax, printed in "${line.text}"`,
    };
  }
  return null;
}

function pickTotal(entries: Entry[], lines: Line[], warnings: string[]): Pick | null {
  settleRoles(entries);
  const scored = entries
    .filter((e) => TOTAL_RANK[e.role])
    .map((e) => ({ e, rank: TOTAL_RANK[e.role]!, sup: support(e.amount.value, entries, e) }))
    .map((c) => ({ ...c, score: c.rank * 3 + c.sup }));
  const proven = provenByPayment(entries, lines);
  if (!scored.length) {
    const fromSubtotal = totalFromSubtotal(entries, warnings);
    if (fromSubtotal) return fromSubtotal;
    const stated = proven ?? summedTotal(entries, lines);
    if (stated) {
      warnings.push(`total label unreadable: ${stated.why}`);
      return stated.pick;
    }
    const lost = lostPointTotal(lines, entries);
    if (!lost) return null;
    warnings.push(`total read without its decimal point from "${lost.line.text}", confirmed by the payment`);
    return { value: lost.value, line: lost.line, confidence: 0.6, currencyMark: null };
  }
  // Ties go to the later line: final totals are printed after intermediate ones.
  const best = scored.reduce((a, b) => (b.score >= a.score ? b : a));
  const rivals = scored.filter(
    (c) => !same(c.e.amount.value, best.e.amount.value) && c.rank >= best.rank - 1,
  );
  // Nothing on the receipt backs the chosen total, and the payment proves another amount: OCR
  // misread the total ("TOTAL 1.00" above "Cash Received 101.00 / Change 30.00"). A sum of
  // subtotal and tax does not overrule a printed total: receipts print partial sums
  // ("Total 6% supplies (Inc. GST)") above the total payable.
  if (proven && best.sup === 0 && !same(proven.pick.value, best.e.amount.value)) {
    warnings.push(`total taken from the payment, not "${best.e.line.text}": ${proven.why}`);
    return proven.pick;
  }
  let confidence = Math.min(0.95, 0.5 + 0.1 * best.rank + 0.1 * Math.min(best.sup, 3));
  if (best.e.note) {
    confidence = Math.min(confidence, 0.65);
    warnings.push(best.e.note);
  }
  if (rivals.length) {
    confidence = Math.min(confidence, best.sup > 0 ? 0.7 : 0.5);
    warnings.push(`total unsure: "${best.e.line.text}" chosen over "${rivals[0]!.e.line.text}"`);
  }
  return {
    value: best.e.amount.value,
    line: best.e.line,
    confidence,
    currencyMark: best.e.amount.currencyMark,
  };
}

/** One value for `role`, or null (with a warning) when the lines disagree and arithmetic cannot tell. */
function pickPart(
  entries: Entry[],
  role: 'subtotal' | 'tax',
  total: Pick | null,
  warnings: string[],
): Pick | null {
  let found = entries.filter((e) => e.role === role);
  if (total) found = found.filter((e) => Math.abs(e.amount.value) <= Math.abs(total.value) + CENT);
  if (!found.length) return null;
  const other = entries
    .filter((e) => e.role === (role === 'tax' ? 'subtotal' : 'tax'))
    .map((e) => e.amount.value);
  const rounding = [0, ...valuesOf(entries, 'rounding')];
  const fits = (v: number) =>
    total !== null && other.some((o) => rounding.some((r) => same(v + o + r, total.value)));
  const fitting = found.filter((e) => fits(e.amount.value));
  const distinct = new Set(found.map((e) => e.amount.value.toFixed(2)));
  const chosen = fitting[0] ?? (distinct.size === 1 ? found[0] : undefined);
  if (!chosen) {
    warnings.push(`${role} unclear: ${[...distinct].join(' vs ')}`);
    return null;
  }
  const confidence = fitting.length ? 0.9 : 0.6;
  return {
    value: chosen.amount.value,
    line: chosen.line,
    confidence,
    currencyMark: chosen.amount.currencyMark,
  };
}

const DISCOUNT = /\b(?:disc(?:ount)?|less|voucher|coupon|promo|rabatt|remise|korting|descuento|refund)\b/i;

/**
 * A total smaller than one item's amount was misread (unless something was taken off): its
 * confidence drops below "sure", which also makes receipt.image.ts read the image again. Items
 * are the unlabelled lines between the items table's header and the total; without a header
 * the check is skipped (address and registration numbers above would pass for amounts).
 */
function checkAgainstItems(total: Pick, lines: Line[], warnings: string[]): void {
  if (total.value <= 0 || lines.some((l) => DISCOUNT.test(l.text))) return;
  const header = lines.findIndex((l) => TABLE_HEADER.test(l.text) && l.index < total.line.index);
  if (header < 0) return;
  const items = lines
    .slice(header + 1, total.line.index)
    .filter((l) => amountRole(l.text) === null)
    .flatMap((l) => findAmounts(l.text).map((a) => a.value));
  if (items.some((v) => v < 0)) return;
  const largest = Math.max(0, ...items);
  if (largest <= total.value + CENT) return;
  total.confidence = Math.min(total.confidence, 0.4);
  warnings.push(`total ${total.value} is less than the line amount ${largest}: probably misread`);
}

/** Total, subtotal and tax of a receipt's lines. Never throws; unknown values are null. */
export function pickMoney(lines: Line[]): MoneyFields {
  const entries = entriesOf(lines);
  const warnings: string[] = [];
  const total = pickTotal(entries, lines, warnings);
  if (total) checkAgainstItems(total, lines, warnings);
  const subtotal = pickPart(entries, 'subtotal', total, warnings);
  const tax = pickPart(entries, 'tax', total, warnings);
  return { total, subtotal, tax, warnings };
}
