import { sql } from 'kysely';
import type { Db } from '../db/db.types.ts';

/**
 * Reading the audit trail back: entries oldest first, each with what it links to (message and
 * subject, proposal and kind, approval round, outbox row and its state, meeting). Bounded: at most
 * `limit` entries per call, with a cursor (`after`, an entry id) for the next page.
 */

export interface JournalFilter {
  /** Entries at or after this time. */
  since?: Date | null;
  /** Entries after this journal id (the previous page's `next`). */
  after?: string | null;
  /** Entries about this thread: linked to it directly or through their message, proposal, outbox row or meeting. */
  threadId?: string | null;
  /** Entries about these messages (row ids): directly, or through their proposals, meetings and replies. */
  messageIds?: string[] | null;
  /** 1..1000. */
  limit: number;
}

export interface JournalLine {
  id: string;
  at: string;
  actor: string;
  action: string;
  reason: string;
  data: Record<string, unknown>;
  threadId: string | null;
  ruleId: string | null;
  message: { id: string; subject: string | null } | null;
  proposal: { id: string; kind: string; status: string } | null;
  approval: { id: string; round: number; status: string } | null;
  outbox: { id: string; purpose: string; status: string } | null;
  meeting: { id: string; summary: string; status: string } | null;
}

export interface JournalPage {
  entries: JournalLine[];
  /** Pass as `after` for the next page; null when this was the last one. */
  next: string | null;
}

export const MAX_LIMIT = 1000;

function linked(db: Db) {
  return db
    .selectFrom('journal as j')
    .leftJoin('messages as m', 'm.id', 'j.message_id')
    .leftJoin('proposals as p', 'p.id', 'j.proposal_id')
    .leftJoin('approvals as a', 'a.id', 'j.approval_id')
    .leftJoin('outbox as o', 'o.id', 'j.outbox_id')
    .leftJoin('meetings as mt', 'mt.id', 'j.meeting_id')
    .select([
      'j.id',
      'j.at',
      'j.actor',
      'j.action',
      'j.reason',
      'j.data',
      'j.thread_id',
      'j.rule_id',
      'j.message_id',
      'm.subject',
      'j.proposal_id',
      'p.kind as proposal_kind',
      'p.status as proposal_status',
      'j.approval_id',
      'a.round',
      'a.status as approval_status',
      'j.outbox_id',
      'o.purpose',
      'o.status as outbox_status',
      'j.meeting_id',
      'mt.summary as meeting_summary',
      'mt.status as meeting_status',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof linked>['execute']>>[number];

function toLine(r: Row): JournalLine {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    action: r.action,
    reason: r.reason,
    data: r.data,
    threadId: r.thread_id,
    ruleId: r.rule_id,
    message: r.message_id ? { id: r.message_id, subject: r.subject ?? null } : null,
    proposal: r.proposal_id
      ? { id: r.proposal_id, kind: r.proposal_kind ?? '?', status: r.proposal_status ?? '?' }
      : null,
    approval: r.approval_id
      ? { id: r.approval_id, round: r.round ?? 0, status: r.approval_status ?? '?' }
      : null,
    outbox: r.outbox_id
      ? { id: r.outbox_id, purpose: r.purpose ?? '?', status: r.outbox_status ?? '?' }
      : null,
    meeting: r.meeting_id
      ? { id: r.meeting_id, summary: r.meeting_summary ?? '', status: r.meeting_status ?? '?' }
      : null,
  };
}

/**
 * One page of the journal. Without `since` or `after` it is the newest `limit` entries (still
 * printed oldest first) and `next` is null: the tail, as `tail -n` would show it.
 */
export async function readJournal(db: Db, f: JournalFilter): Promise<JournalPage> {
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(f.limit)));
  let q = linked(db);
  if (f.since) q = q.where('j.at', '>=', f.since);
  if (f.after) q = q.where('j.id', '>', f.after);
  if (f.threadId) {
    const t = f.threadId;
    q = q.where((eb) =>
      eb.or([
        eb('j.thread_id', '=', t),
        eb('m.thread_id', '=', t),
        eb('p.thread_id', '=', t),
        eb('o.thread_id', '=', t),
        eb('mt.thread_id', '=', t),
      ]),
    );
  }
  if (f.messageIds) {
    // No ids (an unknown Message-ID) matches nothing rather than everything.
    const m = f.messageIds.length ? f.messageIds : ['0'];
    q = q.where((eb) =>
      eb.or([
        eb('j.message_id', 'in', m),
        eb('p.message_id', 'in', m),
        eb('o.source_message', 'in', m),
        eb('mt.source_message', 'in', m),
        // The approval email of one of its proposals' rounds.
        eb.exists(
          eb
            .selectFrom('approvals as ra')
            .innerJoin('proposals as rp', 'rp.id', 'ra.proposal_id')
            .select(sql`1`.as('one'))
            .whereRef('ra.request_outbox_id', '=', 'j.outbox_id')
            .where('rp.message_id', 'in', m),
        ),
        // A round's execution and its notices carry the round, not always the proposal.
        eb.exists(
          eb
            .selectFrom('proposals as ap')
            .select(sql`1`.as('one'))
            .whereRef('ap.id', '=', 'a.proposal_id')
            .where('ap.message_id', 'in', m),
        ),
      ]),
    );
  }
  if (!f.since && !f.after) {
    const rows = await q.orderBy('j.id', 'desc').limit(limit).execute();
    return { entries: rows.reverse().map(toLine), next: null };
  }
  const rows = await q
    .orderBy('j.id', 'asc')
    .limit(limit + 1)
    .execute();
  const more = rows.length > limit;
  const page = rows.slice(0, limit).map(toLine);
  return { entries: page, next: more ? (page.at(-1)?.id ?? null) : null };
}

/**
 * The row ids of a message named by its row id or its Message-ID (with or without <>); the same
 * Message-ID can name several stored rows (a re-sent copy with other bytes).
 */
export async function resolveMessage(db: Db, ref: string): Promise<string[]> {
  const s = ref.trim();
  if (/^\d+$/.test(s)) return [s];
  const id = s.replace(/^<|>$/g, '');
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where('message_id', '=', id)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
