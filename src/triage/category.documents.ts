import type { ClassifiedAttachment } from './attachments.ts';
import type { CategoryInput } from './category.input.ts';
import { type Decision, decision } from './decision.ts';
import {
  DOCUMENT_WORDS,
  INVOICE_BODY_PHRASES,
  INVOICE_WORDS,
  RECEIPT_BODY_PHRASES,
  RECEIPT_WORDS,
} from './keywords.ts';
import type { Category } from './triage.model.ts';

/**
 * Invoices, receipts and other documents. Evidence, strongest first: an e-invoice XML, an
 * attachment named like a bill, an unnamed document with bill words in the subject or body,
 * bill words with no attachment at all (an HTML receipt in the body).
 */

/** A bill told by its attachments. */
export function billAttachmentRule(input: CategoryInput): Decision<Category> | null {
  const { attachments } = input;
  const einvoice = first(attachments, 'einvoice');
  if (einvoice) return decision('invoice', 0.97, `attachment ${einvoice.name} ${einvoice.why}`);
  const invoice = first(attachments, 'invoice');
  if (invoice) return decision('invoice', 0.9, `attachment ${invoice.name} ${invoice.why}`);
  const receipt = first(attachments, 'receipt');
  if (receipt) return decision('receipt', 0.85, `attachment ${receipt.name} ${receipt.why}`);
  const file = first(attachments, 'file');
  if (!file) return null;
  const words = billWords(input);
  if (words === null) return null;
  return {
    ...words,
    confidence: words.confidence + 0.15,
    reasons: [...words.reasons, `with attachment ${file.name}`],
  };
}

/** Contracts, statements, quotes…, and any other PDF or office file. */
export function documentAttachmentRule({ attachments, subjects }: CategoryInput): Decision<Category> | null {
  const named = first(attachments, 'document');
  if (named) return decision('document', 0.8, `attachment ${named.name} ${named.why}`);
  const file = first(attachments, 'file');
  if (!file) return null;
  const word = DOCUMENT_WORDS.exec(subjects)?.[0];
  return word === undefined
    ? decision('document', 0.6, `attachment ${file.name} ${file.why}`)
    : decision('document', 0.75, `attachment ${file.name} ${file.why}; subject says "${word}"`);
}

/** A bill with nothing attached: an HTML invoice or receipt in the body. */
export function billWordsRule(input: CategoryInput): Decision<Category> | null {
  return billWords(input);
}

/**
 * Receipts are checked before invoices: "Receipt for invoice #123" is a receipt (paid), and
 * receipts routinely mention the invoice they settle.
 */
function billWords({ subjects, body }: CategoryInput): Decision<Category> | null {
  const receiptSubject = RECEIPT_WORDS.exec(subjects)?.[0];
  if (receiptSubject !== undefined)
    return decision('receipt', 0.7, `subject says "${receiptSubject}": a receipt`);
  const invoiceSubject = INVOICE_WORDS.exec(subjects)?.[0];
  if (invoiceSubject !== undefined)
    return decision('invoice', 0.7, `subject says "${invoiceSubject}": an invoice`);
  const receiptBody = RECEIPT_BODY_PHRASES.exec(body)?.[0];
  if (receiptBody !== undefined) return decision('receipt', 0.6, `body says "${receiptBody}": a receipt`);
  const invoiceBody = INVOICE_BODY_PHRASES.exec(body)?.[0];
  if (invoiceBody !== undefined) return decision('invoice', 0.55, `body says "${invoiceBody}": an invoice`);
  return null;
}

function first(attachments: ClassifiedAttachment[], kind: ClassifiedAttachment['kind']) {
  return attachments.find((a) => a.kind === kind);
}
