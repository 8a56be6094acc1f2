import { sql } from 'kysely';
import type { Db } from '../../db/db.types.ts';
import type { InvoiceKind } from '../../db/invoice.tables.ts';
import { recordProposal } from '../proposals.repository.ts';
import { DEFAULT_CHECK_SETTINGS, riskOf } from './checks.model.ts';
import { runChecks } from './checks.ts';
import { documentByKey } from './document.repository.ts';
import { type FiledDocument, fileDocument, INVOICE_KINDS } from './invoice.document.ts';
import { exceptionsFrom } from './invoice.exceptions.ts';
import { journalInvoice, rememberAccount } from './invoice.journal.ts';
import type { RecordInvoiceInput, RecordInvoiceResult } from './invoice.model.ts';
import { paymentProposal } from './invoice.proposal.ts';
import { paymentKey, replay } from './invoice.replay.ts';
import { insertInvoice } from './invoice.repository.ts';

/**
 * A document found in a message becomes a document record; an invoice (or credit note) also an
 * invoice record, checked, with its exceptions and — for an invoice — a payment proposal. One
 * transaction, serialized across workers by an advisory lock (so two copies of one invoice
 * arriving at once still see each other), and idempotent: the same (message, file) again returns
 * what was recorded the first time and writes nothing.
 */

export type { RecordInvoiceInput, RecordInvoiceResult } from './invoice.model.ts';

const LOCK = 'deskhand:invoices';

export async function recordInvoice(db: Db, input: RecordInvoiceInput): Promise<RecordInvoiceResult> {
  const run = (trx: Db) => record(trx, input);
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

async function record(db: Db, input: RecordInvoiceInput): Promise<RecordInvoiceResult> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${LOCK}))`.execute(db);
  const existing = await documentByKey(db, input.messageId, input.attachmentSha256);
  if (existing) return replay(db, existing);

  const now = input.clock.now();
  const message = await db
    .selectFrom('messages')
    .select('thread_id')
    .where('id', '=', input.messageId)
    .executeTakeFirst();
  const threadId = message?.thread_id ?? null;
  const filed = await fileDocument(db, { ...input, threadId, now });
  const base = {
    documentId: filed.document.id,
    vendorId: filed.vendor?.id ?? null,
    corrections: filed.corrections,
    created: true,
  };
  if (!INVOICE_KINDS.has(filed.doc.kind)) {
    return {
      ...base,
      invoiceId: null,
      checks: [],
      risk: null,
      exceptions: [],
      exceptionDetails: [],
      proposal: null,
    };
  }
  return { ...base, ...(await checkInvoice(db, input, filed, threadId, now)) };
}

/** Checks the filed invoice against history, stores it, journals it and proposes the payment. */
async function checkInvoice(
  db: Db,
  input: RecordInvoiceInput,
  { document, vendor, doc, corrections }: FiledDocument,
  threadId: string | null,
  now: Date,
) {
  const kind = doc.kind as InvoiceKind;
  const settings = { ...DEFAULT_CHECK_SETTINGS, ...input.settings };
  const { checks, purchaseOrderId } = await runChecks(db, {
    doc,
    kind,
    documentId: document.id,
    sha256: input.attachmentSha256,
    now,
    vendor,
    settings,
  });
  const risk = riskOf(checks);
  const vendorName = vendor?.name ?? null;
  const exceptions = exceptionsFrom({ doc, vendorName, filename: input.filename, checks });
  const invoice = await insertInvoice(db, {
    documentId: document.id,
    vendorId: vendor?.id ?? null,
    kind,
    doc,
    purchaseOrderId,
    risk,
    checks,
    exceptions,
    now,
  });
  const { messageId } = input;
  if (vendor) await rememberAccount(db, { vendor, doc, checks, messageId, threadId, now });
  await journalInvoice(db, { invoiceId: invoice.id, messageId, threadId, risk, checks, exceptions });

  let proposal: RecordInvoiceResult['proposal'] = null;
  // A credit note is money coming back: filed and checked, nothing to pay.
  if (kind === 'invoice') {
    const p = paymentProposal({
      invoiceId: invoice.id,
      documentId: document.id,
      vendorId: vendor?.id ?? null,
      vendorName,
      filename: input.filename,
      doc,
      risk,
      checks,
      exceptions,
      corrections,
    });
    const { proposal: row } = await recordProposal(
      db,
      {
        kind: 'payment',
        idempotencyKey: paymentKey(invoice.id),
        messageId,
        threadId,
        summary: p.summary,
        status: p.status,
        payload: p.payload,
        reason: `${risk} risk, ${exceptions.length} exception(s)`,
      },
      now,
    );
    proposal = { id: row.id, summary: p.summary, payload: p.payload };
  }
  return {
    invoiceId: invoice.id,
    checks,
    risk,
    exceptions: exceptions.map((e) => e.message),
    exceptionDetails: exceptions,
    proposal,
  };
}
