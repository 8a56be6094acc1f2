import type { Db } from '../../db/db.types.ts';
import type { DocumentRow } from '../../db/invoice.tables.ts';
import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { isIsoDate } from './iso-date.ts';
import { foldText } from './vendor.names.ts';

/** Document rows and their key dates. Functions take `db | trx` first. */

/** Caps keep the tsvector well under PostgreSQL's 1 MB limit and rows small. */
const MAX_TEXT = 200_000;

/**
 * The words a document is found by: its fields and its text, folded (lower-case, no accents,
 * punctuation as spaces) the same way the search query is, so "Müller" finds "MULLER" and
 * "2024-0042" finds "2024/0042".
 */
export function searchTextOf(
  doc: ExtractedDocument,
  filename: string,
  text: string,
  vendorName?: string | null,
): string {
  const parts = [
    filename,
    doc.kind.replace('_', ' '),
    vendorName,
    doc.vendor.name,
    doc.vendor.taxId,
    doc.vendor.email,
    doc.buyer.name,
    doc.invoiceNumber,
    doc.poNumber,
    doc.iban,
    doc.currency,
    doc.total === null ? null : doc.total.toFixed(2),
    doc.paymentTerms,
    ...doc.parties,
    ...doc.keyDates.flatMap((k) => [k.label, k.date]),
    ...doc.lines.map((l) => l.description),
    text.slice(0, MAX_TEXT),
  ];
  return foldText(parts.filter(Boolean).join(' \n ')).slice(0, MAX_TEXT);
}

export async function documentByKey(
  db: Db,
  messageId: string,
  sha256: string,
): Promise<DocumentRow | undefined> {
  return db
    .selectFrom('documents')
    .selectAll()
    .where('message_id', '=', messageId)
    .where('attachment_sha256', '=', sha256)
    .executeTakeFirst();
}

export interface NewDocument {
  messageId: string;
  sha256: string;
  filename: string;
  doc: ExtractedDocument;
  vendorId: string | null;
  vendorName: string | null;
  corrections: string[];
  text: string;
  now: Date;
}

/** Inserts the document and its key dates; undefined when (message, file) is already filed. */
export async function insertDocument(db: Db, d: NewDocument): Promise<DocumentRow | undefined> {
  const row = await db
    .insertInto('documents')
    .values({
      message_id: d.messageId,
      attachment_sha256: d.sha256,
      filename: d.filename,
      kind: d.doc.kind,
      method: d.doc.method,
      vendor_id: d.vendorId,
      extracted: JSON.stringify(d.doc),
      warnings: JSON.stringify(d.doc.warnings),
      corrections: JSON.stringify(d.corrections),
      text: d.text.slice(0, MAX_TEXT),
      search_text: searchTextOf(d.doc, d.filename, d.text, d.vendorName),
      created_at: d.now,
    })
    .onConflict((oc) => oc.columns(['message_id', 'attachment_sha256']).doNothing())
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  const dates = d.doc.keyDates.filter((k) => isIsoDate(k.date) && k.label.trim());
  if (dates.length > 0) {
    await db
      .insertInto('document_key_dates')
      .values(
        dates.map((k) => ({
          document_id: row.id,
          label: k.label.trim(),
          on_date: k.date,
          evidence: k.evidence,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  return row;
}
