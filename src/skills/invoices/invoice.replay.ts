import type { Db } from '../../db/db.types.ts';
import type { DocumentRow } from '../../db/invoice.tables.ts';
import type { CheckResult } from './checks.model.ts';
import type { InvoiceException } from './invoice.exceptions.ts';
import type { RecordInvoiceResult } from './invoice.model.ts';
import { invoiceByDocument } from './invoice.repository.ts';

/** The payment proposal's idempotency key: one per invoice. */
export function paymentKey(invoiceId: string): string {
  return `payment:invoice:${invoiceId}`;
}

/** What was recorded for a document filed before, read back; journals nothing. */
export async function replay(db: Db, document: DocumentRow): Promise<RecordInvoiceResult> {
  const invoice = await invoiceByDocument(db, document.id);
  const proposal = invoice
    ? await db
        .selectFrom('proposals')
        .select(['id', 'summary', 'payload'])
        .where('idempotency_key', '=', paymentKey(invoice.id))
        .executeTakeFirst()
    : undefined;
  const exceptionDetails = (invoice?.exceptions ?? []) as InvoiceException[];
  return {
    documentId: document.id,
    invoiceId: invoice?.id ?? null,
    vendorId: invoice?.vendor_id ?? document.vendor_id,
    checks: (invoice?.checks ?? []) as CheckResult[],
    risk: invoice?.risk ?? null,
    exceptions: exceptionDetails.map((e) => e.message),
    exceptionDetails,
    proposal: proposal ? { id: proposal.id, summary: proposal.summary, payload: proposal.payload } : null,
    corrections: document.corrections,
    created: false,
  };
}
