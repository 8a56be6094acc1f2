import type { Db } from '../db/db.types.ts';

/** A message as fetched from the mailbox, before any parsing. */
export interface FetchedMessage {
  uid: number;
  size: number;
  internalDate: Date | null;
  /** Raw source; null when the message was over the size limit and not downloaded. */
  raw: Buffer | null;
  /** From the envelope (always available, even when not downloaded). */
  messageId: string | null;
  sha256: string;
  subject: string | null;
  from: string | null;
}

export interface Cursor {
  uidValidity: string;
  lastUid: number;
  highestModseq: string | null;
}

export async function readCursor(db: Db, mailbox: string): Promise<Cursor | null> {
  const row = await db
    .selectFrom('mailbox_cursors')
    .selectAll()
    .where('mailbox', '=', mailbox)
    .executeTakeFirst();
  return row
    ? {
        uidValidity: String(row.uid_validity),
        lastUid: Number(row.last_uid),
        highestModseq: row.highest_modseq,
      }
    : null;
}

/**
 * Stores a batch of fetched messages and advances the cursor in one transaction, so the
 * cursor is never ahead of committed rows (RELIABILITY.md item 1). A message already
 * stored — same mailbox UID, or same Message-ID and content (a UIDVALIDITY rebuild) — is
 * not stored again. Returns the ids of rows that are new and need processing.
 */
export async function storeFetchedBatch(
  db: Db,
  mailbox: string,
  uidValidity: string,
  batch: FetchedMessage[],
  cursor: { lastUid: number; highestModseq: string | null },
  opts: {
    quarantineReason?: (m: FetchedMessage) => string | null;
    /** When it arrived, by the caller's clock (default: the database's). */
    receivedAt?: Date;
  } = {},
): Promise<{ newIds: string[]; quarantinedIds: string[]; duplicates: number }> {
  const newIds: string[] = [];
  const quarantinedIds: string[] = [];
  const values = batch.map((m) => {
    const reason = opts.quarantineReason?.(m) ?? null;
    return {
      mailbox,
      uid_validity: uidValidity,
      uid: m.uid,
      message_id: m.messageId ?? `${m.sha256.slice(0, 32)}@deskhand.invalid`,
      content_sha256: m.sha256,
      size: m.size,
      raw: m.raw,
      status: reason ? ('quarantined' as const) : ('received' as const),
      error: reason,
      subject: m.subject,
      from_address: m.from,
      internal_date: m.internalDate,
      ...(opts.receivedAt ? { received_at: opts.receivedAt } : {}),
    };
  });
  const rows = values.length
    ? await db
        .insertInto('messages')
        .values(values)
        .onConflict((oc) => oc.doNothing())
        .returning(['id', 'status'])
        .execute()
    : [];
  for (const r of rows) (r.status === 'quarantined' ? quarantinedIds : newIds).push(r.id);
  const duplicates = batch.length - rows.length;
  await db
    .insertInto('mailbox_cursors')
    .values({
      mailbox,
      uid_validity: uidValidity,
      last_uid: cursor.lastUid,
      highest_modseq: cursor.highestModseq,
    })
    .onConflict((oc) =>
      oc.column('mailbox').doUpdateSet({
        uid_validity: uidValidity,
        last_uid: cursor.lastUid,
        highest_modseq: cursor.highestModseq,
        updated_at: new Date(),
      }),
    )
    .execute();
  return { newIds, quarantinedIds, duplicates };
}
