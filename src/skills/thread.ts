import type { Db } from '../db/db.types.ts';
import type { Address, NormalizedMessage } from '../ingest/message.model.ts';
import type { ThreadMessage } from './drafts/draft.model.ts';

/** `messages.parsed` as stored: the normalized message with dates as ISO strings and no bytes. */
export type StoredMessage = Omit<NormalizedMessage, 'date' | 'html' | 'attachments'> & {
  date: string | null;
  attachments: Array<Omit<NormalizedMessage['attachments'][number], 'content'>>;
};

/** The skills' view of one stored message. */
export function toThreadMessage(p: StoredMessage): ThreadMessage {
  return {
    messageId: p.messageId,
    inReplyTo: p.inReplyTo,
    references: p.references,
    date: p.date ? new Date(p.date) : null,
    subject: p.subject,
    from: p.from,
    replyTo: p.replyTo,
    to: p.to,
    cc: p.cc,
    text: p.text,
    replyText: p.replyText,
  };
}

/**
 * The processed messages of a thread, oldest first (by Date header, then arrival), as the skills
 * see them. Bounded: a runaway thread never loads more than `limit` messages (the newest).
 */
export async function loadThread(db: Db, threadId: string, limit = 30): Promise<ThreadMessage[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'parsed'])
    .where('thread_id', '=', threadId)
    .where('status', '=', 'processed')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows
    .filter((r) => r.parsed !== null)
    .map((r) => ({ id: Number(r.id), m: toThreadMessage(r.parsed as StoredMessage) }))
    .sort((a, b) => (a.m.date?.getTime() ?? 0) - (b.m.date?.getTime() ?? 0) || a.id - b.id)
    .map((r) => r.m);
}

/**
 * The message a forward wraps, as a thread message, so a draft can answer it. An inline forward
 * keeps no Message-ID: the answer then starts a new thread (In-Reply-To stays empty).
 */
export function forwardedAsThreadMessage(p: StoredMessage): ThreadMessage | null {
  const f = p.forwarded;
  if (!f) return null;
  return {
    messageId: '',
    inReplyTo: null,
    references: [],
    date: f.date && !Number.isNaN(Date.parse(f.date)) ? new Date(f.date) : null,
    subject: f.subject ?? p.subject.replace(/^\s*(fwd?|fw|wg|tr|rv|doorst)\s*:\s*/i, ''),
    from: f.from,
    replyTo: [],
    to: f.to,
    cc: f.cc,
    text: f.text,
    replyText: f.text,
  };
}

/** A few things the owner wrote before, for the model to match their voice. */
export async function ownerSamples(db: Db, ownerEmail: string, limit = 3): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('parsed')
    .where('from_address', '=', ownerEmail)
    .where('status', '=', 'processed')
    .orderBy('id', 'desc')
    .limit(20)
    .execute();
  const texts: string[] = [];
  for (const r of rows) {
    const text = (r.parsed as StoredMessage | null)?.replyText?.trim() ?? '';
    if (text.length >= 40 && text.length <= 2_000) texts.push(text);
    if (texts.length >= limit) break;
  }
  return texts;
}

export function sameAddress(a: Address | null | undefined, email: string): boolean {
  return (a?.address ?? '').toLowerCase() === email.toLowerCase();
}
