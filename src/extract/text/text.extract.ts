/**
 * Invoice and document fields from text — a PDF's text layer, OCR output, or a mail body — by
 * rules, deterministically. The rule of the whole reader: every field is either right, with the
 * line it was read from as evidence, or null with a warning; a wrong value is worse than none.
 * Pure, never throws, linear in the size of the text (see the limits in `text.lines.ts`).
 */
import { type Evidence, type ExtractedDocument, emptyDocument, type FieldName } from '../extract.model.ts';
import { readAmounts } from './text.amounts.ts';
import { readBic, readIban } from './text.bank.ts';
import { readKeyDates, readParties } from './text.contract.ts';
import { readCurrency } from './text.currency.ts';
import { buildDoc } from './text.doc.ts';
import { readInvoiceNumber, readPoNumber } from './text.identifiers.ts';
import { readItems } from './text.items.ts';
import { readKind } from './text.kind.ts';
import type { Doc, Found } from './text.model.ts';
import { readTaxIds } from './text.taxid.ts';
import { readTerms } from './text.terms.ts';
import { readVendor } from './text.vendor.ts';
import { readDueDate, readIssueDate } from './text.when.ts';

export interface TextExtractOptions {
  /** File name, or "message body". */
  source: string;
  method: 'pdf-text' | 'ocr' | 'html' | 'text';
  hints?: { vendorEmail?: string | null };
}

const PAYMENT_KINDS = new Set(['invoice', 'credit_note']);

/** Reads the fields of one document from its pages of text. Never throws. */
export function extractFromText(pages: string[], opts: TextExtractOptions): ExtractedDocument {
  try {
    return read(pages, opts);
  } catch (err) {
    const out = emptyDocument(opts.source, opts.method);
    out.warnings.push(`text could not be read: ${err instanceof Error ? err.message : String(err)}`);
    return out;
  }
}

function read(pages: string[], opts: TextExtractOptions): ExtractedDocument {
  const out = emptyDocument(opts.source, opts.method);
  const { doc, truncated } = buildDoc(pages, opts.method === 'pdf-text' || opts.method === 'ocr');
  const warnings: string[] = [];
  if (truncated) warnings.push('text too long; only the first part was read');
  if (doc.lines.length === 0) {
    out.warnings.push('no text to read');
    return out;
  }
  const set = <T>(field: FieldName, found: Found<T> | null): T | null => {
    if (found === null) return null;
    out.evidence[field] = evidence(found);
    return found.value;
  };

  const number = readInvoiceNumber(doc);
  out.invoiceNumber = set('invoiceNumber', number.found);
  const amounts = readAmounts(doc);
  out.total = set('total', amounts.total);
  out.subtotal = set('subtotal', amounts.subtotal);
  out.tax = set('tax', amounts.tax);
  const currency = readCurrency(doc, amounts.totalCurrency, amounts.total?.line ?? null);
  out.currency = set('currency', currency.currency);

  const kind = readKind(doc, out.invoiceNumber !== null, out.total !== null);
  out.kind = set('kind', kind) ?? 'other';

  const issue = readIssueDate(doc, number.found?.line.index ?? null);
  out.issueDate = set('issueDate', issue.found);
  const due = readDueDate(doc);
  const terms = readTerms(doc, out.issueDate);
  out.paymentTerms = set('paymentTerms', terms.paymentTerms);
  out.dueDate = set('dueDate', due.found ?? terms.dueDate);
  if (due.found && terms.dueDate && terms.dueDate.value !== due.found.value) {
    warnings.push(
      `payment terms give ${terms.dueDate.value}, the due date label says ${due.found.value}; the label kept`,
    );
  }

  const iban = readIban(doc);
  out.iban = set('iban', iban.found);
  const bic = readBic(doc, out.iban);
  out.bic = set('bic', bic.found);
  out.poNumber = set('poNumber', readPoNumber(doc));

  const taxIds = readTaxIds(doc);
  const vendor = readVendor(doc, opts.hints?.vendorEmail);
  out.vendor = {
    name: set('vendor.name', vendor.seller),
    email: set('vendor.email', vendorEmail(doc, opts.hints?.vendorEmail ?? null)),
    taxId: set('vendor.taxId', taxIds.seller),
  };
  out.buyer = { name: vendor.buyer?.value ?? null, taxId: taxIds.buyer?.value ?? null };

  const items = readItems(doc, [out.subtotal, out.total]);
  out.lines = items.lines;
  if (out.kind === 'credit_note' && (out.total ?? 0) < 0 && !CORRECTION.test(out.evidence.kind?.text ?? '')) {
    positiveCredit(out);
    warnings.push(
      'credit note printed with negative amounts; amounts given as positive (the kind says it is a credit)',
    );
  }

  // What the terms say about a due date matters only when no label states one.
  const termNotes = due.found ? [] : terms.warnings;
  const notes = [
    number.warnings,
    amounts.warnings,
    currency.warnings,
    issue.warnings,
    due.warnings,
    termNotes,
  ];
  warnings.push(
    ...notes.flat(),
    ...iban.warnings,
    ...bic.warnings,
    ...taxIds.warnings,
    ...vendor.warnings,
    ...items.warnings,
  );
  if (!PAYMENT_KINDS.has(out.kind)) {
    out.parties = readParties(doc);
    const key = readKeyDates(doc);
    out.keyDates = key.keyDates;
    warnings.push(...key.warnings);
  } else if (out.dueDate === null) {
    warnings.push('due date missing');
  }
  out.warnings = [...new Set(warnings)].filter((w) => keep(w, out.kind));
  return out;
}

/** A corrected invoice ("Rechnungskorrektur") keeps its signs: it is an invoice whose amounts may be negative. */
const CORRECTION = /korrektur|storno|rectificativ|correct/i;

/**
 * EN 16931 (and so the e-invoice XML path) writes a credit note's amounts positive and lets the
 * document type say "credit"; a text layer often prints them negative. One convention for both paths.
 */
function positiveCredit(out: ExtractedDocument): void {
  const flip = (v: number | null) => (v === null ? null : -v);
  out.total = flip(out.total);
  out.subtotal = out.subtotal !== null && out.subtotal < 0 ? -out.subtotal : out.subtotal;
  out.tax = out.tax !== null && out.tax < 0 ? -out.tax : out.tax;
  out.lines = out.lines.map((l) => ({ ...l, quantity: flip(l.quantity), amount: flip(l.amount) }));
}

/** Warnings about invoice fields mean nothing on a contract or a statement. */
function keep(warning: string, kind: string): boolean {
  if (PAYMENT_KINDS.has(kind) || kind === 'receipt') return true;
  return !/^(?:invoice number not found|total not found|issue date not found)$/.test(warning);
}

function evidence<T>(found: Found<T>): Evidence {
  const text = found.line.text.replace(/\t/g, ' ');
  return { text, page: found.line.page, confidence: Math.max(0, Math.min(1, found.confidence)) };
}

/** The seller's address in the document: the sender's, when the document prints it; else none. */
function vendorEmail(doc: Doc, hint: string | null): Found<string> | null {
  if (!hint) return null;
  const lower = hint.toLowerCase();
  const line = doc.lines.find((l) => l.text.toLowerCase().includes(lower));
  return line ? { value: lower, line, confidence: 0.9 } : null;
}
