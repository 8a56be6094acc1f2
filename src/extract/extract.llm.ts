import { z } from 'zod';
import { ModelError } from '../llm/llm.errors.ts';
import type { ModelClient } from '../llm/llm.model.ts';
import { clip, dataSection, mailIsData } from '../llm/llm.prompt.ts';
import type { ExtractedDocument, FieldName } from './extract.model.ts';

/**
 * The model, only for what the deterministic readers left empty — and a model's value is accepted
 * only if it can be found in the source text (the evidence check): its quote must occur in the
 * text, and the value must occur in the quote (numbers and dates compared in every spelling the
 * document could use). A value the model cannot ground stays null with a warning.
 */

/** The fields the model may be asked for (also the keys of its answer). */
export const FIELDS = [
  'invoiceNumber',
  'issueDate',
  'dueDate',
  'currency',
  'subtotal',
  'tax',
  'total',
  'iban',
  'poNumber',
  'vendorName',
] as const;
type AskedField = (typeof FIELDS)[number];
const CORE: ReadonlySet<AskedField> = new Set([
  'invoiceNumber',
  'issueDate',
  'currency',
  'total',
  'vendorName',
]);

const answerField = z.object({
  value: z.string().nullable(),
  /** The exact words of the document the value was read from. */
  quote: z.string().nullable(),
});
export const extractAnswerSchema = z.object(
  Object.fromEntries(FIELDS.map((f) => [f, answerField])) as Record<AskedField, typeof answerField>,
);
export type ExtractAnswer = z.infer<typeof extractAnswerSchema>;

const TASK = [
  'Read one business document and give, for each field, the value and the exact quote from the document',
  'it comes from (copied character for character). Use null for both when the document does not state',
  'the field: never compute, infer or guess. Dates as YYYY-MM-DD, amounts as plain numbers with a dot',
  '(1190.00), currency as an ISO 4217 code, IBAN without spaces.',
].join('\n');

/** Pure: the question for one document's text. */
export function buildExtractPrompt(text: string, missing: readonly AskedField[], ownerName: string) {
  return {
    system: `${mailIsData(ownerName)}\n\n${TASK}`,
    user: `Fields wanted: ${missing.join(', ')}.\n\n${dataSection('document', { text: clip(text, 12_000) })}`,
  };
}

const FIELD_OF: Record<AskedField, FieldName> = {
  invoiceNumber: 'invoiceNumber',
  issueDate: 'issueDate',
  dueDate: 'dueDate',
  currency: 'currency',
  subtotal: 'subtotal',
  tax: 'tax',
  total: 'total',
  iban: 'iban',
  poNumber: 'poNumber',
  vendorName: 'vendor.name',
};

function currentValue(doc: ExtractedDocument, f: AskedField): unknown {
  return f === 'vendorName' ? doc.vendor.name : doc[f];
}

/** The fields still null that the model may be asked about. */
export function missingFields(doc: ExtractedDocument): AskedField[] {
  return FIELDS.filter((f) => currentValue(doc, f) === null);
}

const squash = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** Every way a number could be written in a document ("1190", "1,190.00", "1.190,00", "1 190,00"). */
function numberSpellings(n: number): string[] {
  const fixed = n.toFixed(2);
  const [int = '', dec = '00'] = fixed.split('.');
  const groups = int.replace(/\B(?=(\d{3})+(?!\d))/g, '\u0000');
  return [
    fixed,
    `${int},${dec}`,
    `${groups.replaceAll('\u0000', ',')}.${dec}`,
    `${groups.replaceAll('\u0000', '.')},${dec}`,
    `${groups.replaceAll('\u0000', ' ')},${dec}`,
    ...(dec === '00' ? [int, groups.replaceAll('\u0000', ','), groups.replaceAll('\u0000', '.')] : []),
  ];
}

/** Spellings of an ISO date: 2024-03-31, 31.03.2024, 31/03/2024, 03/31/2024, 31-03-2024, 31.3.2024. */
function dateSpellings(iso: string): string[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return [];
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const dn = String(Number(d));
  const mn = String(Number(mo));
  return [
    iso,
    `${d}.${mo}.${y}`,
    `${d}/${mo}/${y}`,
    `${mo}/${d}/${y}`,
    `${d}-${mo}-${y}`,
    `${dn}.${mn}.${y}`,
    `${dn}/${mn}/${y}`,
  ];
}

/** Whether `value` is written in `quote`, and the quote in `text`. */
export function grounded(field: AskedField, value: string, quote: string, text: string): boolean {
  if (!quote.trim() || !squash(text).includes(squash(quote))) return false;
  const q = squash(quote);
  switch (field) {
    case 'subtotal':
    case 'tax':
    case 'total': {
      const n = Number(value);
      return Number.isFinite(n) && numberSpellings(n).some((s) => q.includes(s));
    }
    case 'issueDate':
    case 'dueDate':
      return dateSpellings(value).some((s) => q.includes(s));
    case 'iban':
      return q.replace(/\s/g, '').includes(value.toLowerCase().replace(/\s/g, ''));
    case 'currency':
      return /^[A-Z]{3}$/.test(value) && (q.includes(value.toLowerCase()) || currencySymbolFor(value, q));
    default:
      return q.includes(squash(value));
  }
}

function currencySymbolFor(code: string, q: string): boolean {
  const symbols: Record<string, string[]> = {
    EUR: ['€'],
    USD: ['us$', 'usd'],
    GBP: ['£'],
    INR: ['₹', 'rs.'],
    PLN: ['zł'],
  };
  return (symbols[code] ?? []).some((s) => q.includes(s));
}

/**
 * Fills the null fields of `doc` that the model can ground in `text`. Never throws for model
 * failures (they become a warning); returns the document unchanged when nothing is missing.
 */
export async function fillFromModel(
  doc: ExtractedDocument,
  text: string,
  model: ModelClient | null,
  ownerName: string,
): Promise<ExtractedDocument> {
  const missing = missingFields(doc);
  // Optional fields (PO number, due date, IBAN…) are often simply absent: the model is asked only
  // when a field every invoice has is missing, and then about everything still empty.
  if (!model || !missing.some((f) => CORE.has(f)) || !text.trim()) return doc;
  let answer: ExtractAnswer;
  try {
    const res = await model.complete({
      label: 'extract.fields',
      schemaName: 'document_fields',
      schema: extractAnswerSchema,
      ...buildExtractPrompt(text, missing, ownerName),
    });
    answer = res.value;
  } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    return { ...doc, warnings: [...doc.warnings, `model not used: ${err.code}`] };
  }
  const out: ExtractedDocument = {
    ...doc,
    vendor: { ...doc.vendor },
    evidence: { ...doc.evidence },
    warnings: [...doc.warnings],
  };
  for (const f of missing) {
    const { value, quote } = answer[f];
    if (value === null || quote === null) continue;
    if (!grounded(f, value, quote, text)) {
      out.warnings.push(`model's ${f} "${value.slice(0, 40)}" not found in the document: ignored`);
      continue;
    }
    if (f === 'vendorName') out.vendor.name = value.trim();
    else if (f === 'subtotal' || f === 'tax' || f === 'total') out[f] = Math.round(Number(value) * 100) / 100;
    else if (f === 'iban') out.iban = value.replace(/\s/g, '').toUpperCase();
    else out[f] = value.trim();
    out.evidence[FIELD_OF[f]] = {
      text: quote.trim().slice(0, 200),
      page: null,
      confidence: 0.6,
      method: 'llm',
    };
  }
  return out;
}
