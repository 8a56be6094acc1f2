import { type Config, loadConfig } from '../../src/config/config.ts';
import { type DatabaseHandle, openDatabase } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrator.ts';
import { storeFetchedBatch } from '../../src/ingest/message.repository.ts';
import { sha256Hex } from '../../src/shared/ids.ts';

/** A migrated in-memory PGlite database: real PostgreSQL semantics, no service needed. */
export async function memoryDb(): Promise<DatabaseHandle> {
  const h = await openDatabase({ kind: 'pglite', dataDir: ':memory:' });
  await migrate(h);
  return h;
}

/**
 * Empties every table of a test database and restarts its ids, so one migrated PGlite per
 * file can serve each test from a clean state (opening one costs seconds; this, milliseconds).
 * TRUNCATE does not fire the journal's row triggers, which only forbid UPDATE and DELETE.
 */
export async function resetDb(h: DatabaseHandle): Promise<void> {
  await h.withSession((s) =>
    s.exec(`DO $$ DECLARE t text; BEGIN
      SELECT string_agg(quote_ident(tablename), ', ') INTO t FROM pg_tables
        WHERE schemaname = 'public' AND tablename <> 'schema_migrations';
      EXECUTE 'TRUNCATE ' || t || ' RESTART IDENTITY CASCADE';
    END $$`),
  );
}

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig({
    OWNER_EMAIL: 'maya@northwind.example',
    ASSISTANT_EMAIL: 'assistant@northwind.example',
    TEAM_DOMAINS: 'northwind.example',
    ...extra,
  });
}

/** Builds a small RFC 5322 message. */
export function eml(o: {
  from?: string;
  to?: string;
  cc?: string;
  subject?: string;
  body?: string;
  messageId?: string;
  /** The Date header; default Mon, 02 Mar 2026 10:00:00 +0000. */
  date?: string;
  headers?: Record<string, string>;
}): Buffer {
  const lines = [
    `From: ${o.from ?? 'Dana Lee <dana@lumen.example>'}`,
    `To: ${o.to ?? 'assistant@northwind.example'}`,
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: ${o.subject ?? 'Hello'}`,
    `Message-ID: <${o.messageId ?? `${Math.random().toString(36).slice(2)}@lumen.example`}>`,
    `Date: ${o.date ?? 'Mon, 02 Mar 2026 10:00:00 +0000'}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...Object.entries(o.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    '',
    o.body ?? 'Hello there.',
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

/** Stores raw messages as if fetched at UIDs 1..n; returns the new row ids. */
export async function store(
  h: DatabaseHandle,
  raws: Buffer[],
  o: { uidValidity?: string; firstUid?: number; mailbox?: string; receivedAt?: Date } = {},
) {
  const first = o.firstUid ?? 1;
  const batch = raws.map((raw, i) => ({
    uid: first + i,
    size: raw.length,
    internalDate: null,
    raw,
    messageId: /Message-ID: <([^>]+)>/i.exec(raw.toString())?.[1] ?? null,
    sha256: sha256Hex(raw),
    subject: null,
    from: null,
  }));
  return h.db.transaction().execute((trx) =>
    storeFetchedBatch(
      trx,
      o.mailbox ?? 'test',
      o.uidValidity ?? '1',
      batch,
      {
        lastUid: first + raws.length - 1,
        highestModseq: null,
      },
      o.receivedAt ? { receivedAt: o.receivedAt } : {},
    ),
  );
}
