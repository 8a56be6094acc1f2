import type { ExtractedDocument, FieldName } from '../../extract/extract.model.ts';
import { addDays, daysBetween, isIsoDate } from './iso-date.ts';
import { identifierKey } from './keys.ts';

/**
 * The owner's corrections, and how each kind generalizes to the vendor's next documents. Pure.
 *
 * | field | applied to a later document of the same vendor |
 * |---|---|
 * | vendor.name, vendor.email, vendor.taxId, currency — facts about the vendor | the same wrong value (case and spacing ignored, empty included) becomes the right value; once the owner has corrected the field to the same value twice in a row, that value is the vendor's and replaces whatever a document says |
 * | dueDate, paymentTerms — the vendor's terms | a term in days is derived (corrected due − issue date, or "Net 45"); a document whose due date is missing, repeats the old offset or the old terms text gets issue date + N days; after two corrections to the same N, always |
 * | invoiceNumber, poNumber, issueDate, subtotal, tax, total — one document's facts | the right value belonged to that document only; the same wrong value seen again (a customer number read as the invoice number, the net read as the total) is cleared and flagged, never replaced |
 * | iban, bic | never substituted: the corrected account is recorded as confirmed for the vendor, and the bank-change check compares against it |
 * | kind | recorded (it counts as an error for the metrics) but not applied: the kind decides whether a vendor is looked up at all |
 *
 * Every applied correction sets the field's evidence to "corrected by the owner on <date>".
 */

export type CorrectableField = FieldName;

export const VENDOR_FIELDS = ['vendor.name', 'vendor.email', 'vendor.taxId', 'currency'] as const;
export const TERM_FIELDS = ['dueDate', 'paymentTerms'] as const;
export const DOCUMENT_FIELDS = [
  'invoiceNumber',
  'poNumber',
  'issueDate',
  'subtotal',
  'tax',
  'total',
] as const;
export const BANK_FIELDS = ['iban', 'bic'] as const;

const NUMERIC = new Set<FieldName>(['subtotal', 'tax', 'total']);

/** A stored correction as the rules read it. */
export interface Correction {
  field: string;
  wrong: string | null;
  right: string | null;
  /** Derived when recorded: `termDays` (and `wrongTermDays`) for due dates and payment terms. */
  rule: { termDays?: number; wrongTermDays?: number | null };
  /** ISO date the owner made it. */
  on: string;
}

/** A field's value as text, for storing and comparing. */
export function fieldText(doc: ExtractedDocument, field: FieldName): string | null {
  const v = readField(doc, field);
  return v === null ? null : String(v);
}

function readField(doc: ExtractedDocument, field: FieldName): string | number | null {
  switch (field) {
    case 'vendor.name':
      return doc.vendor.name;
    case 'vendor.email':
      return doc.vendor.email;
    case 'vendor.taxId':
      return doc.vendor.taxId;
    default:
      return doc[field];
  }
}

/** Writes a field from text; false when the text is not a valid value for it (then nothing changes). */
function writeField(doc: ExtractedDocument, field: FieldName, text: string | null): boolean {
  if (field === 'vendor.name' || field === 'vendor.email' || field === 'vendor.taxId') {
    doc.vendor = { ...doc.vendor, [field.slice(7)]: text };
    return true;
  }
  if (NUMERIC.has(field)) {
    const n = text === null ? null : Number(text);
    if (n !== null && !Number.isFinite(n)) return false;
    (doc as unknown as Record<string, unknown>)[field] = n;
    return true;
  }
  if (field === 'kind') return false;
  if ((field === 'issueDate' || field === 'dueDate') && text !== null && !isIsoDate(text)) return false;
  (doc as unknown as Record<string, unknown>)[field] = text;
  return true;
}

const IDENTIFIERS = new Set<string>(['invoiceNumber', 'poNumber', 'vendor.taxId', 'iban']);

/**
 * Equal for correction purposes: identifiers by their letters and digits ("KD-12345" = "kd 12345"),
 * numbers by value, other text ignoring case and spacing.
 */
