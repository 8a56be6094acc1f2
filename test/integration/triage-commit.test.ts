/**
 * The triage record on real PostgreSQL: what PGlite (one statement at a time) cannot show — a
 * second connection holding the row while triage waits on it — and a prepared statement the
 * server lost under a pooled connection.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrator.ts';
import { storeFetchedBatch } from '../../src/ingest/message.repository.ts';
import { sha256Hex } from '../../src/shared/ids.ts';
import { commitTriage, loadForTriage } from '../../src/triage/triage.repository.ts';
import { freshDatabase } from './stack.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(poolSize?: number) {
  const fresh = await freshDatabase('triage_commit');
  const handle = await openDatabase({ kind: 'postgres', url: fresh.url }, { poolSize });
  cleanups.push(fresh.drop, () => handle.close());
  await migrate(handle);
  const raw = Buffer.from('From: a@x.example\r\nMessage-ID: <m1@x.example>\r\n\r\nhello\r\n');
  const stored = await handle.db.transaction().execute((trx) =>
    storeFetchedBatch(
      trx,
      'test',
      '1',
      [
        {
          uid: 1,
          size: raw.length,
          internalDate: null,
          raw,
          messageId: 'm1@x.example',
          sha256: sha256Hex(raw),
          subject: null,
          from: null,
        },
      ],
      { lastUid: 1, highestModseq: null },
    ),
  );
  return { url: fresh.url, handle, id: stored.newIds[0]! };
}

const commit = (id: string) => ({
  id,
  msg: {
    messageId: 'm1@x.example',
    inReplyTo: null,
    references: [],
    subject: 'hello',
    attachments: [
      {
        filename: 'a.pdf',
        contentType: 'application/pdf',
        size: 3,
        sha256: 'h',
        inline: false,
        content: Buffer.from('pdf'),
      },
    ],
  },
  set: {
    skillsDoneAt: null,
    processedAt: new Date(),
    subject: 'hello',
    fromAddress: 'a@x.example',
    category: 'fyi',
    addressing: 'direct',
    requester: 'external',
    automatic: false,
    parsed: {},
    triage: {},
    targetFolder: null,
  },
  journal: [{ action: 'triaged', reason: 'test', data: {} }],
});

describe('recording a triaged message on PostgreSQL', () => {
  it('waits for a run that holds the row and, once that run has recorded it, writes nothing at all', async () => {
    const { url, handle, id } = await setup();
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    cleanups.push(() => other.end());
    await other.query('BEGIN');
    await other.query('SELECT id FROM messages WHERE id = $1 FOR UPDATE', [id]);
    const waiting = commitTriage(handle.db, commit(id));
    // The other run records the message while this one waits on the row lock.
    await new Promise((r) => setTimeout(r, 300));
    await other.query(`UPDATE messages SET status = 'processed' WHERE id = $1`, [id]);
    await other.query('COMMIT');
    expect(await waiting).toBeNull();
    const count = async (table: 'threads' | 'thread_refs' | 'attachments' | 'journal') =>
      Number(
        (await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(handle.db)).rows[0]!
          .n,
      );
    expect([await count('threads'), await count('thread_refs'), await count('attachments')]).toEqual([
      0, 0, 0,
    ]);
    expect(
      Number(
        (
          await sql<{ n: string }>`SELECT count(*) AS n FROM journal WHERE action = 'triaged'`.execute(
            handle.db,
          )
        ).rows[0]!.n,
      ),
    ).toBe(0);
    // Without the other run, the same call records the message once.
    await sql`UPDATE messages SET status = 'received' WHERE id = ${id}`.execute(handle.db);
    expect(await commitTriage(handle.db, commit(id))).toMatchObject({ threadId: expect.any(String) });
    expect(await commitTriage(handle.db, commit(id))).toBeNull();
    expect(await count('attachments')).toBe(1);
  });

  it('prepares again on a fresh connection when the server lost the prepared statement', async () => {
    const { handle, id } = await setup(1);
    expect((await loadForTriage(handle.db, id))?.row.status).toBe('received');
    // What a transaction-mode pooler or a DISCARD ALL does to the one pooled connection.
    await sql`DEALLOCATE ALL`.execute(handle.db);
    await expect(loadForTriage(handle.db, id)).rejects.toMatchObject({ code: '26000' });
    // That connection was closed, not pooled again: the next call prepares on a new one.
    expect((await loadForTriage(handle.db, id))?.row.status).toBe('received');
    expect((await loadForTriage(handle.db, id))?.row.status).toBe('received');
  });
});
