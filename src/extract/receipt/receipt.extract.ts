/**
 * Receipt fields from text: a scan read by OCR, or a receipt that arrived as an HTML or text
 * mail body ("Amount paid $29.00"). Fills kind, vendor name, date, number, currency, subtotal,
 * tax and total, each with the line it came from as evidence; what cannot be read with
 * confidence stays null with a warning (the contract's rule: never guessed). Pure.
 */
import { htmlToText } from '../../ingest/html.ts';
import { type ExtractedDocument, emptyDocument, type FieldName } from '../extract.model.ts';
import { pickCurrency } from './receipt.currency.ts';
import { pickDate, pickKind, pickNumber } from './receipt.fields.ts';
import { type Line, toLines } from './receipt.text.ts';
import { pickMoney } from './receipt.total.ts';
import { vendorFromPhrase, vendorFromTop } from './receipt.vendor.ts';

export interface ReceiptOptions {
  /** File name, or "message body". */
  source: string;
  /** How the text was obtained: OCR text is noisier, and a mail body does not start with the merchant. */
  method: 'ocr' | 'html' | 'text';
  /** 1-based page the text is from, for evidence; default null (no pages). */
  page?: number | null;
}

/** Below this, a field is kept but the reader is warned it may be wrong. */
const SURE = 0.6;

/** Reads a receipt's fields from its text. Never throws. */
export function extractReceiptFields(text: string, opts: ReceiptOptions): ExtractedDocument {
  const doc = emptyDocument(opts.source, opts.method);
  // An HTML body is normally converted by ingest already; raw markup is converted here too.
  const plain =
    opts.method === 'html' && /<\/?(?:html|body|table|div|p|br|td)\b/i.test(text) ? htmlToText(text) : text;
  const lines = toLines(plain);
  const page = opts.page ?? null;
  const cite = (field: FieldName, line: Line, confidence: number) => {
    doc.evidence[field] = { text: line.text, page, confidence: Math.round(confidence * 100) / 100 };
    if (confidence < SURE) doc.warnings.push(`${field} read with low confidence from "${line.text}"`);
  };
  if (!lines.length) {
    doc.kind = 'receipt';
    doc.warnings.push('no text to read');
    return doc;
  }

  doc.kind = pickKind(plain);
  const vendor = opts.method === 'ocr' ? vendorFromTop(lines) : vendorFromPhrase(lines);
  if (vendor) {
    doc.vendor.name = vendor.name;
    cite('vendor.name', vendor.line, vendor.confidence);
  } else doc.warnings.push('vendor name not found');

  const date = pickDate(lines);
  doc.warnings.push(...date.warnings);
  if (date.pick) {
    doc.issueDate = date.pick.iso;
    cite('issueDate', date.pick.line, date.pick.confidence);
  } else doc.warnings.push('date not found');

  const number = pickNumber(lines);
  if (number) {
    doc.invoiceNumber = number.value;
    cite('invoiceNumber', number.line, 0.7);
  }

  const money = pickMoney(lines);
  doc.warnings.push(...money.warnings);
  for (const field of ['total', 'subtotal', 'tax'] as const) {
    const pick = money[field];
    if (!pick) continue;
    doc[field] = pick.value;
    cite(field, pick.line, pick.confidence);
  }
  if (!money.total) doc.warnings.push('total not found');

  const currency = pickCurrency(plain, money.total?.currencyMark ?? null);
  if (currency) {
    doc.currency = currency.code;
    const line = lines.find((l) => l.text.includes(currency.mark)) ?? money.total?.line ?? lines[0]!;
    cite('currency', line, currency.confidence);
    if (currency.warning) doc.warnings.push(currency.warning);
  }
  return doc;
}