export function sameValue(a: string | null, b: string | null, field?: string): boolean {
  if (field && IDENTIFIERS.has(field) && a !== null && b !== null)
    return identifierKey(a) === identifierKey(b);
  if (a === null || b === null) return a === b;
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na === nb;
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(a) === norm(b);
}

/** "Net 45", "45 days", "zahlbar innerhalb 14 Tagen", "30 jours", "N30" → days; null when none. */
export function termDaysOf(terms: string | null): number | null {
  if (!terms) return null;
  const m =
    /\b(?:net|netto|n)\s*(\d{1,3})\b/i.exec(terms) ??
    /\b(\d{1,3})\s*(?:days?|tage?n?|jours?|d[ií]as?|dagen|giorni)\b/i.exec(terms);
  if (!m) return null;
  const n = Number(m[1]);
  return n >= 0 && n <= 365 ? n : null;
}

const evidence = (c: Correction) => ({
  text: `corrected by the owner on ${c.on}${c.wrong !== null ? ` (was "${c.wrong}")` : ''}`,
  page: null,
  confidence: 1,
});

/** Applies corrections (newest first) to a copy of `doc`. `applied` says what changed, one sentence each. */
export function applyCorrectionRules(
  input: ExtractedDocument,
  corrections: Correction[],
): { doc: ExtractedDocument; applied: string[] } {
  const doc: ExtractedDocument = structuredClone(input);
  const applied: string[] = [];
  for (const field of VENDOR_FIELDS) {
    const cs = corrections.filter((c) => c.field === field);
    if (cs.length === 0) continue;
    const current = fieldText(doc, field);
    const standing = cs.length >= 2 && sameValue(cs[0]!.right, cs[1]!.right, field) ? cs[0]! : null;
    const chosen = cs.find((c) => sameValue(c.wrong, current, field)) ?? standing;
    if (!chosen || sameValue(current, chosen.right, field) || !writeField(doc, field, chosen.right)) continue;
    doc.evidence[field] = evidence(chosen);
    applied.push(
      `${field}: "${current ?? ''}" → "${chosen.right ?? ''}" (corrected by the owner on ${chosen.on})`,
    );
  }
  applyTerms(doc, corrections, applied);
  for (const c of corrections) {
    if (!(DOCUMENT_FIELDS as readonly string[]).includes(c.field) || c.wrong === null) continue;
    const field = c.field as FieldName;
    const current = fieldText(doc, field);
    if (current === null || !sameValue(current, c.wrong, field)) continue;
    writeField(doc, field, null);
    delete doc.evidence[field];
    const warning = `${field} read as "${current}", which the owner corrected on ${c.on} for this vendor (to "${c.right ?? ''}"): left empty`;
    doc.warnings = [...doc.warnings, warning];
    applied.push(warning);
  }
  return { doc, applied };
}

function applyTerms(doc: ExtractedDocument, corrections: Correction[], applied: string[]): void {
  const terms = corrections.filter(
    (c) => (TERM_FIELDS as readonly string[]).includes(c.field) && typeof c.rule.termDays === 'number',
  );
  const latest = terms[0];
  if (!latest || !isIsoDate(doc.issueDate)) return;
  const days = latest.rule.termDays!;
  const offset = isIsoDate(doc.dueDate) ? daysBetween(doc.issueDate, doc.dueDate) : null;
  if (offset === days) return;
  const sameWrongTerms =
    latest.field === 'paymentTerms' && latest.wrong !== null && sameValue(latest.wrong, doc.paymentTerms);
  const consistent = terms.length >= 2 && terms[1]!.rule.termDays === days;
  const repeatsOffset = offset !== null && offset === latest.rule.wrongTermDays;
  if (!(offset === null || repeatsOffset || sameWrongTerms || consistent)) return;
  const was = doc.dueDate;
  doc.dueDate = addDays(doc.issueDate, days);
  if (latest.field === 'paymentTerms' && latest.right) doc.paymentTerms = latest.right;
  doc.evidence.dueDate = {
    text: `corrected by the owner on ${latest.on}: this vendor's terms are ${days} days from the issue date`,
    page: null,
    confidence: 1,
  };
  applied.push(
    `dueDate: "${was ?? ''}" → "${doc.dueDate}" (${days}-day terms, corrected by the owner on ${latest.on})`,
  );
}
