import { sql } from 'kysely';
import type { Db, MessageRow } from '../db/db.types.ts';
import type { NormalizedMessage } from '../ingest/message.model.ts';
import { type ActiveRule, toActiveRules } from '../skills/rules.repository.ts';

/** A stored message with what triage reads beside it: the owner's active filing rules. */
export interface TriageInput {
  row: MessageRow;
  fileRules: ActiveRule[];
}

/**
 * One round trip: the message and the owner's active "file …" rules (newest first). A burst
 * triages hundreds of messages a second on two cores, where every statement's round trip costs
 * a wake-up of the database and of this process (see docs/benchmarks.md).
 */
export async function loadForTriage(db: Db, id: string): Promise<TriageInput | undefined> {
  const row = await db
    .selectFrom('messages')
    .selectAll('messages')
    .select(
      sql<{ id: string; rule: unknown }[]>`(
        SELECT coalesce(json_agg(json_build_object('id', r.id::text, 'rule', r.rule) ORDER BY r.id DESC), '[]'::json)
        FROM standing_rules r WHERE r.status = 'active' AND r.kind = 'file_messages'
      )`.as('file_rules'),
    )
    .where('messages.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const { file_rules, ...message } = row;
  return { row: message, fileRules: toActiveRules(file_rules ?? []) };
}

export interface TriageCommit {
  id: string;
  msg: Pick<NormalizedMessage, 'messageId' | 'inReplyTo' | 'references' | 'subject' | 'attachments'>;
  /** The message's columns once triaged (status, thread and processed_at are set here). */
  set: {
    skillsDoneAt: Date | null;
    processedAt: Date;
    subject: string;
    fromAddress: string | null;
    category: string;
    addressing: string;
    requester: string;
    automatic: boolean;
    parsed: unknown;
    triage: unknown;
    targetFolder: string | null;
  };
  /** Journal rows, in order; the first is the triage decision itself. */
  journal: { action: string; reason: string; data: unknown }[];
}

/**
 * Records a triaged message in ONE statement (data-modifying CTEs, atomic like a transaction):
 * the row is locked only while it is still `received`, so a second run (a retried job, two
 * workers) finds nothing to lock and changes nothing — no thread, no attachment, no journal row.
 *
 * Threading (RFC 5322 §3.6.4): a thread named by In-Reply-To/References wins; else the thread
 * that already knows this message's own id (a reply that arrived before its parent); else a new
 * thread. All of them, and the message's own id, then point at it.
 *
 * Returns the thread id, or null when the message was no longer `received`.
 */
export async function commitTriage(db: Db, c: TriageCommit): Promise<{ threadId: string } | null> {
  const refs = [
    ...new Set(
      [c.msg.inReplyTo, ...c.msg.references.slice().reverse()].filter((r): r is string => Boolean(r)),
    ),
  ];
  const own = c.msg.messageId;
  const ids = [...new Set([own, ...refs])];
  const s = c.set;
  const attachments = c.msg.attachments.length
    ? sql`, attachments_in AS (
        INSERT INTO attachments (message_id, filename, content_type, size, sha256, inline, content)
        SELECT locked.id, a.filename, a.content_type, a.size, a.sha256, a.inline, a.content
        FROM locked, (VALUES ${sql.join(
          c.msg.attachments.map(
            (a) =>
              sql`(${a.filename}::text, ${a.contentType}::text, ${a.size}::int, ${a.sha256}::text, ${a.inline}::boolean, ${a.content}::bytea)`,
          ),
        )}) AS a (filename, content_type, size, sha256, inline, content)
        ON CONFLICT DO NOTHING
      )`
    : sql``;
  const journal = sql.join(
    c.journal.map(
      (j, n) => sql`(${n}::int, ${j.action}::text, ${j.reason}::text, ${JSON.stringify(j.data)}::jsonb)`,
    ),
  );
  const r = await sql<{ thread_id: string }>`
    WITH locked AS (
      SELECT id FROM messages WHERE id = ${c.id} AND status = 'received' FOR UPDATE
    ), found AS (
      SELECT thread_id FROM thread_refs
      WHERE message_id IN (${sql.join(ids)})
      ORDER BY (message_id = ${own}), thread_id
      LIMIT 1
    ), new_thread AS (
      INSERT INTO threads (subject)
      SELECT ${c.msg.subject} FROM locked WHERE NOT EXISTS (SELECT 1 FROM found)
      RETURNING id
    ), thread AS (
      SELECT found.thread_id AS id FROM found, locked
      UNION ALL
      SELECT id FROM new_thread
    ), refs_in AS (
      INSERT INTO thread_refs (message_id, thread_id)
      SELECT ref, thread.id FROM thread, (VALUES ${sql.join(ids.map((i) => sql`(${i}::text)`))}) AS r (ref)
      ON CONFLICT DO NOTHING
    )${attachments}, done AS (
      UPDATE messages SET
        status = 'processed',
        thread_id = (SELECT id FROM thread),
        skills_done_at = ${s.skillsDoneAt},
        processed_at = ${s.processedAt},
        message_id = ${own},
        subject = ${s.subject},
        from_address = ${s.fromAddress},
        category = ${s.category},
        addressing = ${s.addressing},
        requester = ${s.requester},
        automatic = ${s.automatic},
        parsed = ${JSON.stringify(s.parsed)}::jsonb,
        triage = ${JSON.stringify(s.triage)}::jsonb,
        target_folder = ${s.targetFolder}
      FROM locked WHERE messages.id = locked.id
      RETURNING messages.id, messages.thread_id
    ), journaled AS (
      INSERT INTO journal (actor, action, reason, message_id, thread_id, data)
      SELECT 'deskhand', j.action, j.reason, done.id, done.thread_id, j.data
      FROM done, (VALUES ${journal}) AS j (n, action, reason, data)
      ORDER BY j.n
    )
    SELECT thread_id::text AS thread_id FROM done`.execute(db);
  const row = r.rows[0];
  return row ? { threadId: row.thread_id } : null;
}
