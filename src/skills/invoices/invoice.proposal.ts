import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { normalizeIban } from './checks.iban.ts';
import type { CheckResult, Risk } from './checks.model.ts';
import type { InvoiceException } from './invoice.exceptions.ts';
import { formatMoney } from './money.ts';

/**
 * The payment proposal: one line saying exactly what would happen ("Pay ACME GmbH EUR 1,190.00
 * by 2024-03-31, invoice 2024-0042") and a payload with everything the approval needs to show
 * and, once approved, to execute — the checks' results included. Pure.
 */

export interface PaymentProposalInput {
  invoiceId: string;
  documentId: string;
  vendorId: string | null;
  vendorName: string | null;
  filename: string;
  doc: ExtractedDocument;
  risk: Risk;
  checks: CheckResult[];
  exceptions: InvoiceException[];
  corrections: string[];
}

export interface PaymentProposal {
  summary: string;
  /** needs_input when the amount or the payee is unknown: nothing to approve yet. */
  status: 'awaiting_approval' | 'needs_input';
  payload: Record<string, unknown>;
}

export function paymentSummary(p: {
  vendorName: string | null;
  total: number | null;
  currency: string | null;
  dueDate: string | null;
  invoiceNumber: string | null;
  filename: string;
}): string {
  const who = p.vendorName ?? 'an unknown vendor';
  const amount = p.total !== null && p.currency ? formatMoney(p.total, p.currency) : '(amount unreadable)';
  const by = p.dueDate ? ` by ${p.dueDate}` : '';
  const ref = p.invoiceNumber ? `invoice ${p.invoiceNumber}` : `${p.filename} (no invoice number)`;
  return `Pay ${who} ${amount}${by}, ${ref}`;
}

export function paymentProposal(p: PaymentProposalInput): PaymentProposal {
  const d = p.doc;
  const summary = paymentSummary({
    vendorName: p.vendorName,
    total: d.total,
    currency: d.currency,
    dueDate: d.dueDate,
    invoiceNumber: d.invoiceNumber,
    filename: p.filename,
  });
  const complete = d.total !== null && d.currency !== null && p.vendorName !== null;
  return {
    summary,
    status: complete ? 'awaiting_approval' : 'needs_input',
    payload: {
      type: 'payment',
      invoiceId: p.invoiceId,
      documentId: p.documentId,
      vendorId: p.vendorId,
      vendor: p.vendorName,
      invoiceNumber: d.invoiceNumber,
      issueDate: d.issueDate,
      dueDate: d.dueDate,
      currency: d.currency,
      amount: d.total,
      subtotal: d.subtotal,
      tax: d.tax,
      iban: normalizeIban(d.iban),
      bic: d.bic,
      poNumber: d.poNumber,
      risk: p.risk,
      checks: p.checks,
      exceptions: p.exceptions,
      corrections: p.corrections,
      evidence: d.evidence,
    },
  };
}
