import type { ProposalRow } from '../db/db.types.ts';
import type { ReplyDraft } from '../skills/drafts/draft.model.ts';
import type { ShownPayment, ShownReply } from './approval.model.ts';
import { neutralizeMarkers } from './reply/reply.draft.ts';

/** What a proposal asks the owner to approve, taken from its payload. Pure. */

export function shownReply(p: ProposalRow, allowedUrls: string[]): ShownReply {
  const d = (p.payload as { draft: ReplyDraft }).draft;
  return {
    type: 'reply',
    to: d.to,
    cc: d.cc,
    subject: d.subject,
    // Shown and executed alike: marker lines in the text are defused (reply/reply.draft.ts).
    body: neutralizeMarkers(d.body),
    inReplyTo: d.inReplyTo,
    references: d.references,
    method: d.method,
    allowedUrls,
    placeholders: d.placeholders,
    unresolvedRecipient: d.unresolvedRecipient,
    warnings: d.warnings ?? [],
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

export function shownPayment(p: ProposalRow): ShownPayment {
  const x = p.payload as Record<string, unknown>;
  return {
    type: 'payment',
    invoiceId: String(x['invoiceId']),
    documentId: String(x['documentId']),
    vendorId: x['vendorId'] == null ? null : String(x['vendorId']),
    vendor: str(x['vendor']),
    invoiceNumber: str(x['invoiceNumber']),
    issueDate: str(x['issueDate']),
    dueDate: str(x['dueDate']),
    currency: str(x['currency']),
    amount: num(x['amount']),
    subtotal: num(x['subtotal']),
    tax: num(x['tax']),
    iban: str(x['iban']),
    bic: str(x['bic']),
    poNumber: str(x['poNumber']),
    checks: Array.isArray(x['checks']) ? (x['checks'] as ShownPayment['checks']) : [],
    exceptions: Array.isArray(x['exceptions']) ? (x['exceptions'] as ShownPayment['exceptions']) : [],
    evidence: (x['evidence'] ?? {}) as ShownPayment['evidence'],
  };
}

/** Whether the round can be executed as shown, or what is still missing. */
export function readyToExecute(s: ShownReply | ShownPayment, placeholders: string[]): string | null {
  if (s.type === 'reply') {
    if (s.to.length === 0) return 'the reply has no recipient';
    if (s.body.trim() === '') return 'the reply has no text';
    if (placeholders.length > 0) return `the reply still contains ${placeholders.join(', ')}`;
    return null;
  }
  if (s.amount === null || s.currency === null) return 'the invoice total or currency is unknown';
  if (s.vendor === null) return 'the vendor is unknown';
  return null;
}
