import { headlineOf } from '../approvals/approval.render.ts';
import { toRound } from '../approvals/approval.repository.ts';
import type { Db } from '../db/db.types.ts';
import { formatMoney } from '../skills/invoices/money.ts';
import type { DigestItem } from './digest.model.ts';

import { ago, clip, shortWhen } from './digest.parts.ts';

/** The digest's numbered items: open approval rounds (oldest first), then approved invoices to pay. */

export async function decisions(db: Db, now: Date, zone: string): Promise<DigestItem[]> {
  const rows = await db
    .selectFrom('approvals')
    .selectAll()
    .where('status', '=', 'open')
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .orderBy('id')
    .limit(50)
    .execute();
  return rows.map((r, i) => {
    const round = toRound(r);
    const flags = round.policy.flags.map((f) => f.label);
    return {
      number: i + 1,
      kind: 'approval',
      ref: r.id,
      label: clip(headlineOf(round), 140),
      detail: [
        flags.length ? `needs a decision: ${[...new Set(flags)].join(', ')}` : '',
        round.shown.type === 'reply' && round.shown.placeholders.length
          ? 'needs your words first: answer its own email with the draft filled in'
          : '',
        ago(r.created_at, now),
        `expires ${shortWhen(r.expires_at, zone)}`,
      ]
        .filter(Boolean)
        .join(' · '),
      flagged: r.level === 'decision',
    };
  });
}

export async function payments(db: Db, first: number): Promise<DigestItem[]> {
  const rows = await db
    .selectFrom('invoices')
    .leftJoin('vendors', 'vendors.id', 'invoices.vendor_id')
    .select([
      'invoices.id',
      'invoices.number',
      'invoices.total',
      'invoices.currency',
      'invoices.due_date',
      'invoices.iban',
      'vendors.name as vendor',
    ])
    .where('invoices.status', '=', 'approved')
    .orderBy('invoices.due_date')
    .orderBy('invoices.id')
    .limit(Math.max(0, 99 - first + 1)) // item numbers stay within 1–99, what an answer can name
    .execute();
  return rows.map((r, i) => ({
    number: first + i,
    kind: 'payment',
    ref: r.id,
    label: clip(
      `Pay ${r.vendor ?? 'an unknown vendor'} ${r.total === null ? '(amount unknown)' : formatMoney(Number(r.total), r.currency)}${r.number ? `, invoice ${r.number}` : ''}`,
      140,
    ),
    detail: [
      r.due_date ? `due ${r.due_date}` : 'no due date',
      r.iban ? `to ${r.iban}` : 'no account on the invoice',
    ].join(' · '),
    flagged: false,
  }));
}
