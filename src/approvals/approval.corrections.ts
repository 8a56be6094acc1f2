import type { Db } from '../db/db.types.ts';
import type { FieldName } from '../extract/extract.model.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import { normalizeIban } from '../skills/invoices/checks.iban.ts';
import { recordCorrection } from '../skills/invoices/corrections.ts';
import { identifierKey } from '../skills/invoices/keys.ts';
import { formatMoney } from '../skills/invoices/money.ts';
import type { ShownPayment } from './approval.model.ts';
import type { FieldCorrection } from './reply/reply.read.ts';

/**
 * The owner's field corrections on a payment approval ("total: 1200.00", "due Friday"): applied to
 * what is shown, to the invoice record, and to the vendor's corrections memory, each journaled
 * with who changed what. A change of amount, currency, account or payee is material: it is shown
 * again in a new round before anything is approved.
 */

type Key =
  | 'amount'
  | 'subtotal'
  | 'tax'
  | 'currency'
  | 'dueDate'
  | 'issueDate'
  | 'invoiceNumber'
  | 'iban'
  | 'bic'
  | 'poNumber'
  | 'vendor';

const KEY: Record<FieldCorrection['field'], Key> = {
  total: 'amount',
  subtotal: 'subtotal',
  tax: 'tax',
  currency: 'currency',
  dueDate: 'dueDate',
  issueDate: 'issueDate',
  invoiceNumber: 'invoiceNumber',
  iban: 'iban',
  bic: 'bic',
  poNumber: 'poNumber',
  vendor: 'vendor',
};
const LABEL: Record<Key, string> = {
  amount: 'Total',
  subtotal: 'Subtotal',
  tax: 'Tax',
  currency: 'Currency',
  dueDate: 'Due date',
  issueDate: 'Issue date',
  invoiceNumber: 'Invoice number',
  iban: 'IBAN',
  bic: 'BIC',
  poNumber: 'PO number',
  vendor: 'Vendor',
};
const MEMORY: Partial<Record<Key, FieldName>> = {
  amount: 'total',
  subtotal: 'subtotal',
  tax: 'tax',
  currency: 'currency',
  dueDate: 'dueDate',
  issueDate: 'issueDate',
  invoiceNumber: 'invoiceNumber',
  iban: 'iban',
  vendor: 'vendor.name',
};
const MATERIAL = new Set<Key>(['amount', 'currency', 'iban', 'bic', 'vendor']);

export interface AppliedCorrection {
  key: Key;
  from: string | number | null;
  to: string | number;
}

export interface CorrectionResult {
  next: ShownPayment;
  applied: AppliedCorrection[];
  /** One line per change, for the journal and the next round: "Total: EUR 1,190.00 → EUR 1,200.00". */
  changes: string[];
  material: boolean;
}

function normalized(key: Key, value: string | number): string | number | null {
  if (key === 'amount' || key === 'subtotal' || key === 'tax') {
    const n = typeof value === 'number' ? value : Number(String(value).replace(/[^\d.-]/g, ''));
    return Number.isFinite(n) ? Math.round(n * 100) / 100 : null;
  }
  if (key === 'iban') return normalizeIban(String(value));
  if (key === 'currency') return /^[A-Za-z]{3}$/.test(String(value)) ? String(value).toUpperCase() : null;
  if (key === 'dueDate' || key === 'issueDate')
    return /^\d{4}-\d{2}-\d{2}$/.test(String(value)) ? String(value) : null;
  const s = String(value).trim();
  return s === '' ? null : s;
}

function show(key: Key, v: string | number | null, currency: string | null): string {
  if (v === null) return '(none)';
  if ((key === 'amount' || key === 'subtotal' || key === 'tax') && typeof v === 'number')
    return formatMoney(v, currency);
  return String(v);
}

/** Pure: what the corrections change. Values that do not parse are ignored (and not guessed). */
export function correctPayment(s: ShownPayment, corrections: FieldCorrection[]): CorrectionResult {
  const next: ShownPayment = { ...s };
  const applied: AppliedCorrection[] = [];
  const changes: string[] = [];
  for (const c of corrections) {
    const key = KEY[c.field];
    const to = normalized(key, c.value);
    if (to === null) continue;
    const from = next[key] as string | number | null;
    if (from === to) continue;
    (next as unknown as Record<Key, string | number | null>)[key] = to;
    applied.push({ key, from, to });
  }
  next.checks = staleChecks(s.checks, applied);
  for (const a of applied) {
    changes.push(`${LABEL[a.key]}: ${show(a.key, a.from, s.currency)} → ${show(a.key, a.to, next.currency)}`);
  }
  return { next, applied, changes, material: applied.some((a) => MATERIAL.has(a.key)) };
}

