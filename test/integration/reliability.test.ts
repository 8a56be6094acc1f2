import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { uniqueDomain } from '../support/demo-mail.ts';
import { type LiveDeskhand, liveDeskhand } from '../support/live.ts';
import { startProxy } from '../support/tcp-proxy.ts';
import { deskhandEnvFor, freshDatabase, sendRaw, stackEnv } from './stack.ts';

let dh: LiveDeskhand | null = null;
afterEach(async () => {
  await dh?.destroy();
  dh = null;
});

const rawMessage = (i: number, to: string, tag: string) =>
  Buffer.from(
    `From: sender${i % 13}@lumen.example\r\nTo: ${to}\r\nSubject: ${tag} ${i}\r\nMessage-ID: <${tag}-${i}@lumen.example>\r\nDate: ${new Date().toUTCString()}\r\n\r\nMessage number ${i}.\r\n`,
  );

async function sendMany(n: number, to: string, tag: string) {
  const jobs: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    jobs.push(sendRaw({ from: `sender${i % 13}@lumen.example`, to: [to] }, rawMessage(i, to, tag)));
    if (jobs.length >= 20) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
}

describe('no mail lost, nothing done twice', () => {
  it('a burst of 1,000 deliveries: the processed set equals the delivered set', async () => {
    const domain = uniqueDomain('burst');
    const assistant = `assistant@${domain}`;
    dh = await liveDeskhand({ assistant, owner: `maya@${domain}` });
    await dh.start();
    const tag = `b${Date.now().toString(36)}`;
    await sendMany(1000, assistant, tag);
    await dh.waitSettled(1000, 120_000);
    const rows = await dh.handle.db.selectFrom('messages').select(['message_id', 'status']).execute();
    const expected = new Set(Array.from({ length: 1000 }, (_, i) => `${tag}-${i}@lumen.example`));
    expect(new Set(rows.map((r) => r.message_id))).toEqual(expected);
    expect(rows).toHaveLength(1000);
    const triaged = await dh.handle.db
      .selectFrom('journal')
      .select('message_id')
      .where('action', '=', 'triaged')
      .execute();
    expect(triaged).toHaveLength(1000);
  }, 180_000);

  it('a silently dead IMAP connection (no FIN) is noticed by the watchdog, and mail that arrived meanwhile is ingested', async () => {
    const s = stackEnv();
    const proxy = await startProxy(s.imapPort);
    try {
      const domain = uniqueDomain('dead');
      const assistant = `assistant@${domain}`;
      dh = await liveDeskhand({
        assistant,
        owner: `maya@${domain}`,
        env: { IMAP_PORT: String(proxy.port), IMAP_WATCHDOG_SECONDS: '2', FILING_ENABLED: 'false' },
      });
      await dh.start();
      await sendRaw({ from: 'a@lumen.example', to: [assistant] }, rawMessage(1, assistant, `pre${domain}`));
      await dh.waitSettled(1);
      const before = proxy.connections();
      proxy.blackhole();
      const t0 = Date.now();
      await sendRaw({ from: 'a@lumen.example', to: [assistant] }, rawMessage(2, assistant, `post${domain}`));
      await dh.waitSettled(2, 30_000);
      expect(Date.now() - t0).toBeLessThan(15_000);
      expect(proxy.connections()).toBeGreaterThan(before);
    } finally {
      await proxy.close();
    }
  });
});

describe('kill -9 at any moment', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children) c.kill('SIGKILL');
  });

  it('after repeated kill -9 during a burst, each message is processed and filed exactly once and the cursor is never ahead of the rows', async () => {
    const db = await freshDatabase('crash');
    const domain = uniqueDomain('crash');
    const assistant = `assistant@${domain}`;
    const env = {
      ...process.env,
      ...deskhandEnvFor({ assistant, owner: `maya@${domain}`, databaseUrl: db.url }),
      QUEUE_PREFIX: `crash${Date.now().toString(36)}`,
      IMAP_WATCHDOG_SECONDS: '3',
      LOG_LEVEL: 'silent',
    };
    const start = () => {
      const c = spawn(process.execPath, ['bin/deskhand.js', 'start'], { env, stdio: 'ignore' });
      children.push(c);
      return c;
    };
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: db.url });
    let child = start();
    try {
      await client.connect();
      for (let i = 0; i < 100; i++) {
        const r = await client
          .query('SELECT count(*)::int AS n FROM mailbox_cursors')
          .catch(() => ({ rows: [{ n: 0 }] }));
        if (r.rows[0].n > 0) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      const tag = `k${Date.now().toString(36)}`;
      const sending = sendMany(300, assistant, tag);
      const processedAtKill: number[] = [];
      // Kill when the stream is a fifth, two fifths and three fifths through: always mid-stream.
      for (const threshold of [60, 120, 180]) {
        const until = Date.now() + 60_000;
        for (;;) {
          const r = await client
            .query(`SELECT count(*)::int AS n FROM messages WHERE status = 'processed'`)
            .catch(() => ({ rows: [{ n: 0 }] }));
          if (r.rows[0].n >= threshold || Date.now() > until) break;
          await new Promise((res) => setTimeout(res, 20));
        }
        child.kill('SIGKILL');
        const n = await client.query(`SELECT count(*)::int AS n FROM messages WHERE status = 'processed'`);
        processedAtKill.push(n.rows[0].n);
        await new Promise((r) => child.once('exit', r));
        child = start();
      }
      await sending;
      // The kills must land mid-stream, or this test would prove nothing.
      expect(
        processedAtKill.some((n) => n > 0 && n < 300),
        `processed at each kill: ${processedAtKill}`,
      ).toBe(true);
      const deadline = Date.now() + 90_000;
      for (;;) {
        const r = await client.query(`SELECT count(*)::int AS n FROM messages WHERE filed_at IS NOT NULL`);
        if (r.rows[0].n >= 300 || Date.now() > deadline) break;
        await new Promise((res) => setTimeout(res, 250));
      }
      const rows = (await client.query(`SELECT message_id, uid FROM messages`)).rows as {
        message_id: string;
        uid: string;
      }[];
      expect(new Set(rows.map((r) => r.message_id)).size).toBe(300);
      expect(rows).toHaveLength(300);
      const perMessage = await client.query(
        `SELECT action, count(*)::int AS n, count(DISTINCT message_id)::int AS d FROM journal WHERE action IN ('triaged', 'filed') GROUP BY action`,
      );
      for (const r of perMessage.rows)
        expect({ action: r.action, n: r.n, d: r.d }).toEqual({ action: r.action, n: 300, d: 300 });
      const cursor = (await client.query('SELECT last_uid FROM mailbox_cursors')).rows[0];
      // Every UID up to the cursor has a committed row: the cursor never ran ahead.
      const uids = new Set(rows.map((r) => Number(r.uid)));
      const missing = Array.from({ length: Number(cursor.last_uid) }, (_, i) => i + 1).filter(
        (u) => !uids.has(u),
      );
      expect(missing).toEqual([]);
      expect(Number(cursor.last_uid)).toBe(300);
    } finally {
      child.kill('SIGTERM');
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      await db.drop().catch(() => undefined);
    }
  }, 180_000);
});
