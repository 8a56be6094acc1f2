/**
 * Reading e-invoice values exactly as the standards write them. Amounts are xsd:decimal
 * (no thousands separators, '.' for decimals); CII dates are UN/EDIFACT format 102
 * (CCYYMMDD), UBL dates xsd:date; document types are UNTDID 1001 codes. Anything that does not
 * match is refused (null), never reinterpreted. Pure.
 */
import type { DocumentKind } from '../extract.model.ts';

/** xsd:decimal → number; null for anything else ("1.234,50", "", "abc"). */
export function parseAmount(text: string | undefined): number | null {
  if (!text || !/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text.trim())) return null;
  const value = Number(text.trim());
  return Number.isFinite(value) ? value : null;
}

/** A real calendar day as YYYY-MM-DD, or null. */
function isoDay(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * CII `udt:DateTimeString`: format 102 is CCYYMMDD. Formats 610 (month) and 616 (week) name no
 * single day, so they give null. A missing format with eight digits is read as 102, and an
 * ISO date is accepted too: some generators write it despite the schema.
 */
export function parseCiiDate(text: string | undefined, format: string | undefined): string | null {
  const value = text?.trim() ?? '';
  if ((format === '102' || format === undefined) && /^\d{8}$/.test(value)) {
    return isoDay(Number(value.slice(0, 4)), Number(value.slice(4, 6)), Number(value.slice(6, 8)));
  }
  return format === undefined || format === '102' ? parseIsoDate(value) : null;
}

/** xsd:date (YYYY-MM-DD, optionally with a zone suffix, which does not change the day written). */
export function parseIsoDate(text: string | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(text?.trim() ?? '');
  return m ? isoDay(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/** Adds days to an ISO date (UTC arithmetic: no zone can shift the day). */
export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** IBAN in electronic form (no spaces, upper case) when it has an IBAN's shape; else null. */
export function normalizeIban(text: string | undefined): string | null {
  const compact = (text ?? '').replace(/\s+/g, '').toUpperCase();
  return /^[A-Z]{2}\d{2}[A-Z0-9]{8,30}$/.test(compact) ? compact : null;
}

/** Names and free text: runs of whitespace (XML line breaks inside a name) become one space. */
export function cleanText(text: string | undefined): string | null {
  const clean = (text ?? '').replace(/\s+/g, ' ').trim();
  return clean === '' ? null : clean;
}

/** UNTDID 1001 codes that are credit notes (EN 16931 code list, credit-note subset). */
const CREDIT_CODES = new Set(['81', '83', '261', '262', '296', '308', '381', '396', '420', '458', '532']);

/** UNTDID 1001 codes EN 16931 and ZUGFeRD allow for invoices, with what the owner should know. */
const INVOICE_NOTES: Record<string, string | null> = {
  '380': null,
  '326': 'partial invoice (type 326)',
  '383': 'debit note (type 383)',
  '384':
    'corrected invoice (type 384): it replaces an earlier invoice; make sure the original is not paid too',
  '386': 'prepayment invoice (type 386)',
  '387': null,
  '388': null,
  '389': 'self-billed invoice (type 389): issued by the buyer on the seller’s behalf',
  '390': null,
  '393': 'factored invoice (type 393): payment may be due to a factoring company',
  '394': null,
  '395': null,
  '456': null,
  '457': null,
  '527': null,
  '575': null,
  '623': null,
  '633': null,
  '751': 'invoice information for accounting purposes (type 751): not a VAT invoice',
  '780': null,
  '875': 'partial construction invoice (type 875)',
  '876': 'partial final construction invoice (type 876)',
  '877': 'final construction invoice (type 877)',
  '82': null,
  '80': null,
  '84': null,
  '102': null,
  '130': null,
  '202': null,
  '203': null,
  '204': null,
  '211': null,
  '218': null,
  '219': null,
  '295': null,
  '325': 'proforma invoice (type 325): not a request for payment',
  '331': null,
  '382': null,
  '385': null,
  '553': null,
  '817': null,
  '870': null,
  '71': null,
};

/** Document kind from a type code; the warning says what is special about it, if anything. */
export function kindFromTypeCode(code: string | undefined): { kind: DocumentKind; warning: string | null } {
  if (!code)
    return { kind: 'invoice', warning: 'the e-invoice has no document type code; read as an invoice' };
  if (CREDIT_CODES.has(code)) return { kind: 'credit_note', warning: null };
  if (code in INVOICE_NOTES) return { kind: 'invoice', warning: INVOICE_NOTES[code] ?? null };
  return { kind: 'invoice', warning: `unknown document type code ${code}; read as an invoice` };
}
