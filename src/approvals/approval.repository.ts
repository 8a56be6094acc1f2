import type { ApprovalRow, ApprovalStatus, Db } from '../db/db.types.ts';
import type { ApprovalRound, Shown } from './approval.model.ts';
import type { PolicyDecision } from './approval.policy.ts';

/** Approval rounds in the database. Every state change is a compare-and-set on `status = 'open'`. */

export function toRound(r: ApprovalRow): ApprovalRound {
  const policy = r.policy as unknown as PolicyDecision & { changes?: string[] };
  return {
    id: r.id,
    proposalId: r.proposal_id,
    round: r.round,
    token: r.token,
    level: r.level,
    policy,
    shown: r.shown as unknown as Shown,
    changes: policy.changes ?? [],
    expiresAt: r.expires_at,
  };
}

export interface NewRound {
  proposalId: string;
  round: number;
  token: string;
  level: 'one_yes' | 'decision';
  policy: PolicyDecision;
  changes: string[];
  shown: Shown;
  previousId: string | null;
  expiresAt: Date;
  now: Date;
}

/** Inserts a round; null when this proposal already has that round (a retried job). */
export async function insertRound(db: Db, n: NewRound): Promise<ApprovalRow | null> {
  const row = await db
    .insertInto('approvals')
    .values({
      proposal_id: n.proposalId,
      round: n.round,
      token: n.token,
      level: n.level,
      policy: JSON.stringify({ ...n.policy, changes: n.changes }),
      shown: JSON.stringify(n.shown),
      previous_id: n.previousId,
      expires_at: n.expiresAt,
      created_at: n.now,
    })
    .onConflict((oc) => oc.columns(['proposal_id', 'round']).doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function setRequestMail(db: Db, id: string, outboxId: string, messageId: string): Promise<void> {
  await db
    .updateTable('approvals')
    .set({ request_outbox_id: outboxId, request_message_id: messageId })
    .where('id', '=', id)
    .execute();
}

export async function roundsOf(db: Db, proposalId: string): Promise<ApprovalRow[]> {
  return db
    .selectFrom('approvals')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .orderBy('round')
    .execute();
}

export async function roundById(db: Db, id: string): Promise<ApprovalRow | undefined> {
  return db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Rounds whose approval email or ask-back has one of these Message-IDs. */
export async function roundsByMessageIds(db: Db, ids: string[]): Promise<ApprovalRow[]> {
  const clean = [...new Set(ids.map((i) => i.trim()).filter(Boolean))].slice(0, 200);
  if (clean.length === 0) return [];
  return db
    .selectFrom('approvals')
    .selectAll()
    .where((eb) => eb.or([eb('request_message_id', 'in', clean), eb('clarify_message_id', 'in', clean)]))
    .execute();
}

export async function roundsByTokens(db: Db, tokens: string[]): Promise<ApprovalRow[]> {
  const clean = [...new Set(tokens)].slice(0, 50);
  if (clean.length === 0) return [];
  return db.selectFrom('approvals').selectAll().where('token', 'in', clean).execute();
}

/** Whether these Message-IDs or `dh-a-…` plus-tags name one of our approval rounds (triage's question). */
export async function isApprovalReference(db: Db, ids: string[], tokens: string[]): Promise<boolean> {
  if (ids.length === 0 && tokens.length === 0) return false;
  const byId = await roundsByMessageIds(db, ids);
  if (byId.length > 0) return true;
  if ((await roundsByTokens(db, tokens)).length > 0) return true;
  // An answer to a daily digest ("approve 1 3") is verified and decided the same way.
  const digest = await db
    .selectFrom('digests')
    .select('id')
    .where((eb) =>
      eb.or([
        ...(ids.length ? [eb('message_id', 'in', ids)] : []),
        ...(tokens.length
          ? [
              eb(
                'token',
                'in',
                tokens.map((t) => t.toLowerCase()),
              ),
            ]
          : []),
      ]),
    )
    .executeTakeFirst();
  return digest !== undefined;
}

/**
 * The decision's compare-and-set: open → `status`, only if still open and unexpired. Returns the
 * row to the one caller that made the change; everyone else (a replay, a second "yes", an expired
 * round) gets undefined.
 */
export async function closeRound(
  db: Db,
  id: string,
  status: Exclude<ApprovalStatus, 'open'>,
  d: { now: Date; messageId: string | null; decision: Record<string, unknown> },
): Promise<ApprovalRow | undefined> {
  let q = db
    .updateTable('approvals')
    .set({
      status,
      decided_at: d.now,
      decided_by_message: d.messageId,
      decision: JSON.stringify(d.decision),
    })
    .where('id', '=', id)
    .where('status', '=', 'open');
  if (status !== 'expired') q = q.where('expires_at', '>', d.now);
  return q.returningAll().executeTakeFirst();
}

/** Records the one ask-back's Message-ID; false when one was already sent for this round. */
export async function markClarified(db: Db, id: string, messageId: string): Promise<boolean> {
  const r = await db
    .updateTable('approvals')
    .set({ clarify_message_id: messageId })
    .where('id', '=', id)
    .where('clarify_message_id', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

export async function openRoundsExpiredBy(db: Db, now: Date, limit = 200): Promise<ApprovalRow[]> {
  return db
    .selectFrom('approvals')
    .selectAll()
    .where('status', '=', 'open')
    .where('expires_at', '<=', now)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Approved rounds whose execution has not been confirmed to the owner yet. */
export async function unconfirmedRounds(db: Db, limit = 200): Promise<ApprovalRow[]> {
  return db
    .selectFrom('approvals')
    .selectAll()
    .where('status', '=', 'approved')
    .where('confirmed_at', 'is', null)
    .orderBy('id')
    .limit(limit)
    .execute();
}

export async function markConfirmed(db: Db, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('approvals')
    .set({ confirmed_at: now })
    .where('id', '=', id)
    .where('confirmed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Locks the proposal row for the rest of the transaction (one decision at a time per proposal). */
export async function lockProposal(db: Db, proposalId: string) {
  return db.selectFrom('proposals').selectAll().where('id', '=', proposalId).forUpdate().executeTakeFirst();
}

export async function setProposalStatus(
  db: Db,
  proposalId: string,
  status:
    | 'approved'
    | 'rejected'
    | 'executed'
    | 'superseded'
    | 'expired'
    | 'awaiting_approval'
    | 'needs_input',
  now: Date,
  payload?: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('proposals')
    .set({ status, updated_at: now, ...(payload ? { payload: JSON.stringify(payload) } : {}) })
    .where('id', '=', proposalId)
    .execute();
}
