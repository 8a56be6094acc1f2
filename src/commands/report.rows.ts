import { formatMoney } from '../skills/invoices/money.ts';

/**
 * Readers of the rows the pipeline leaves behind (proposal payloads, extracted documents, the
 * journal's flags), shared by the reports of `demo` and `shadow`. Pure: rows in, plain values out.
 */

/** Journal actions that mark something the owner should look at in a report. */
export const FLAG_ACTIONS: ReadonlySet<string> = new Set([
  'injection_flagged',
  'invisible_text_stripped',
  'owner_unverified',
  'send_refused',
  'document_unreadable',
  'invoice_exception',
]);

export interface AddressView {
  name: string;
  address: string;
}

/** The draft a `reply_draft` (or meeting) proposal carries. */
export interface DraftView {
  to: AddressView[];
  cc: AddressView[];
  subject: string;
  inReplyTo: string | null;
  method: string;
  body: string;
  warnings: string[];
}

/** What a `payment` proposal carries. */
export interface PaymentView {
  risk: string;
  iban: string | null;
  exceptions: Array<string | { message: string }>;
  checks: Array<{ check: string; ok: boolean | null; message: string }>;
}

export interface Field {
  label: string;
  value: string;
}

export const formatAddress = (a: AddressView): string => (a.name ? `${a.name} <${a.address}>` : a.address);

export function draftOf(payload: Record<string, unknown>): DraftView | null {
  const d = payload['draft'];
  return d && typeof d === 'object' ? (d as DraftView) : null;
}

export function paymentOf(payload: Record<string, unknown>): PaymentView | null {
  return Array.isArray(payload['checks']) ? (payload as unknown as PaymentView) : null;
}

export function exceptionText(e: string | { message: string }): string {
  return typeof e === 'string' ? e : e.message;
}

/** The fields of a proposal worth a line in a report, in reading order. */
export function proposalFields(kind: string, payload: Record<string, unknown>): Field[] {
  const out: Field[] = [];
  const pay = kind === 'payment' ? paymentOf(payload) : null;
  if (pay) {
    out.push({ label: 'risk', value: pay.risk });
    if (pay.iban) out.push({ label: 'pay to', value: pay.iban });
    for (const e of pay.exceptions) out.push({ label: 'exception', value: exceptionText(e) });
  }
  const draft = draftOf(payload);
  if (draft) {
    out.push({ label: 'to', value: draft.to.map(formatAddress).join(', ') || '(nobody yet)' });
    if (draft.cc.length) out.push({ label: 'cc', value: draft.cc.map(formatAddress).join(', ') });
    out.push({ label: 'subject', value: draft.subject });
    for (const w of draft.warnings) out.push({ label: 'note', value: w });
  }
  return out;
}

/** The key fields of an extracted document (the `extract --json` shape), the known ones only. */
export function documentFields(extracted: unknown): Field[] {
  if (!extracted || typeof extracted !== 'object') return [];
  const d = extracted as Record<string, unknown>;
  const vendor = (d['vendor'] ?? {}) as Record<string, unknown>;
  const currency = typeof d['currency'] === 'string' ? d['currency'] : null;
  const money = (v: unknown) => (typeof v === 'number' ? formatMoney(v, currency) : null);
  const candidates: Array<[string, unknown]> = [
    ['vendor', vendor['name']],
    ['tax id', vendor['taxId']],
    ['number', d['invoiceNumber']],
    ['issued', d['issueDate']],
    ['due', d['dueDate']],
    ['subtotal', money(d['subtotal'])],
    ['tax', money(d['tax'])],
    ['total', money(d['total'])],
    ['IBAN', d['iban']],
    ['PO', d['poNumber']],
  ];
  return candidates
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([label, v]) => ({ label, value: String(v) }));
}
