import type { InvoiceKind, InvoiceStatus, VendorAccountStatus } from '../../db/invoice.tables.ts';
import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { maskIban, normalizeIban } from './checks.iban.ts';
import { type CheckResult, type CheckSettings, fail, pass, unchecked } from './checks.model.ts';
import { daysBetween } from './iso-date.ts';
import { identifierKey } from './keys.ts';
import { formatMoney, median, within } from './money.ts';

/**
 * Checks against what we already know: duplicates, changed bank details, an unusual amount and a
 * vendor we have never paid. These catch real money (a double payment, a fraudster's IBAN), so
 * duplicates and bank changes are always high severity. Pure: the caller loads the history.
 */

/** An invoice recorded before this one, as the checks need it. */
export interface EarlierInvoice {
  id: string;
  documentId: string;
  kind: InvoiceKind;
  number: string | null;
  issueDate: string | null;
  /** When we received it (ISO date): stands in for a missing issue date. */
  receivedOn: string;
  currency: string | null;
  total: number | null;
  status: InvoiceStatus;
  filename: string;
}

export interface KnownAccount {
  iban: string;
  status: VendorAccountStatus;
  firstSeenOn: string;
}

export interface HistoryInput {
  doc: ExtractedDocument;
  kind: InvoiceKind;
  /** Today (ISO), the received date of this document. */
  today: string;
  vendor: { id: string; name: string } | null;
  /** The vendor's earlier invoices, any status. */
  history: EarlierInvoice[];
  /** Earlier invoices of any vendor filed from a file with the same sha256. */
  sameFile: EarlierInvoice[];
  /** The vendor's bank accounts before this document. */
  accounts: KnownAccount[];
  settings: CheckSettings;
}

const ref = (e: EarlierInvoice) => ({
  invoiceId: e.id,
  documentId: e.documentId,
  number: e.number,
  issueDate: e.issueDate,
  receivedOn: e.receivedOn,
  status: e.status,
  total: e.total,
  currency: e.currency,
});
const describe = (e: EarlierInvoice) =>
  `invoice ${e.number ?? '(no number)'} of ${e.issueDate ?? `received ${e.receivedOn}`} (#${e.id}, ${e.status})`;

export function historyChecks(input: HistoryInput): CheckResult[] {
  return [
    duplicateByNumber(input),
    duplicateByFile(input),
    duplicateByAmount(input),
    bankChanged(input),
    amountOutlier(input),
    newVendor(input),
  ];
}

function duplicateByNumber({ doc, kind, vendor, history }: HistoryInput): CheckResult {
  const id = 'duplicate.number';
  const key = identifierKey(doc.invoiceNumber);
  if (!vendor) return unchecked(id, 'The vendor is unknown, so its invoice numbers cannot be compared.');
  if (!key) return unchecked(id, 'The invoice number could not be read.');
  const same = history.filter((h) => h.kind === kind && identifierKey(h.number) === key);
  if (same.length === 0)
    return pass(id, `No earlier ${vendor.name} invoice has number ${doc.invoiceNumber}.`);
  const first = same[0]!;
  return fail(id, 'high', `${vendor.name} already sent ${describe(first)} with the same number.`, {
    earlier: same.map(ref),
  });
}

function duplicateByFile({ sameFile }: HistoryInput): CheckResult {
  const id = 'duplicate.file';
  if (sameFile.length === 0) return pass(id, 'This file has not been filed before.');
  const first = sameFile[0]!;
  return fail(id, 'high', `The same file (${first.filename}) was already filed as ${describe(first)}.`, {
    earlier: sameFile.map(ref),
  });
}

