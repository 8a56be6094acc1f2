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

/** A corrected field of the shown payment ("total" is shown as `amount`). */
type Key = keyof typeof FIELD;

interface FieldRule {
  label: string;
  /** The invoices column it lives in (null: none). */
  column: string | null;
  /** Its name in the vendor's corrections memory (null: not remembered). */
  memory: FieldName | null;
  /** A change is shown again in a new round before anything is approved. */
  material: boolean;
  /** The checks a change makes stale. */
  stale: RegExp | null;
}

const AMOUNT_CHECKS = /^(arithmetic\.|duplicate\.amount$|amount\.|po\.match$)/;

const FIELD = {
  amount: { label: 'Total', column: 'total', memory: 'total', material: true, stale: AMOUNT_CHECKS },
  subtotal: {
    label: 'Subtotal',
    column: 'subtotal',
    memory: 'subtotal',
    material: false,
    stale: /^arithmetic\./,
  },
  tax: { label: 'Tax', column: 'tax', memory: 'tax', material: false, stale: /^arithmetic\./ },
  currency: {
    label: 'Currency',
    column: 'currency',
    memory: 'currency',
    material: true,
    stale: AMOUNT_CHECKS,
  },
  dueDate: { label: 'Due date', column: 'due_date', memory: 'dueDate', material: false, stale: /^dates\./ },
  issueDate: {
    label: 'Issue date',
    column: 'issue_date',
    memory: 'issueDate',
    material: false,
    stale: /^dates\./,
  },
  invoiceNumber: {
    label: 'Invoice number',
    column: 'number',
    memory: 'invoiceNumber',
    material: false,
    stale: /^duplicate\.number$/,
  },
  iban: { label: 'IBAN', column: 'iban', memory: 'iban', material: true, stale: /^(bank\.|iban\.)/ },
  bic: { label: 'BIC', column: 'bic', memory: null, material: true, stale: null },
  poNumber: { label: 'PO number', column: 'po_number', memory: null, material: false, stale: /^po\./ },
  vendor: {
    label: 'Vendor',
    column: null,
    memory: 'vendor.name',
    material: true,
    stale: /^(vendor\.|duplicate\.|bank\.|amount\.outlier$)/,
  },
} satisfies Record<string, FieldRule>;

const KEYS = Object.keys(FIELD) as Key[];
const rule = (key: Key): FieldRule => FIELD[key];
const keyOf = (field: FieldCorrection['field']): Key => (field === 'total' ? 'amount' : field);

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
  for (const c of corrections) {
    const key = keyOf(c.field);
    const to = normalized(key, c.value);
    if (to === null) continue;
    const from = next[key] as string | number | null;
    if (from === to) continue;
    (next as unknown as Record<Key, string | number | null>)[key] = to;
    applied.push({ key, from, to });
  }
  next.checks = staleChecks(s.checks, applied);
  return result(s, next, applied);
}

/** The changes as the owner reads them ("Total: EUR 1,190.00 → EUR 1,200.00"), and whether any is material. */
function result(before: ShownPayment, next: ShownPayment, applied: AppliedCorrection[]): CorrectionResult {
  return {
    next,
    applied,
    changes: applied.map(
      (a) =>
        `${rule(a.key).label}: ${show(a.key, a.from, before.currency)} → ${show(a.key, a.to, next.currency)}`,
    ),
    material: applied.some((a) => rule(a.key).material),
  };
}

/**
 * A check made on the old value no longer vouches for the corrected one: a pass becomes "not
 * re-checked"; a failure stays a failure (and keeps its flag) — a correction never clears a flag.
 */
function staleChecks(checks: ShownPayment['checks'], applied: AppliedCorrection[]): ShownPayment['checks'] {
  const hit = (id: string) => applied.some((a) => rule(a.key).stale?.test(id));
  return checks.map((c) =>
    c.ok === true && hit(c.check)
      ? { ...c, ok: null, message: `Not re-checked after your correction (was: ${c.message})` }
      : c,
  );
}

/** Every field the approved payment has that differs from what was extracted: the owner's corrections. */
export function changesBetween(original: ShownPayment, approved: ShownPayment): CorrectionResult {
  const applied: AppliedCorrection[] = [];
  for (const key of KEYS) {
    const from = original[key] as string | number | null;
    const to = approved[key] as string | number | null;
    if (to !== null && from !== to) applied.push({ key, from, to });
  }
  return result(original, approved, applied);
}

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
    const col = rule(a.key).column;
    if (col) set[col] = a.to;
    if (a.key === 'invoiceNumber') set['number_key'] = identifierKey(String(a.to));
  }
  await db.updateTable('invoices').set(set).where('id', '=', s.invoiceId).execute();
  for (const a of r.applied) {
    const field = rule(a.key).memory;
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
