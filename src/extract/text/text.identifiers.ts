/**
 * Invoice number and purchase-order number: a labelled token that holds a digit ("2024-0042",
 * "RE-20190610/507", "F 1234K20/1234/12"), is not a date and not an amount. Three ways in, in order
 * of trust: an invoice-number label ("Rechnungsnummer", "N° de facture"); "Nr."/"No." on a line
 * that names the document ("Handelsrechnung Nr. 471102 vom …"); the document word followed by the
 * number ("Facture FA-2017-0009"). Pure.
 */
import { findDates } from './text.dates.ts';
import { findLabeled } from './text.labeled.ts';
import { DOC_WORD, INVOICE_NUMBER, labels, PO_NUMBER } from './text.labels.ts';
import type { Doc, Found, Hit, Parser } from './text.model.ts';

/** Words that follow a number label but are not the number ("Nr. vom", "n° du"). */
const NOT_PREFIX = /^(?:du|de|des|del|vom|von|am|of|le|la|the|nr|no|for|per|dated|issued|date|datum|fecha)$/i;

/** The identifier at the start of `text`, or null. */
export const identifier: Parser<string> = (text) => {
  const m = /^[\s:#.°º-]*/.exec(text);
  let pos = m ? m[0].length : 0;
  const chunks: string[] = [];
  let end = pos;
  while (chunks.length < 2) {
    const c = /^[A-Za-z0-9][A-Za-z0-9\-/._#]*/.exec(text.slice(pos));
    if (!c) break;
    const chunk = c[0].replace(/[-/._#]+$/, '');
    if (chunks.length === 0 && !/\d/.test(chunk)) {
      // A short series prefix ("F 1234K20/1234/12") may stand before the number, one space apart.
      if (
        chunk.length > 3 ||
        NOT_PREFIX.test(chunk) ||
        chunk !== chunk.toUpperCase() ||
        text[pos + c[0].length] !== ' '
      ) {
        return null;
      }
      chunks.push(chunk);
      pos += c[0].length + 1;
      continue;
    }
    if (!/\d/.test(chunk)) break;
    chunks.push(chunk);
    end = pos + chunk.length;
    break;
  }
  const value = chunks.join(' ');
  if (!/\d/.test(value) || value.length > 40) return null;
  // A date, an amount ("1.190,00") or a percentage is not an identifier.
  const digits = chunks[chunks.length - 1] ?? '';
  if (findDates(digits, 'dmy').some((d) => d.start === 0 && d.end === digits.length)) return null;
  if (/^\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}$/.test(digits) || text.slice(end).startsWith('%')) return null;
  return { value, length: end };
};

function best(hits: Array<Hit<string>>, confidence: number, why: string): Found<string> | null {
  if (hits.length === 0) return null;
  // The number printed most often (letterhead and footer repeat it), then the first one.
  const counts = new Map<string, number>();
  for (const h of hits) counts.set(h.value, (counts.get(h.value) ?? 0) + 1);
  const top = [...hits].sort((a, b) => (counts.get(b.value) ?? 0) - (counts.get(a.value) ?? 0))[0]!;
  const agree = counts.size === 1 ? 0.03 : 0;
  const placed = top.how === 'inline' ? 0 : 0.05;
  return { value: top.value, line: top.line, confidence: confidence + agree - placed, note: why };
}

const NUMBER_WORD = labels(`nr\\.?`, `no\\.?`, `n[°º]\\.?`, `#`, `num\\.?`);
const TITLE_WORD = labels(
  `[a-z]*rechnung`,
  `invoice`,
  `facture`,
  `factuur`,
  `factura`,
  `faktura`,
  `gutschrift`,
  `avoir`,
  `credit\\s*note`,
  `creditnota`,
);

export function readInvoiceNumber(doc: Doc): { found: Found<string> | null; warnings: string[] } {
  // A label inside a line ("80333 München Rechnungsnummer 471102": two columns merged) counts
  // only when no line starts with one.
  let labelled = findLabeled(doc, INVOICE_NUMBER, identifier);
  let confidence = 0.9;
  if (labelled.length === 0) {
    labelled = findLabeled(doc, INVOICE_NUMBER, identifier, { anywhere: true });
    confidence = 0.85;
  }
  const distinct = new Set(labelled.map((h) => h.value));
  if (distinct.size > 0) {
    const found = best(labelled, confidence, 'invoice number label');
    const warnings =
      distinct.size > 1
        ? [`several invoice numbers labelled (${[...distinct].join(', ')}); the most repeated chosen`]
        : [];
    return { found: found && distinct.size > 1 ? { ...found, confidence: 0.7 } : found, warnings };
  }
  // "Rechnung des Versicherers Nr. 01.234…", or "INVOICE" on a line of its own and "# 123" below it.
  const onTitle = findLabeled(doc, NUMBER_WORD, identifier, { anywhere: true }).filter((h) => {
    if (DOC_WORD.test((doc.folded[h.labelLine.index] ?? '').slice(0, h.at))) return true;
    const above = (doc.folded[h.labelLine.index - 1] ?? '').replace(/[^a-z\s]/g, '').trim();
    return h.at === 0 && new RegExp(`^${DOC_WORD.source}$`).test(above);
  });
  const fromTitle = best(onTitle, 0.85, '"Nr." on the line naming the document');
  if (fromTitle) return { found: fromTitle, warnings: [] };
  const afterWord = findLabeled(doc, TITLE_WORD, identifier).filter(
    (h) => h.how === 'inline' && h.value.length >= 3,
  );
  const fromWord = best(afterWord, 0.75, 'number after the document title');
  return { found: fromWord, warnings: fromWord ? [] : ['invoice number not found'] };
}

export function readPoNumber(doc: Doc): Found<string> | null {
  return best(findLabeled(doc, PO_NUMBER, identifier), 0.85, 'purchase order label');
}
