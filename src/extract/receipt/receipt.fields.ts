/**
 * The receipt's date, its number and its kind (receipt or invoice). Pure.
 */
import {
  type FoundDate,
  findDateBeforeTime,
  findDates,
  findGarbledDate,
  findMisreadDate,
} from './receipt.date.ts';
import { type Line, label } from './receipt.text.ts';

export interface DatePick {
  iso: string;
  line: Line;
  confidence: number;
  ambiguous: boolean;
}

const DATE_LABEL = new RegExp(
  `(?<![a-z])(?:${['date', 'dated', 'datum', 'fecha', 'tarikh', 'tkh', 'bizdate', 'paid on', 'issued'].map(label).join('|')})(?![a-z])`,
  'i',
);
// A line that ends with a date label: the date was printed (or OCR put it) on the next line.
const DATE_LABEL_AT_END = new RegExp(`${DATE_LABEL.source}[\\s:.=;*-]*$`, 'i');
// Dates that are not the purchase: card expiry, validity, due dates, warranty ends.
const NOT_PURCHASE =
  /expir|\bexp\b|valid|\bdue\b|until|warrant|f[äa]llig|bis zum|[ée]ch[ée]ance|vervaldatum|vencimiento/i;
// When the slip was printed, which a reprint dates after the sale: "Print Date", "Printed", "Cetak".
const PRINTED = /(?<![a-z])(?:re-?)?print(?:ed)?(?![a-z])|(?<![a-z])cetak/i;
// A clock time: "63:43am" is an OCR-garbled line, and its date no surer than any other.
const TIME = /(?<!\d)(?:[01]?\d|2[0-3])\s?:\s?[0-5]\d(?!\d)/;
// A date cut at the end of a line, the rest on the next: "10-05-20" + "17 Time", "DD: 28." + "08/2017".
const CUT_YEAR = /(?<![\d/.-])\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?(?:19|20)$/;
const CUT_AT_SEPARATOR = /(?<![\d/.-])\d{1,2}\s?[/.-](?:\s?\d{1,2}\s?[/.-])?$/;

/** A line as dates are read from it: joined with the next when a date runs over. */
interface DateLine {
  line: Line;
  text: string;
  /** The line before ends with a date label ("Date :") and has no date of its own. */
  labelAbove: boolean;
  /** …with a label of a date that is not the purchase ("Due Date:"). */
  barredAbove: boolean;
}

function dateLines(lines: Line[]): DateLine[] {
  const out: DateLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const prev = lines[i - 1];
    const next = lines[i + 1];
    const labelledPrev = prev && DATE_LABEL_AT_END.test(prev.text) && !findDates(prev.text).length;
    const labelAbove = Boolean(labelledPrev && !NOT_PURCHASE.test(prev.text));
    const barredAbove = Boolean(labelledPrev && NOT_PURCHASE.test(prev.text));
    const runsOver =
      next &&
      ((CUT_YEAR.test(line.text) && /^\d{2}(?!\d)/.test(next.text)) ||
        (CUT_AT_SEPARATOR.test(line.text) && /^\d/.test(next.text)));
    if (runsOver) {
      const joined = { index: line.index, text: `${line.text} ${next.text}` };
      out.push({ line: joined, text: line.text + next.text, labelAbove, barredAbove });
      i++;
    } else out.push({ line, text: line.text, labelAbove, barredAbove });
  }
  return out;
}

/**
 * The label of a date: the text before it after the last number ("Change Due 0.00 Date:" →
 * "Date:"), or all of it when no letter follows that number.
 */
function ownLabel(before: string): string {
  const tail = before.replace(/^[\s\S]*\d/, '');
  return /\p{L}/u.test(tail) ? tail : before;
}

type Candidate = { line: Line; date: FoundDate; score: number; garbled?: boolean };

/**
 * The purchase date. Each date is ranked by what precedes it on its line: a date label ("Date",
 * "Tarikh", "Inv Date"; or a label ending the line above) ranks first, a clock time on the line
 * next, a print date ("Print Date", "Reprint") and a month name read through one misread letter
 * lower; on a tie the first printed wins (receipts print the sale's date near the top). Dates
 * labelled as expiry, validity or due dates are skipped, and so are unlabelled dates on a line
 * that names one. A date cut at the end of a line is read with the rest of it on the next. When
 * no line has a readable date, a date OCR garbled ("Date: 04/1 212017", "42/13/2016",
 * "24 11-17 13:11") is read with `findGarbledDate`, `findMisreadDate` or `findDateBeforeTime`
 * from a "Date" line, or from a line that also prints a clock time; it is never sure.
 */
export function pickDate(lines: Line[]): { pick: DatePick | null; warnings: string[] } {
  let found: Candidate[] = [];
  for (const { line, text, labelAbove, barredAbove } of dateLines(lines)) {
    const barredLine = NOT_PURCHASE.test(text);
    const timed = TIME.test(text);
    for (const date of findDates(text, { compact: labelAbove || DATE_LABEL.test(text) })) {
      const first = date.before === date.since;
      const labelled = DATE_LABEL.test(date.before) || (labelAbove && first);
      if (NOT_PURCHASE.test(ownLabel(date.since)) || (barredAbove && first) || (barredLine && !labelled))
        continue;
      const score =
        (labelled ? 2 : 0) + (timed ? 1 : 0) - (PRINTED.test(date.since) ? 1 : 0) - (date.damaged ? 0.5 : 0);
      found.push({ line, date, score, garbled: date.damaged });
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
      `date "${best.date.raw}" read through OCR damage (garbled separators or a misread digit or letter) in "${best.line.text}"`,
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
function garbledDates(lines: Line[]): Candidate[] {
  return lines.flatMap((line) => {
    if (NOT_PURCHASE.test(line.text)) return [];
    const labelled = DATE_LABEL.exec(line.text);
    const timed = TIME.test(line.text);
    if (!labelled && !timed) return [];
    // Only the text after the label, and without the time: "10:30" must not lend the date digits.
    const after = labelled ? line.text.slice(labelled.index + labelled[0].length) : line.text;
    const text = after.replace(new RegExp(TIME.source, 'g'), ' ');
    const date = findGarbledDate(text) ?? findMisreadDate(text) ?? (timed ? findDateBeforeTime(after) : null);
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