function duplicateByAmount({ doc, kind, today, vendor, history, settings }: HistoryInput): CheckResult {
  const id = 'duplicate.amount';
  const days = settings.duplicateWindowDays;
  if (!vendor) return unchecked(id, 'The vendor is unknown.');
  if (doc.total === null) return unchecked(id, 'The total could not be read.');
  const when = doc.issueDate ?? today;
  const close = history.filter(
    (h) =>
      h.kind === kind &&
      h.total !== null &&
      h.currency === doc.currency &&
      within(h.total, doc.total!, 0.005) &&
      Math.abs(daysBetween(h.issueDate ?? h.receivedOn, when)) <= days,
  );
  const amount = formatMoney(doc.total, doc.currency);
  if (close.length === 0)
    return pass(id, `No other ${vendor.name} invoice over ${amount} within ${days} days.`);
  const first = close[0]!;
  return fail(
    id,
    'high',
    `${vendor.name} sent ${describe(first)} over the same ${amount} within ${days} days.`,
    {
      earlier: close.map(ref),
      windowDays: days,
    },
  );
}

function bankChanged({ doc, vendor, accounts }: HistoryInput): CheckResult {
  const id = 'bank.changed';
  const iban = normalizeIban(doc.iban);
  if (!iban) return unchecked(id, 'No IBAN on the document.');
  if (!vendor) return unchecked(id, 'The vendor is unknown, so its bank accounts cannot be compared.');
  const trusted = accounts.filter((a) => a.status !== 'pending');
  if (trusted.length === 0) {
    return pass(id, `First bank account on record for ${vendor.name}: ${maskIban(iban)}.`, {
      iban: maskIban(iban),
    });
  }
  if (trusted.some((a) => a.iban === iban)) {
    return pass(id, `${maskIban(iban)} is a known account of ${vendor.name}.`, { iban: maskIban(iban) });
  }
  const old = trusted.map((a) => maskIban(a.iban));
  const pending = accounts.find((a) => a.iban === iban);
  const seen = pending ? ` It was first seen on ${pending.firstSeenOn} and never confirmed.` : '';
  return fail(
    id,
    'high',
    `Bank details changed: ${vendor.name} asks for payment to ${maskIban(iban)}, but the known account is ${old.join(' or ')}.${seen}`,
    { newIban: maskIban(iban), knownIbans: old },
  );
}

function amountOutlier({ doc, vendor, history, settings }: HistoryInput): CheckResult {
  const id = 'amount.outlier';
  if (!vendor) return unchecked(id, 'The vendor is unknown.');
  if (doc.total === null) return unchecked(id, 'The total could not be read.');
  const totals = history
    .filter(
      (h) =>
        h.kind === 'invoice' && h.status !== 'rejected' && h.currency === doc.currency && h.total !== null,
    )
    .map((h) => h.total!);
  if (totals.length < settings.outlierMinHistory) {
    return unchecked(
      id,
      `Only ${totals.length} earlier ${vendor.name} invoice(s) in ${doc.currency ?? 'this currency'}; too few to compare.`,
    );
  }
  const m = median(totals);
  const f = settings.outlierFactor;
  const data = { median: m, earlier: totals.length, factor: f };
  const amount = formatMoney(doc.total, doc.currency);
  if (m > 0 && (doc.total > m * f || doc.total < m / f)) {
    return fail(
      id,
      'warn',
      `${amount} is unusual for ${vendor.name}: the median of ${totals.length} earlier invoices is ${formatMoney(m, doc.currency)}.`,
      data,
    );
  }
  return pass(
    id,
    `${amount} is in line with ${vendor.name}'s earlier invoices (median ${formatMoney(m, doc.currency)}).`,
    data,
  );
}

function newVendor({ vendor, history }: HistoryInput): CheckResult {
  const id = 'vendor.new';
  if (!vendor) return unchecked(id, 'The vendor is unknown.');
  if (history.length === 0) {
    return fail(id, 'warn', `First invoice from ${vendor.name}: a new vendor, so the owner decides.`, {
      vendorId: vendor.id,
    });
  }
  return pass(id, `${history.length} earlier invoice(s) from ${vendor.name}.`, { vendorId: vendor.id });
}
