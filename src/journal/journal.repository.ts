import type { Db } from '../db/db.types.ts';

/** One audit entry: who did what, why, linked to the message, thread, proposal, rule and outbox row it concerns. */
export interface JournalEntry {
  actor: 'deskhand' | 'owner' | 'system' | 'watcher' | 'worker' | 'outbox' | string;
  action: string;
  reason?: string;
  messageId?: string | null;
  threadId?: string | null;
  outboxId?: string | null;
  proposalId?: string | null;
  ruleId?: string | null;
  approvalId?: string | null;
  meetingId?: string | null;
  data?: Record<string, unknown>;
}

/** Appends to the journal (the table refuses UPDATE and DELETE). Pass the transaction that made the decision. */
export async function appendJournal(db: Db, e: JournalEntry): Promise<void> {
  await db
    .insertInto('journal')
    .values({
      actor: e.actor,
      action: e.action,
      reason: e.reason ?? '',
      message_id: e.messageId ?? null,
      thread_id: e.threadId ?? null,
      outbox_id: e.outboxId ?? null,
      proposal_id: e.proposalId ?? null,
      rule_id: e.ruleId ?? null,
      approval_id: e.approvalId ?? null,
      meeting_id: e.meetingId ?? null,
      data: JSON.stringify(e.data ?? {}),
    })
    .execute();
}

/**
 * Appends unless an entry with the same message, action and reason exists: for steps a retried
 * job may repeat (the skills step re-runs until it is marked settled).
 */
export async function journalOnce(db: Db, e: JournalEntry): Promise<void> {
  const seen = await db
    .selectFrom('journal')
    .select('id')
    .where('message_id', e.messageId == null ? 'is' : '=', e.messageId ?? null)
    .where('action', '=', e.action)
    .where('reason', '=', e.reason ?? '')
    .executeTakeFirst();
  if (!seen) await appendJournal(db, e);
}