/** Which checks a corrected field invalidates. */
const DEPENDS: Partial<Record<Key, RegExp>> = {
  amount: /^(arithmetic\.|duplicate\.amount$|amount\.|po\.match$)/,
  subtotal: /^arithmetic\./,
  tax: /^arithmetic\./,
  currency: /^(arithmetic\.|duplicate\.amount$|amount\.|po\.match$)/,
  invoiceNumber: /^duplicate\.number$/,
  iban: /^(bank\.|iban\.)/,
  dueDate: /^dates\./,
  issueDate: /^dates\./,
  poNumber: /^po\./,
  vendor: /^(vendor\.|duplicate\.|bank\.|amount\.outlier$)/,
};

/**
 * A check made on the old value no longer vouches for the corrected one: a pass becomes "not
 * re-checked"; a failure stays a failure (and keeps its flag) — a correction never clears a flag.
 */
function staleChecks(checks: ShownPayment['checks'], applied: AppliedCorrection[]): ShownPayment['checks'] {
  const hit = (id: string) => applied.some((a) => DEPENDS[a.key]?.test(id));
  return checks.map((c) =>
    c.ok === true && hit(c.check)
      ? { ...c, ok: null, message: `Not re-checked after your correction (was: ${c.message})` }
      : c,
  );
}

const KEYS = Object.keys(LABEL) as Key[];

/** Every field the approved payment has that differs from what was extracted: the owner's corrections. */
export function changesBetween(original: ShownPayment, approved: ShownPayment): CorrectionResult {
  const applied: AppliedCorrection[] = [];
  for (const key of KEYS) {
    const from = original[key] as string | number | null;
    const to = approved[key] as string | number | null;
    if (to !== null && from !== to) applied.push({ key, from, to });
  }
  return {
    next: approved,
    applied,
    changes: applied.map(
      (a) =>
        `${LABEL[a.key]}: ${show(a.key, a.from, original.currency)} → ${show(a.key, a.to, approved.currency)}`,
    ),
    material: applied.some((a) => MATERIAL.has(a.key)),
  };
}

const COLUMN: Record<Key, string> = {
  amount: 'total',
  subtotal: 'subtotal',
  tax: 'tax',
  currency: 'currency',
  dueDate: 'due_date',
  issueDate: 'issue_date',
  invoiceNumber: 'number',
  iban: 'iban',
  bic: 'bic',
  poNumber: 'po_number',
  vendor: '',
};

/** Writes the corrections to the invoice record and the vendor memory, journaled as the owner's. */
export async function persistCorrections(
  db: Db,
  ctx: { proposalId: string; roundId: string; messageId: string; threadId: string | null; now: Date },
  s: ShownPayment,
  r: CorrectionResult,
): Promise<void> {
  if (r.applied.length === 0) return;
  const set: Record<string, unknown> = { updated_at: ctx.now };
  for (const a of r.applied) {
    const col = COLUMN[a.key];
    if (col) set[col] = a.to;
    if (a.key === 'invoiceNumber') set['number_key'] = identifierKey(String(a.to));
  }
  await db.updateTable('invoices').set(set).where('id', '=', s.invoiceId).execute();
  for (const a of r.applied) {
    const field = MEMORY[a.key];
    if (s.vendorId && field) {
      await recordCorrection(
        db,
        {
          vendorId: s.vendorId,
          field,
          wrong: a.from,
          right: a.to,
          messageId: ctx.messageId,
          invoiceId: s.invoiceId,
        },
        ctx.now,
      );
    }
  }
  await appendJournal(db, {
    actor: 'owner',
    action: 'invoice_corrected',
    reason: r.changes.join('; '),
    messageId: ctx.messageId,
    threadId: ctx.threadId,
    proposalId: ctx.proposalId,
    approvalId: ctx.roundId,
    data: {
      invoiceId: s.invoiceId,
      changes: r.applied.map((a) => ({ field: a.key, from: a.from, to: a.to })),
    },
  });
}
