/**
 * The receipt's date, its number and its kind (receipt or invoice). Pure.
 */
import { type FoundDate, findDates, findGarbledDate, findMisreadDate } from './receipt.date.ts';
import { type Line, label } from './receipt.text.ts';

export interface DatePick {
  iso: string;
  line: Line;
  confidence: number;
  ambiguous: boolean;
}

const DATE_LABEL = new RegExp(
  `(?<![a-z])(?:${['date', 'dated', 'datum', 'fecha', 'tarikh', 'bizdate', 'paid on', 'issued'].map(label).join('|')})(?![a-z])`,
  'i',
);
// Dates that are not the purchase: card expiry, validity, due dates, warranty ends.
const NOT_PURCHASE =
  /expir|\bexp\b|valid|\bdue\b|until|warrant|f[äa]llig|bis zum|[ée]ch[ée]ance|vervaldatum|vencimiento/i;
// A clock time: "63:43am" is an OCR-garbled line, and its date no surer than any other.
const TIME = /(?<!\d)(?:[01]?\d|2[0-3])\s?:\s?[0-5]\d(?!\d)/;

/**
 * The purchase date: a date on a "Date" line first, else the first date printed (receipts print
 * the sale's date near the top). Dates on expiry, validity or due lines are skipped. When no line
 * has a readable date, a date OCR garbled ("Date: 04/1 212017", "42/13/2016") is read with
 * `findGarbledDate` or `findMisreadDate`
 * from a "Date" line, or from a line that also prints a clock time; it is never sure.
 */
export function pickDate(lines: Line[]): { pick: DatePick | null; warnings: string[] } {
  let found: Array<{ line: Line; date: FoundDate; score: number; garbled?: boolean }> = [];
  for (const line of lines) {
    if (NOT_PURCHASE.test(line.text)) continue;
    const labelled = DATE_LABEL.test(line.text);
    for (const date of findDates(line.text, { compact: labelled })) {
      found.push({ line, date, score: (labelled ? 2 : 0) + (TIME.test(line.text) ? 1 : 0) });
    }
  }
  if (!found.length) found = garbledDates(lines);
  if (!found.length) return { pick: null, warnings: [] };
  const best = found.reduce((a, b) => (b.score > a.score ? b : a));
  const warnings: string[] = [];
  const others = new Set(
    found.filter((f) => f.date.iso !== best.date.iso && f.score >= best.score).map((f) => f.date.iso),
  );
  let confidence = best.score >= 2 ? 0.9 : 0.7;
  if (best.garbled) {
    confidence = 0.55;
    warnings.push(
      `date "${best.date.raw}" read through OCR damage (garbled separators or a misread digit) in "${best.line.text}"`,
    );
  }
  if (others.size) {
    confidence = 0.5;
    warnings.push(`date unsure: ${best.date.iso} chosen over ${[...others].join(', ')}`);
  }
  // Day/month order: settled if another date on the receipt is unambiguous in the same order.
  if (best.date.ambiguous && !found.some((f) => !f.date.ambiguous && /^\d/.test(f.date.raw))) {
    confidence = Math.min(confidence, 0.6);
    warnings.push(`date "${best.date.raw}" could be day/month or month/day: read as day first`);
  }
  return {
    pick: { iso: best.date.iso, line: best.line, confidence, ambiguous: best.date.ambiguous },
    warnings,
  };
}

/** Dates whose separators OCR garbled, on "Date" lines (score 2) and lines with a clock time (1). */
function garbledDates(lines: Line[]): Array<{ line: Line; date: FoundDate; score: number; garbled: true }> {
  return lines.flatMap((line) => {
    if (NOT_PURCHASE.test(line.text)) return [];
    const labelled = DATE_LABEL.exec(line.text);
    if (!labelled && !TIME.test(line.text)) return [];
    // Only the text after the label, and without the time: "10:30" must not lend the date digits.
    const after = labelled ? line.text.slice(labelled.index + labelled[0].length) : line.text;
    const text = after.replace(new RegExp(TIME.source, 'g'), ' ');
    const date = findGarbledDate(text) ?? findMisreadDate(text);
    return date ? [{ line, date, score: labelled ? 2 : 1, garbled: true as const }] : [];
  });
}

const NUMBER =
  /(?<![a-z])(?:receipt|invoice|inv|doc(?:ument)?|bill|slip|order|transaction|trans|beleg|bon|rechnung|facture|factuur|factura|ticket)\s*(?:no\.?|nr\.?|number|num|#|n°|nº)\s*[:.]?\s*#?\s*([A-Z0-9][A-Z0-9/-]{2,30})/i;

/** The receipt or invoice number, when one is labelled and contains a digit. */
export function pickNumber(lines: Line[]): { value: string; line: Line } | null {
  for (const line of lines) {
    const value = NUMBER.exec(line.text)?.[1];
    if (value && /\d/.test(value)) return { value, line };
  }
  return null;
}

const INVOICE_WORD = /\b(?:invoice|rechnung|facture|factuur|factura)\b/i;
const INVOICE_ONLY =
  /\b(?:due date|payment terms|bill to|amount due|pay by|zahlbar|f[äa]llig|iban|net \d{1,3}\b|à payer avant|te betalen voor)/i;
const PAID =
  /\b(?:cash|change|paid|payment received|tendered|bezahlt|payé|betaald|pagado|card ending|visa|mastercard)\b/i;

/** 'invoice' only when the text clearly asks for a payment still to be made; otherwise 'receipt'. */
export function pickKind(text: string): 'receipt' | 'invoice' {
  return INVOICE_WORD.test(text) && INVOICE_ONLY.test(text) && !PAID.test(text) ? 'invoice' : 'receipt';
}
