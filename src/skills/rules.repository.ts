import type { Db, StandingRuleRow } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import { StandingRule } from './instructions/instruction.model.ts';

/** An active rule as the matchers take it. */
export interface ActiveRule {
  id: string;
  rule: StandingRule;
}

/**
 * Records the owner's rule from one message (at most one per message: a retried job returns the
 * first) with its journal row.
 */
export async function recordRule(
  db: Db,
  r: {
    rule: StandingRule;
    words: string;
    method: 'rules' | 'model';
    sourceMessage: string;
    threadId: string | null;
  },
  now: Date,
): Promise<{ row: StandingRuleRow; created: boolean }> {
  const inserted = await db
    .insertInto('standing_rules')
    .values({
      kind: r.rule.kind,
      rule: JSON.stringify(r.rule),
      words: r.words,
      method: r.method,
      source_message: r.sourceMessage,
      created_at: now,
    })
    .onConflict((oc) => oc.column('source_message').doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted) {
    await appendJournal(db, {
      actor: 'owner',
      action: 'rule_recorded',
      reason: `standing instruction (${r.method}): "${r.words}"`,
      messageId: r.sourceMessage,
      threadId: r.threadId,
      ruleId: inserted.id,
      data: { rule: r.rule },
    });
    return { row: inserted, created: true };
  }
  const row = await db
    .selectFrom('standing_rules')
    .selectAll()
    .where('source_message', '=', r.sourceMessage)
    .executeTakeFirstOrThrow();
  return { row, created: false };
}

/** The rule whose confirmation mail one of these Message-IDs names, if any. */
export async function ruleConfirmedBy(db: Db, messageIds: string[]): Promise<StandingRuleRow | undefined> {
  if (messageIds.length === 0) return undefined;
  return db
    .selectFrom('standing_rules')
    .selectAll()
    .where('confirmation_message_id', 'in', messageIds)
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Compare-and-set active → undone, journaled; false when it was already undone. */
export async function undoRule(
  db: Db,
  ruleId: string,
  byMessage: string,
  threadId: string | null,
  now: Date,
): Promise<boolean> {
  const done = await db
    .updateTable('standing_rules')
    .set({ status: 'undone', undone_at: now, undone_by_message: byMessage })
    .where('id', '=', ruleId)
    .where('status', '=', 'active')
    .returning('id')
    .executeTakeFirst();
  if (!done) return false;
  await appendJournal(db, {
    actor: 'owner',
    action: 'rule_undone',
    reason: 'the owner replied "undo" to the confirmation',
    messageId: byMessage,
    threadId,
    ruleId,
  });
  return true;
}

export async function setConfirmation(db: Db, ruleId: string, confirmationMessageId: string): Promise<void> {
  await db
    .updateTable('standing_rules')
    .set({ confirmation_message_id: confirmationMessageId })
    .where('id', '=', ruleId)
    .where('confirmation_message_id', 'is', null)
    .execute();
}

/**
 * Active rules, newest first: a later instruction overrides an earlier one. A stored rule that no
 * longer passes the schema is skipped rather than guessed at.
 */
export async function activeRules(db: Db, kind?: StandingRule['kind']): Promise<ActiveRule[]> {
  let q = db.selectFrom('standing_rules').select(['id', 'rule']).where('status', '=', 'active');
  if (kind) q = q.where('kind', '=', kind);
  return toActiveRules(await q.orderBy('id', 'desc').execute());
}

/** Rule rows as the matchers take them; a row that no longer parses (an older shape) is left out. */
export function toActiveRules(rows: readonly { id: string; rule: unknown }[]): ActiveRule[] {
  const out: ActiveRule[] = [];
  for (const r of rows) {
    const parsed = StandingRule.safeParse(r.rule);
    if (parsed.success) out.push({ id: String(r.id), rule: parsed.data });
  }
  return out;
}
