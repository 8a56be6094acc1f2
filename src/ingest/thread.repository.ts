import type { Db } from '../db/db.types.ts';

/**
 * Finds the thread a message belongs to through its In-Reply-To and References
 * (RFC 5322 §3.6.4), else starts one; records the message's own Message-ID so
 * replies to it land in the same thread. Returns the thread id.
 */
export async function assignThread(
  db: Db,
  m: { messageId: string; inReplyTo: string | null; references: string[]; subject: string },
): Promise<string> {
  const refs = [
    ...new Set([m.inReplyTo, ...m.references.slice().reverse()].filter((r): r is string => Boolean(r))),
  ];
  // One lookup for the references and the message's own id; a reference wins (the
  // message answers that thread), the own id catches a reply that arrived before its parent.
  const found = await db
    .selectFrom('thread_refs')
    .select(['message_id', 'thread_id'])
    .where('message_id', 'in', [...refs, m.messageId])
    .execute();
  const hit = found.find((f) => f.message_id !== m.messageId) ?? found[0];
  let threadId = hit ? String(hit.thread_id) : null;
  if (!threadId) {
    const t = await db
      .insertInto('threads')
      .values({ subject: m.subject })
      .returning('id')
      .executeTakeFirstOrThrow();
    threadId = t.id;
  }
  const ids = [m.messageId, ...refs];
  await db
    .insertInto('thread_refs')
    .values(ids.map((message_id) => ({ message_id, thread_id: threadId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return threadId;
}
