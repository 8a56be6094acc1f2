/**
 * Filling an ExtractedDocument from XML nodes: every value goes in together with its evidence
 * (the element's path, confidence 1: the XML is the invoice, not a reading of it), and the
 * rules shared by all syntaxes (totals, bank accounts, payment terms) live here once. Pure.
 */
import { type ExtractedDocument, emptyDocument, type FieldName } from '../extract.model.ts';
import { dueDateFromTerms } from './einvoice.terms.ts';
import { cleanText, kindFromTypeCode, normalizeIban, parseAmount } from './einvoice.values.ts';
import type { XmlNode } from './einvoice.xml.ts';

type Setter = (doc: ExtractedDocument, value: string | number) => void;

const SETTERS: Record<FieldName, Setter> = {
  kind: () => undefined,
  'vendor.name': (d, v) => {
    d.vendor.name = String(v);
  },
  'vendor.email': (d, v) => {
    d.vendor.email = String(v);
  },
  'vendor.taxId': (d, v) => {
    d.vendor.taxId = String(v);
  },
  invoiceNumber: (d, v) => {
    d.invoiceNumber = String(v);
  },
  issueDate: (d, v) => {
    d.issueDate = String(v);
  },
  dueDate: (d, v) => {
    d.dueDate = String(v);
  },
  currency: (d, v) => {
    d.currency = String(v);
  },
  subtotal: (d, v) => {
    d.subtotal = Number(v);
  },
  tax: (d, v) => {
    d.tax = Number(v);
  },
  total: (d, v) => {
    d.total = Number(v);
  },
  iban: (d, v) => {
    d.iban = String(v);
  },
  bic: (d, v) => {
    d.bic = String(v);
  },
  poNumber: (d, v) => {
    d.poNumber = String(v);
  },
  paymentTerms: (d, v) => {
    d.paymentTerms = String(v);
  },
};

export function newRecord(source: string): ExtractedDocument {
  return emptyDocument(source, 'einvoice-xml');
}

/** Sets a field with its evidence; a null value or missing node leaves the field null. */
export function put(
  doc: ExtractedDocument,
  field: FieldName,
  value: string | number | null,
  node: XmlNode | undefined,
  evidence?: { text: string; confidence: number },
): void {
  if (value === null || node === undefined) return;
  SETTERS[field](doc, value);
  doc.evidence[field] = {
    text: evidence?.text ?? node.path,
    page: null,
    confidence: evidence?.confidence ?? 1,
  };
}

export function putKind(doc: ExtractedDocument, typeCode: XmlNode | undefined): void {
  const { kind, warning } = kindFromTypeCode(typeCode?.text || undefined);
  doc.kind = kind;
  if (typeCode) doc.evidence.kind = { text: typeCode.path, page: null, confidence: 1 };
  if (warning) doc.warnings.push(warning);
}

/** A text value (whitespace collapsed); an empty element counts as absent. */
export function putText(doc: ExtractedDocument, field: FieldName, node: XmlNode | undefined): void {
  put(doc, field, cleanText(node?.text), node);
}

/** An amount; a value that is not xsd:decimal is left null with a warning, never guessed. */
export function amountOf(doc: ExtractedDocument, node: XmlNode | undefined): number | null {
  if (!node || node.text === '') return null;
  const value = parseAmount(node.text);
  if (value === null) doc.warnings.push(`${node.path} holds "${node.text}", which is not an amount`);
  return value;
}

export interface Totals {
  subtotal: XmlNode | undefined;
  tax: XmlNode | undefined;
  grand: XmlNode | undefined;
  duePayable: XmlNode | undefined;
}

/**
 * `total` is the grand total (tax included). The amount due (after prepayments) is what gets
 * paid; when it differs the owner is told, because paying the total would overpay.
 */
export function putTotals(doc: ExtractedDocument, t: Totals): void {
  put(doc, 'subtotal', amountOf(doc, t.subtotal), t.subtotal);
  put(doc, 'tax', amountOf(doc, t.tax), t.tax);
  const grand = amountOf(doc, t.grand);
  const due = amountOf(doc, t.duePayable);
  if (grand !== null) put(doc, 'total', grand, t.grand);
  else if (due !== null) {
    put(doc, 'total', due, t.duePayable);
    doc.warnings.push('the e-invoice has no grand total; total is the amount due');
  }
  if (grand !== null && due !== null && Math.abs(grand - due) >= 0.005) {
    doc.warnings.push(
      `amount due ${due.toFixed(2)} differs from the invoice total ${grand.toFixed(2)} (prepaid or adjusted)`,
    );
  }
}

export interface BankAccount {
  iban: XmlNode;
  bic: XmlNode | undefined;
}

/** The first creditor account is the one to pay; more than one is worth a look (payment fraud). */
export function putBank(doc: ExtractedDocument, accounts: BankAccount[]): void {
  const valid = accounts.flatMap((a) => {
    const iban = normalizeIban(a.iban.text);
    if (!iban && a.iban.text)
      doc.warnings.push(`${a.iban.path} holds "${a.iban.text}", which is not an IBAN`);
    return iban ? [{ ...a, value: iban }] : [];
  });
  const first = valid[0];
  if (!first) return;
  put(doc, 'iban', first.value, first.iban);
  putText(doc, 'bic', first.bic);
  const others = [...new Set(valid.map((a) => a.value))].filter((v) => v !== first.value);
  if (others.length > 0)
    doc.warnings.push(
      `the e-invoice names several bank accounts; using the first (also: ${others.join(', ')})`,
    );
}

/** Payment terms as written; the due date element wins, else a date the terms state unambiguously. */
export function putTerms(
  doc: ExtractedDocument,
  descriptions: XmlNode[],
  due: { date: string | null; node: XmlNode } | undefined,
): void {
  const texts = descriptions.filter((d) => d.text !== '');
  if (texts.length > 0) {
    const joined = [...new Set(texts.map((d) => d.text.trim()))].join('\n');
    put(doc, 'paymentTerms', joined, texts[0]);
  }
  if (due?.date) {
    put(doc, 'dueDate', due.date, due.node);
    return;
  }
  if (due && due.node.text !== '')
    doc.warnings.push(`${due.node.path} holds "${due.node.text}", which is not a day`);
  for (const node of texts) {
    const fromTerms = dueDateFromTerms(node.text, doc.issueDate);
    if (!fromTerms) continue;
    put(doc, 'dueDate', fromTerms.date, node, { text: `${node.path}: ${fromTerms.clause}`, confidence: 0.9 });
    doc.warnings.push(`due date read from the payment terms ("${fromTerms.clause}")`);
    return;
  }
}

/** Warnings for what an invoice must have and this one lacks, or has in an unusual shape. */
export function flagGaps(doc: ExtractedDocument): void {
  if (doc.kind === 'invoice' && doc.total !== null && doc.total < 0) {
    doc.warnings.push('the total is negative: this invoice is in effect a credit note');
  }
  if (doc.invoiceNumber === null) doc.warnings.push('invoice number missing');
  if (doc.issueDate === null) doc.warnings.push('issue date missing');
  if (doc.total === null) doc.warnings.push('total missing');
  if (doc.currency === null) doc.warnings.push('currency missing');
  if (doc.vendor.name === null) doc.warnings.push('seller name missing');
}
