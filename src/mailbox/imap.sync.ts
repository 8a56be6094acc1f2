import type { ImapFlow } from 'imapflow';
import type { Kysely } from 'kysely';
import type { Database } from '../db/db.types.ts';
import { type FetchedMessage, readCursor, storeFetchedBatch } from '../ingest/message.repository.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import { sha256Hex } from '../shared/ids.ts';

export interface SyncDeps {
  db: Kysely<Database>;
  key: string;
  maxMessageBytes: number;
  /** Messages per FETCH/transaction. */
  batchSize?: number;
  /** Called after each committed batch; enqueues processing. Must be idempotent. */
  onStored(newIds: string[], quarantinedIds: string[]): Promise<void>;
  /** Called on progress, so a deadline watchdog can tell a slow sync from a dead one. */
  onProgress?(): void;
  /** The application's clock: a stored message's arrival time (default: the database's). */
  now?: () => Date;
}

export interface SyncResult {
  fetched: number;
  stored: number;
  quarantined: number;
  duplicates: number;
  uidValidityChanged: boolean;
}

/**
 * Brings the database up to date with the open mailbox: every UID above the cursor is
 * fetched, stored and committed together with the advanced cursor, batch by batch.
 * RFC 3501 §2.3.1.1: UIDs are only valid with their UIDVALIDITY; when it changes we
 * start again from UID 1 and rely on (Message-ID, content hash) dedupe, so nothing is
 * processed twice. Messages over `maxMessageBytes` are recorded but never downloaded.
 */
export async function syncMailbox(client: ImapFlow, deps: SyncDeps): Promise<SyncResult> {
  const mb = client.mailbox;
  if (!mb) throw new Error('no mailbox selected');
  const uidValidity = String(mb.uidValidity);
  const modseq = mb.highestModseq !== undefined ? String(mb.highestModseq) : null;
  const cursor = await readCursor(deps.db, deps.key);
  const changed = cursor !== null && cursor.uidValidity !== uidValidity;
  if (changed) {
    await appendJournal(deps.db, {
      actor: 'watcher',
      action: 'uidvalidity_changed',
      reason: `UIDVALIDITY of ${deps.key} changed from ${cursor.uidValidity} to ${uidValidity}; resyncing with dedupe`,
    });
  }
  const lastUid = cursor && !changed ? cursor.lastUid : 0;
  const result: SyncResult = {
    fetched: 0,
    stored: 0,
    quarantined: 0,
    duplicates: 0,
    uidValidityChanged: changed,
  };
  if (mb.exists === 0) {
    // Record UIDVALIDITY even for an empty mailbox, so a later rebuild is recognised.
    if (!cursor || changed) await recordCursor(deps, uidValidity, 0, modseq);
    return result;
  }

  // Phase 1: sizes and envelopes only — cheap, and tells what may be downloaded.
  const metas: { uid: number; size: number; env: FetchedMessage }[] = [];
  for await (const m of client.fetch(
    `${lastUid + 1}:*`,
    { uid: true, size: true, envelope: true, internalDate: true },
    { uid: true },
  )) {
    // "N:*" also returns the highest message when N is above it (RFC 3501 §6.4.8).
    if (m.uid <= lastUid) continue;
    const env = m.envelope;
    metas.push({
      uid: m.uid,
      size: m.size ?? 0,
      env: {
        uid: m.uid,
        size: m.size ?? 0,
        internalDate: m.internalDate ? new Date(m.internalDate) : null,
        raw: null,
        messageId: env?.messageId ? env.messageId.replace(/^<|>$/g, '') : null,
        sha256: '',
        subject: env?.subject ?? null,
        from: env?.from?.[0]?.address?.toLowerCase() ?? null,
      },
    });
  }
  metas.sort((a, b) => a.uid - b.uid);
  if (!metas.length && (!cursor || changed)) await recordCursor(deps, uidValidity, lastUid, modseq);
  const batchSize = deps.batchSize ?? 200;
  for (let i = 0; i < metas.length; i += batchSize) {
    const slice = metas.slice(i, i + batchSize);
    const wanted = slice.filter((m) => m.size <= deps.maxMessageBytes).map((m) => m.uid);
    const sources = new Map<number, Buffer>();
    if (wanted.length) {
      for await (const m of client.fetch(wanted.join(','), { uid: true, source: true }, { uid: true })) {
        if (m.source) sources.set(m.uid, m.source);
        deps.onProgress?.();
      }
    }
    const batch: FetchedMessage[] = [];
    for (const m of slice) {
      const raw = sources.get(m.uid) ?? null;
      const oversize = m.size > deps.maxMessageBytes;
      // Expunged or moved by another client between the two fetches: nothing left to ingest.
      if (!raw && !oversize) continue;
      batch.push({ ...m.env, raw, sha256: raw ? sha256Hex(raw) : `unfetched-${uidValidity}-${m.uid}` });
    }
    const newest = slice[slice.length - 1]!.uid;
    const stored = await deps.db.transaction().execute((trx) =>
      storeFetchedBatch(
        trx,
        deps.key,
        uidValidity,
        batch,
        { lastUid: newest, highestModseq: modseq },
        {
          ...(deps.now ? { receivedAt: deps.now() } : {}),
          quarantineReason: (m) =>
            m.raw
              ? null
              : `message is ${m.size} bytes, over the ${deps.maxMessageBytes}-byte limit; not downloaded`,
        },
      ),
    );
    result.fetched += slice.length;
    result.stored += stored.newIds.length;
    result.quarantined += stored.quarantinedIds.length;
    result.duplicates += stored.duplicates;
    await deps.onStored(stored.newIds, stored.quarantinedIds);
    deps.onProgress?.();
  }
  return result;
}

function recordCursor(deps: SyncDeps, uidValidity: string, lastUid: number, modseq: string | null) {
  return deps.db
    .transaction()
    .execute((trx) => storeFetchedBatch(trx, deps.key, uidValidity, [], { lastUid, highestModseq: modseq }));
}
