import { Resolver } from 'node:dns/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  freshDatabase,
  imapClientFor,
  sendMail,
  sendRaw,
  stackEnv,
  startDnsServer,
  uniqueAddress,
  uniquePrefix,
  waitForMessages,
} from './stack.ts';

describe('the test stack', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it('hands the stack to the test files through STACK_* variables set by the global setup', () => {
    expect(process.env.STACK_PG_URL).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    expect(process.env.STACK_REDIS_URL).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const env = stackEnv();
    expect(env.imapHost).toBe('127.0.0.1');
    expect(env.password).toBe('secret');
    expect(new Set([env.imapPort, env.smtpPort, env.lmtpPort]).size).toBe(3);
  });

  it('delivers a message sent through Postfix to the recipient, readable over IMAP', async () => {
    const from = uniqueAddress('sender');
    const to = uniqueAddress('assistant');
    const subject = `smoke ${uniquePrefix('subject')}`;
    await sendMail({ from, to, subject, text: 'hello from the smoke test' });

    const [message] = await waitForMessages(to, 'INBOX', (m) => m.subject === subject, 20_000);
    expect(message!.from).toEqual([from]);
    expect(message!.to).toEqual([to]);
    expect(message!.source).toContain('hello from the smoke test');
    expect(message!.header('delivered-to')).toBe(to);
  });

  it('delivers a plus-address into the base address INBOX and keeps the full address in Delivered-To', async () => {
    const base = uniqueAddress('assistant');
    const [local, domain] = base.split('@');
    const tagged = `${local}+inv-42@${domain}`;
    const subject = `plus ${uniquePrefix('subject')}`;
    await sendMail({ from: uniqueAddress('vendor'), to: tagged, subject, text: 'tagged' });

    const [message] = await waitForMessages(base, 'INBOX', (m) => m.subject === subject, 20_000);
    expect(message!.header('delivered-to')).toBe(tagged);
    expect(message!.to).toEqual([tagged]);
  });

  it('delivers one message to every To and Cc recipient, each in their own mailbox', async () => {
    const to = uniqueAddress('owner');
    const cc = uniqueAddress('assistant');
    const subject = `cc ${uniquePrefix('subject')}`;
    await sendMail({ from: uniqueAddress('guest'), to, cc, subject, text: 'meeting?' });

    const [a] = await waitForMessages(to, 'INBOX', 1, 20_000);
    const [b] = await waitForMessages(cc, 'INBOX', 1, 20_000);
    expect(a!.subject).toBe(subject);
    expect(b!.subject).toBe(subject);
    expect(b!.cc).toEqual([cc]);
  });

  it('sends a raw message with a null envelope sender, as a bounce would arrive', async () => {
    const to = uniqueAddress('assistant');
    const subject = `bounce ${uniquePrefix('subject')}`;
    const raw = [
      'From: Mail Delivery System <MAILER-DAEMON@example.test>',
      `To: ${to}`,
      `Subject: ${subject}`,
      'Message-ID: <bounce-1@example.test>',
      'Auto-Submitted: auto-replied',
      '',
      'Delivery failed.',
      '',
    ].join('\r\n');
    await sendRaw({ from: '', to: [to] }, raw);

    const [message] = await waitForMessages(to, 'INBOX', (m) => m.subject === subject, 20_000);
    expect(message!.header('return-path')).toBe('<>');
    expect(message!.header('auto-submitted')).toBe('auto-replied');
  });

  it('pushes a new message to a client idling on INBOX within two seconds', async () => {
    const to = uniqueAddress('assistant');
    const client = await imapClientFor(to);
    try {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const arrived = new Promise<number>((resolve) => {
          client.on('exists', (e: { count: number }) => resolve(e.count));
        });
        client.idle().catch(() => {}); // resolves when IDLE is broken off (by logout)
        await new Promise((r) => setTimeout(r, 200));
        const t0 = Date.now();
        await sendMail({ from: uniqueAddress('vendor'), to, subject: 'idle', text: 'ping' });
        expect(await arrived).toBe(1);
        expect(Date.now() - t0).toBeLessThan(2000);
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('logs in over IMAP with the shared password and offers the special-use folders', async () => {
    const client = await imapClientFor(uniqueAddress('assistant'));
    try {
      const folders = await client.list();
      const special = folders.map((f) => f.specialUse).filter(Boolean);
      expect(special).toEqual(expect.arrayContaining(['\\Sent', '\\Drafts', '\\Trash', '\\Junk']));
      expect(folders.map((f) => f.path)).toContain('INBOX');
    } finally {
      await client.logout();
    }
  });

  it('creates a fresh PostgreSQL database that a client can write to and that is dropped afterwards', async () => {
    const db = await freshDatabase('smoke');
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query('CREATE TABLE t (id int primary key, note text)');
      await client.query("INSERT INTO t VALUES (1, 'ok')");
      const { rows } = await client.query('SELECT note, current_database() AS db FROM t');
      expect(rows[0].note).toBe('ok');
      expect(db.url.endsWith(`/${rows[0].db}`)).toBe(true);
    } finally {
      await client.end();
    }
    await db.drop();

    const admin = new pg.Client({ connectionString: stackEnv().pgUrl });
    await admin.connect();
    try {
      const name = new URL(db.url).pathname.slice(1);
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('answers on the stack Redis, which never evicts keys', async () => {
    const redis = new Redis(stackEnv().redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    cleanups.push(() => redis.quit());
    await redis.connect();
    const key = `${uniquePrefix('smoke')}:k`;
    await redis.set(key, 'v', 'EX', 60);
    expect(await redis.get(key)).toBe('v');
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    expect(policy).toBe('noeviction');
  });

  it('serves TXT records from a test-owned dnsmasq, long DKIM keys included', async () => {
    const key = 'MIIB'.padEnd(392, 'A');
    const dns = await startDnsServer([
      { name: 'sel._domainkey.example.test', value: `v=DKIM1; k=rsa; p=${key}` },
      { name: '_dmarc.example.test', value: 'v=DMARC1; p=reject' },
    ]);
    cleanups.push(dns.stop);
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([dns.server]);
    const dkim = await resolver.resolveTxt('sel._domainkey.example.test');
    expect(dkim[0]!.join('')).toBe(`v=DKIM1; k=rsa; p=${key}`);
    expect(await resolver.resolveTxt('_dmarc.example.test')).toEqual([['v=DMARC1; p=reject']]);

    const shared = new Resolver({ timeout: 2000, tries: 1 });
    shared.setServers([stackEnv().dns]);
    await expect(shared.resolveTxt('nothing.example.test')).rejects.toMatchObject({
      code: expect.stringMatching(/^E(REFUSED|NOTFOUND|NODATA)$/),
    });
  });
});
