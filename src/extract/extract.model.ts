/**
 * What extraction produces: one record per document found, in the shape of the `extract --json`
 * contract (DESIGN.md). The rule: every field is either right, with the text it came from as
 * evidence, or `null` with a warning — never guessed. Amounts are numbers in the document's
 * currency, dates ISO `YYYY-MM-DD`, currency ISO 4217.
 */

export type DocumentKind =
  | 'invoice'
  | 'credit_note'
  | 'receipt'
  | 'contract'
  | 'statement'
  | 'tax_form'
  | 'quote'
  | 'purchase_order'
  | 'other';

/** Where the values came from, in order of trust. */
export type ExtractMethod = 'einvoice-xml' | 'pdf-text' | 'html' | 'text' | 'ocr' | 'llm';

/** The fields that carry evidence. */
export type FieldName =
  | 'kind'
  | 'vendor.name'
  | 'vendor.email'
  | 'vendor.taxId'
  | 'invoiceNumber'
  | 'issueDate'
  | 'dueDate'
  | 'currency'
  | 'subtotal'
  | 'tax'
  | 'total'
  | 'iban'
  | 'bic'
  | 'poNumber'
  | 'paymentTerms';

export interface Evidence {
  /** The source text the value was read from, as written ("Total EUR 1.190,00"). */
  text: string;
  /** 1-based page, null when the source has no pages (XML, mail body). */
  page: number | null;
  /** 0..1: how sure the reader is. */
  confidence: number;
  /** Set when a field came from another path than the document's `method` (e.g. one field from the model). */
  method?: ExtractMethod;
}

export interface InvoiceLine {
  description: string;
  quantity: number | null;
  unitPrice: number | null;
  amount: number | null;
}

export interface KeyDate {
  /** What the date is: "contract end", "renewal notice", "statement period end", "valid until" … */
  label: string;
  date: string;
  evidence: string;
}

export interface ExtractedDocument {
  /** The file name (or "message body"). */
  source: string;
  kind: DocumentKind;
  vendor: { name: string | null; email: string | null; taxId: string | null };
  invoiceNumber: string | null;
  issueDate: string | null;
  dueDate: string | null;
  currency: string | null;
  subtotal: number | null;
  tax: number | null;
  total: number | null;
  iban: string | null;
  bic: string | null;
  poNumber: string | null;
  /** Payment terms as written ("Net 30", "zahlbar innerhalb 14 Tagen"); dueDate is resolved from them when possible. */
  paymentTerms: string | null;
  lines: InvoiceLine[];
  /** The buyer, when the document names one (the owner's company, usually). */
  buyer: { name: string | null; taxId: string | null };
  /** Non-invoice documents: the parties named, key dates (contract end, renewal), amounts. */
  parties: string[];
  keyDates: KeyDate[];
  evidence: Partial<Record<FieldName, Evidence>>;
  warnings: string[];
  method: ExtractMethod;
}

/** An empty record: every field unknown. Readers fill in what they can prove. */
export function emptyDocument(source: string, method: ExtractMethod): ExtractedDocument {
  return {
    source,
    kind: 'other',
    vendor: { name: null, email: null, taxId: null },
    invoiceNumber: null,
    issueDate: null,
    dueDate: null,
    currency: null,
    subtotal: null,
    tax: null,
    total: null,
    iban: null,
    bic: null,
    poNumber: null,
    paymentTerms: null,
    lines: [],
    buyer: { name: null, taxId: null },
    parties: [],
    keyDates: [],
    evidence: {},
    warnings: [],
    method,
  };
}

/** Why a document could not be read: a clear exception with context, never a crash. */
export type DocumentErrorCode =
  | 'encrypted'
  | 'corrupt'
  | 'empty'
  | 'too_large'
  | 'too_many_pages'
  | 'timeout'
  | 'out_of_memory'
  | 'unsupported'
  | 'archive';

export class DocumentError extends Error {
  readonly code: DocumentErrorCode;
  readonly source: string;
  constructor(code: DocumentErrorCode, source: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocumentError';
    this.code = code;
    this.source = source;
  }
}
