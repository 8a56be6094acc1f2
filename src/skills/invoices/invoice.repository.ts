import type { Db } from '../../db/db.types.ts';
import type { InvoiceKind, InvoiceRisk, InvoiceRow } from '../../db/invoice.tables.ts';
import type { ExtractedDocument } from '../../extract/extract.model.ts';
import type { EarlierInvoice } from './checks.history.ts';
import { normalizeIban } from './checks.iban.ts';
import type { CheckResult } from './checks.model.ts';
import type { InvoiceException } from './invoice.exceptions.ts';
import { isIsoDate, isoDay } from './iso-date.ts';
import { identifierKey } from './keys.ts';
import { fromNumeric } from './money.ts';

/** Invoice rows, which are also each vendor's amount history. Functions take `db | trx` first. */

const earlierColumns = [
  'invoices.id',
  'invoices.document_id',
  'invoices.kind',
  'invoices.number',
  'invoices.issue_date',
  'invoices.created_at',
  'invoices.currency',
  'invoices.total',
  'invoices.status',
  'documents.filename',
] as const;

type EarlierRow = Pick<
  InvoiceRow,
  'id' | 'document_id' | 'kind' | 'number' | 'issue_date' | 'created_at' | 'currency' | 'total' | 'status'
> & {
  filename: string;
};

const toEarlier = (r: EarlierRow): EarlierInvoice => ({
  id: r.id,
  documentId: r.document_id,
  kind: r.kind,
  number: r.number,
  issueDate: r.issue_date,
  receivedOn: isoDay(r.created_at),
  currency: r.currency,
  total: fromNumeric(r.total),
  status: r.status,
  filename: r.filename,
});

/** The vendor's invoices except those of one document, oldest first. */
export function vendorHistory(db: Db, vendorId: string, exceptDocumentId: string): Promise<EarlierInvoice[]> {
  return earlierInvoices(db, 'invoices.vendor_id', vendorId, exceptDocumentId);
}

/** Invoices filed from a file with this sha256, other than one document's. */
export function invoicesFromFile(
  db: Db,
  sha256: string,
  exceptDocumentId: string,
): Promise<EarlierInvoice[]> {
  return earlierInvoices(db, 'documents.attachment_sha256', sha256, exceptDocumentId);
}

async function earlierInvoices(
  db: Db,
  column: 'invoices.vendor_id' | 'documents.attachment_sha256',
  value: string,
  exceptDocumentId: string,
): Promise<EarlierInvoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('documents', 'documents.id', 'invoices.document_id')
    .select(earlierColumns)
    .where(column, '=', value)
    .where('invoices.document_id', '<>', exceptDocumentId)
    .orderBy('invoices.id')
    .execute();
  return rows.map(toEarlier);
}

export async function invoiceByDocument(db: Db, documentId: string): Promise<InvoiceRow | undefined> {
  return db.selectFrom('invoices').selectAll().where('document_id', '=', documentId).executeTakeFirst();
}

export interface NewInvoice {
  documentId: string;
  vendorId: string | null;
  kind: InvoiceKind;
  doc: ExtractedDocument;
  purchaseOrderId: string | null;
  risk: InvoiceRisk;
  checks: CheckResult[];
  exceptions: InvoiceException[];
  now: Date;
}

export async function insertInvoice(db: Db, i: NewInvoice): Promise<InvoiceRow> {
  const d = i.doc;
  return db
    .insertInto('invoices')
    .values({
      document_id: i.documentId,
      vendor_id: i.vendorId,
      kind: i.kind,
      number: d.invoiceNumber,
      number_key: identifierKey(d.invoiceNumber),
      issue_date: isIsoDate(d.issueDate) ? d.issueDate : null,
      due_date: isIsoDate(d.dueDate) ? d.dueDate : null,
      currency: d.currency,
      subtotal: d.subtotal,
      tax: d.tax,
      total: d.total,
      iban: normalizeIban(d.iban),
      bic: d.bic,
      po_number: d.poNumber,
      purchase_order_id: i.purchaseOrderId,
      risk: i.risk,
      checks: JSON.stringify(i.checks),
      exceptions: JSON.stringify(i.exceptions),
      created_at: i.now,
      updated_at: i.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
