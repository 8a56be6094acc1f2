import type { Db, ProposalKind, ProposalRow } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';

export interface NewProposal {
  kind: ProposalKind;
  /** One proposal per cause: asking twice returns the first. */
  idempotencyKey: string;
  messageId: string | null;
  threadId: string | null;
  summary: string;
  status?: 'awaiting_approval' | 'needs_input';
  payload: Record<string, unknown>;
  /** Why it was proposed (journaled). */
  reason: string;
}

/**
 * Records a proposal and its journal row in one transaction. Idempotent: a second call with the
 * same key returns the existing row (`created: false`) and journals nothing.
 */
export async function recordProposal(
  db: Db,
  p: NewProposal,
  now: Date,
): Promise<{ proposal: ProposalRow; created: boolean }> {
  const inserted = await db
    .insertInto('proposals')
    .values({
      kind: p.kind,
      status: p.status ?? 'awaiting_approval',
      idempotency_key: p.idempotencyKey,
      message_id: p.messageId,
      thread_id: p.threadId,
      summary: p.summary,
      payload: JSON.stringify(p.payload),
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    await appendJournal(db, {
      actor: 'deskhand',
      action: 'proposed',
      reason: `${p.summary} — ${p.reason}`,
      messageId: p.messageId,
      threadId: p.threadId,
      proposalId: inserted.id,
      data: { kind: p.kind, status: inserted.status },
    });
    return { proposal: inserted, created: true };
  }
  const existing = await db
    .selectFrom('proposals')
    .selectAll()
    .where('idempotency_key', '=', p.idempotencyKey)
    .executeTakeFirstOrThrow();
  return { proposal: existing, created: false };
}

export async function openProposals(db: Db): Promise<ProposalRow[]> {
  return db
    .selectFrom('proposals')
    .selectAll()
    .where('status', 'in', ['awaiting_approval', 'needs_input'])
    .orderBy('created_at')
    .execute();
}
