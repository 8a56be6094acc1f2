import type { Db } from '../../db/db.types.ts';
import type { DocumentRow, VendorRow } from '../../db/invoice.tables.ts';
import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { appendJournal } from '../../journal/journal.repository.ts';
import { applyCorrections } from './corrections.ts';
import { insertDocument } from './document.repository.ts';
import { resolveVendor } from './vendors.ts';

/**
 * Files one document: for an invoice or credit note, finds (or creates) the vendor and applies the
 * owner's corrections for that vendor first, so what is stored is the corrected document; then the
 * document row, its key dates and a journal row.
 */

export const INVOICE_KINDS: ReadonlySet<string> = new Set(['invoice', 'credit_note']);

export interface FileDocumentInput {
  doc: ExtractedDocument;
  messageId: string;
  threadId: string | null;
  attachmentSha256: string;
  filename: string;
  text?: string;
  senderEmail?: string | null;
  ignoreDomains?: readonly string[];
  now: Date;
}

export interface FiledDocument {
  document: DocumentRow;
  vendor: VendorRow | null;
  /** The document as filed: corrections applied. */
  doc: ExtractedDocument;
  corrections: string[];
}

export async function fileDocument(db: Db, input: FileDocumentInput): Promise<FiledDocument> {
  const { now } = input;
  let vendor: VendorRow | null = null;
  let doc = input.doc;
  let corrections: string[] = [];
  if (INVOICE_KINDS.has(doc.kind)) {
    vendor = (await resolveVendor(db, input, now))?.vendor ?? null;
    if (vendor) ({ doc, applied: corrections } = await applyCorrections(db, vendor.id, doc));
  }
  const document = await insertDocument(db, {
    messageId: input.messageId,
    sha256: input.attachmentSha256,
    filename: input.filename,
    doc,
    vendorId: vendor?.id ?? null,
    vendorName: vendor?.name ?? null,
    corrections,
    text: input.text ?? '',
    now,
  });
  // The caller holds the invoices lock and looked first, so a conflict here is a bug, not a race.
  if (!document) throw new Error(`document (${input.messageId}, ${input.attachmentSha256}) already filed`);
  await appendJournal(db, {
    actor: 'deskhand',
    action: 'document_recorded',
    reason: `${doc.kind} ${input.filename} (${doc.method})${vendor ? ` from ${vendor.name}` : ''}`,
    messageId: input.messageId,
    threadId: input.threadId,
    data: {
      documentId: document.id,
      kind: doc.kind,
      method: doc.method,
      filename: input.filename,
      sha256: input.attachmentSha256,
      vendorId: vendor?.id ?? null,
      warnings: doc.warnings,
      keyDates: doc.keyDates,
      corrections,
    },
  });
  return { document, vendor, doc, corrections };
}
