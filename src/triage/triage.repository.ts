import { sql } from 'kysely';
import { prepared } from '../db/db.ts';
import type { Db, MessageRow } from '../db/db.types.ts';
import type { NormalizedMessage } from '../ingest/message.model.ts';
import { type ActiveRule, toActiveRules } from '../skills/rules.repository.ts';

/** A stored message as triage reads it, with the owner's active "file …" rules beside it. */
export interface TriageInput {
  row: Pick<MessageRow, 'id' | 'status' | 'raw'>;
  fileRules: ActiveRule[];
}

/**
 * One round trip: the message and the owner's active "file …" rules (newest first). A burst
 * triages hundreds of messages a second on two cores, where every statement's round trip and
 * plan cost a wake-up of the database and of this process (see docs/benchmarks.md). Columns are
 * named, not `*`: a prepared statement whose result shape a migration changed would fail.
 */
export async function loadForTriage(db: Db, id: string): Promise<TriageInput | undefined> {
  const r = await sql<TriageInput['row'] & { file_rules: { id: string; rule: unknown }[] | null }>`${sql.raw(
    prepared('triage_load'),
  )}
    SELECT m.id::text AS id, m.status, m.raw, (
      SELECT coalesce(json_agg(json_build_object('id', r.id::text, 'rule', r.rule) ORDER BY r.id DESC), '[]'::json)
      FROM standing_rules r WHERE r.status = 'active' AND r.kind = 'file_messages'
    ) AS file_rules
    FROM messages m WHERE m.id = ${id}`.execute(db);
  const row = r.rows[0];
  if (!row) return undefined;
  const { file_rules, ...message } = row;
  return { row: message, fileRules: toActiveRules(file_rules ?? []) };
}

export interface TriageCommit {
  id: string;
  msg: Pick<NormalizedMessage, 'messageId' | 'inReplyTo' | 'references' | 'subject'> & {
    attachments: Pick<
      NormalizedMessage['attachments'][number],
      'filename' | 'contentType' | 'size' | 'sha256' | 'inline' | 'content'
    >[];
  };
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
  const a = c.msg.attachments;
  const blob = concatenated(a.map((x) => x.content));
  // One text for every message (lists travel as arrays), so the server plans it once per connection.
  const r = await sql<{ thread_id: string }>`${sql.raw(prepared('triage_commit'))}
    WITH locked AS (
      SELECT id FROM messages WHERE id = ${c.id} AND status = 'received' FOR UPDATE
    ), found AS (
      SELECT thread_id FROM thread_refs
      WHERE message_id = ANY(${ids}::text[])
      ORDER BY (message_id = ${own}), thread_id
      LIMIT 1
    ), new_thread AS (
      INSERT INTO threads (subject)
      SELECT ${c.msg.subject}::text FROM locked WHERE NOT EXISTS (SELECT 1 FROM found)
      RETURNING id
    ), thread AS (
      SELECT found.thread_id AS id FROM found, locked
      UNION ALL
      SELECT id FROM new_thread
    ), refs_in AS (
      INSERT INTO thread_refs (message_id, thread_id)
      SELECT ref, thread.id FROM thread, unnest(${ids}::text[]) AS ref
      ON CONFLICT DO NOTHING
    ), attachments_in AS (
      INSERT INTO attachments (message_id, filename, content_type, size, sha256, inline, content)
      SELECT locked.id, f.filename, f.content_type, f.size, f.sha256, f.inline,
        substring(${blob.bytes}::bytea FROM f.start FOR f.length)
      FROM locked, unnest(
        ${a.map((x) => x.filename)}::text[], ${a.map((x) => x.contentType)}::text[], ${a.map((x) => x.size)}::int[],
        ${a.map((x) => x.sha256)}::text[], ${a.map((x) => x.inline)}::boolean[], ${blob.starts}::int[],
        ${blob.lengths}::int[]
      ) AS f (filename, content_type, size, sha256, inline, start, length)
      ON CONFLICT DO NOTHING
    ), done AS (
      UPDATE messages SET
        status = 'processed',
        thread_id = (SELECT id FROM thread),
        skills_done_at = ${s.skillsDoneAt}::timestamptz,
        processed_at = ${s.processedAt}::timestamptz,
        message_id = ${own}::text,
        subject = ${s.subject}::text,
        from_address = ${s.fromAddress}::text,
        category = ${s.category}::text,
        addressing = ${s.addressing}::text,
        requester = ${s.requester}::text,
        automatic = ${s.automatic}::boolean,
        parsed = ${JSON.stringify(s.parsed)}::jsonb,
        triage = ${JSON.stringify(s.triage)}::jsonb,
        target_folder = ${s.targetFolder}::text
      FROM locked WHERE messages.id = locked.id AND messages.status = 'received'
      RETURNING messages.id, messages.thread_id
    ), journaled AS (
      INSERT INTO journal (actor, action, reason, message_id, thread_id, data)
      SELECT 'deskhand', j.action, j.reason, done.id, done.thread_id, j.data
      FROM done, unnest(
        ${c.journal.map((j) => j.action)}::text[], ${c.journal.map((j) => j.reason)}::text[],
        ${c.journal.map((j) => JSON.stringify(j.data))}::jsonb[]
      ) WITH ORDINALITY AS j (action, reason, data, n)
      ORDER BY j.n
    )
    SELECT thread_id::text AS thread_id FROM done`.execute(db);
  const row = r.rows[0];
  return row ? { threadId: row.thread_id } : null;
}

/**
 * The attachments' bytes as one binary parameter and where each starts (1-based) and how long it
 * is. A bytea[] parameter would travel as hex text inside an array literal: for a 25 MB
 * attachment, ~100 MB of strings and buffers in this process and the server's array parser.
 */
function concatenated(parts: Buffer[]): { bytes: Buffer; starts: number[]; lengths: number[] } {
  const starts: number[] = [];
  let at = 1;
  for (const p of parts) {
    starts.push(at);
    at += p.length;
  }
  return { bytes: Buffer.concat(parts), starts, lengths: parts.map((p) => p.length) };
}
