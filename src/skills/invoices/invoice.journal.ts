import type { Db } from '../../db/db.types.ts';
import type { VendorRow } from '../../db/invoice.tables.ts';
import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { appendJournal } from '../../journal/journal.repository.ts';
import { maskIban, normalizeIban } from './checks.iban.ts';
import type { CheckResult, Risk } from './checks.model.ts';
import type { InvoiceException } from './invoice.exceptions.ts';
import { sawAccount } from './vendor.repository.ts';

/** The audit trail of a recorded invoice: its checks, each exception, a new bank account. */

export async function journalInvoice(
  db: Db,
  j: {
    invoiceId: string;
    messageId: string;
    threadId: string | null;
    risk: Risk;
    checks: CheckResult[];
    exceptions: InvoiceException[];
  },
): Promise<void> {
  const failedChecks = j.checks.filter((c) => c.ok === false).map((c) => c.check);
  await appendJournal(db, {
    actor: 'deskhand',
    action: 'invoice_checked',
    reason: `${j.risk} risk; ${failedChecks.length ? `failed: ${failedChecks.join(', ')}` : 'all checks passed or not applicable'}`,
    messageId: j.messageId,
    threadId: j.threadId,
    data: { invoiceId: j.invoiceId, risk: j.risk, checks: j.checks },
  });
  for (const e of j.exceptions) {
    await appendJournal(db, {
      actor: 'deskhand',
      action: 'invoice_exception',
      reason: e.message,
      messageId: j.messageId,
      threadId: j.threadId,
      data: { invoiceId: j.invoiceId, code: e.code },
    });
  }
}

/**
 * Remembers the document's IBAN for the vendor — only a well-formed one. A new account on a vendor
 * that already had one is `pending` (never trusted without the owner), and journaled as such.
 */
export async function rememberAccount(
  db: Db,
  a: {
    vendor: VendorRow;
    doc: ExtractedDocument;
    checks: CheckResult[];
    messageId: string;
    threadId: string | null;
    now: Date;
  },
): Promise<void> {
  const iban = normalizeIban(a.doc.iban);
  const valid = a.checks.some((c) => c.check === 'iban.checksum' && c.ok === true);
  if (!iban || !valid) return;
  const { account, created } = await sawAccount(db, { vendorId: a.vendor.id, iban, bic: a.doc.bic }, a.now);
  if (!created) return;
  await appendJournal(db, {
    actor: 'deskhand',
    action: 'vendor_account_recorded',
    reason: `${maskIban(iban)} recorded for ${a.vendor.name} as ${account.status}${account.status === 'pending' ? ' (waits for the owner)' : ''}`,
    messageId: a.messageId,
    threadId: a.threadId,
    data: { vendorId: a.vendor.id, accountId: account.id, iban: maskIban(iban), status: account.status },
  });
}
