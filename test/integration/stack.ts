/**
 * Helpers for integration tests against the real stack started by scripts/stack.sh (PostgreSQL,
 * Redis, Dovecot IMAP, Postfix SMTP, dnsmasq). Every test isolates itself: its own database
 * (freshDatabaseUrl), its own queue prefix (uniquePrefix) and its own mail addresses (uniqueAddress).
 * Every address on every domain has a mailbox; the password is always STACK_PASSWORD ("secret").
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ImapFlow } from 'imapflow';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import pg from 'pg';

export interface StackEnv {
  pgUrl: string;
  redisUrl: string;
  imapHost: string;
  imapPort: number;
  smtpHost: string;
  smtpPort: number;
  lmtpPort: number;
  /** `127.0.0.1:PORT` of the stack's dnsmasq, for DNS_SERVERS. */
  dns: string;
  password: string;
  /** The stack's state directory (.stack/). */
  dir: string;
  /** Postfix's log file: one `status=sent` line per delivered recipient. */
  maillog: string;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const stackEnvFile = path.join(repoRoot, '.stack', 'stack.env');

/** Parses a KEY=VALUE file (stack.env). */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The stack's addresses: from process.env (set by global-setup.ts), else from .stack/stack.env. */
export function stackEnv(): StackEnv {
  let vars: Record<string, string | undefined> = process.env;
  if (!vars.STACK_PG_URL) {
    if (!existsSync(stackEnvFile)) {
      throw new Error(
        'the test stack is not running: run `bash scripts/stack.sh up` or `npx vitest run --project integration`',
      );
    }
    vars = parseEnvFile(readFileSync(stackEnvFile, 'utf8'));
  }
  const need = (k: string): string => {
    const v = vars[k];
    if (!v) throw new Error(`${k} missing from the stack environment (${stackEnvFile})`);
    return v;
  };
  return {
    pgUrl: need('STACK_PG_URL'),
    redisUrl: need('STACK_REDIS_URL'),
    imapHost: need('STACK_IMAP_HOST'),
    imapPort: Number(need('STACK_IMAP_PORT')),
    smtpHost: vars.STACK_SMTP_HOST ?? '127.0.0.1',
    smtpPort: Number(need('STACK_SMTP_PORT')),
    lmtpPort: Number(need('STACK_LMTP_PORT')),
    dns: need('STACK_DNS'),
    password: need('STACK_PASSWORD'),
    dir: need('STACK_DIR'),
    maillog: vars.STACK_MAILLOG ?? '',
  };
}

/** A short random lowercase token, e.g. `k3x9q2mf`. */
export function randomToken(length = 8): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return s;
}

/** `prefix-<random>`: a BullMQ queue prefix, a Redis key prefix, a folder name… unique per call. */
export function uniquePrefix(prefix = 'test'): string {
  return `${prefix}-${randomToken()}`;
}

/**
 * A fresh address nobody else uses, e.g. `assistant-k3x9q2mf@example.test`. Its mailbox exists as
 * soon as mail arrives (or on first IMAP login). `x+tag@domain` is delivered to x's INBOX.
 */
export function uniqueAddress(localpart = 'user', domain = 'example.test'): string {
  return `${localpart}-${randomToken()}@${domain}`;
}

// ------------------------------------------------------------------ PostgreSQL

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stackEnv().pgUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a uniquely named, empty database in the stack's PostgreSQL and returns its URL. */
export async function freshDatabaseUrl(prefix = 'test'): Promise<string> {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40);
  const name = `${clean}_${Date.now().toString(36)}_${randomToken(6)}`;
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  return withDatabase(stackEnv().pgUrl, name);
}

/**
 * Drops a database made by freshDatabaseUrl. Connections still open to it are waited for (up to
 * `waitMs`), not killed: killing them would surface as an uncaught `terminating connection due to
 * administrator command` on the idle client of a pool somebody forgot to end. If they stay open,
 * the database is left behind with a warning (the stack is thrown away anyway), unless `force`.
 */
export async function dropDatabase(
  url: string,
  opts: { force?: boolean; waitMs?: number } = {},
): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name || name === 'postgres' || name.includes('"')) throw new Error(`refusing to drop "${name}"`);
  const sql = `DROP DATABASE IF EXISTS "${name}"${opts.force ? ' WITH (FORCE)' : ''}`;
  const deadline = Date.now() + (opts.waitMs ?? 5000);
  await withAdmin(async (c) => {
    for (;;) {
      try {
        await c.query(sql);
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== '55006') throw err; // 55006: object_in_use
        if (Date.now() > deadline) {
          const { rows } = await c.query(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          console.warn(`dropDatabase: ${name} still has ${rows[0]?.n} open connection(s); left in place`);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
}

/** freshDatabaseUrl and its drop function together: `const db = await freshDatabase('x'); … db.drop()`. */
export async function freshDatabase(prefix = 'test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const url = await freshDatabaseUrl(prefix);
  return { url, drop: () => dropDatabase(url) };
}

// ------------------------------------------------------------------ SMTP

type Address = string | string[];

export interface SendMailInput {
  from: string;
  to?: Address;
  cc?: Address;
  bcc?: Address;
  subject?: string;
  text?: string;
  html?: string;
  replyTo?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string | string[];
  date?: Date;
  headers?: Record<string, string | string[]>;
  attachments?: SendMailOptions['attachments'];
  /** A whole RFC 822 message sent as is; the envelope comes from `envelope`, else from from/to/cc/bcc. */
  raw?: string | Buffer;
  /** SMTP envelope (MAIL FROM / RCPT TO), when it differs from the headers (e.g. Bcc). */
  envelope?: { from: string; to: string[] };
  /** nodemailer's DKIM signing options. */
  dkim?: SendMailOptions['dkim'];
}

const asList = (a: Address | undefined): string[] => (a === undefined ? [] : Array.isArray(a) ? a : [a]);

/** Sends a message through the stack's Postfix (no auth, no TLS), which delivers it to Dovecot. */
export async function sendMail(input: SendMailInput): Promise<{ messageId: string; accepted: string[] }> {
  const env = stackEnv();
  const transport = nodemailer.createTransport({
    host: env.smtpHost,
    port: env.smtpPort,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const envelope = input.envelope ?? {
      from: input.from,
      to: [...asList(input.to), ...asList(input.cc), ...asList(input.bcc)],
    };
    const message: SendMailOptions = input.raw
      ? { envelope, raw: input.raw }
      : {
          from: input.from,
          to: input.to,
          cc: input.cc,
          bcc: input.bcc,
          subject: input.subject ?? '',
          text: input.text,
          html: input.html,
          replyTo: input.replyTo,
          messageId: input.messageId,
          inReplyTo: input.inReplyTo,
          references: input.references,
          date: input.date,
          headers: input.headers,
          attachments: input.attachments,
          dkim: input.dkim,
          ...(input.envelope ? { envelope: input.envelope } : {}),
        };
    const info = await transport.sendMail(message);
    return { messageId: info.messageId, accepted: (info.accepted as unknown[]).map(String) };
  } finally {
    transport.close();
  }
}

/**
 * Sends a whole RFC 822 message as is (a fixture .eml, a bounce with `from: ''`, a forged reply…)
 * with this SMTP envelope.
 */
export async function sendRaw(
  envelope: { from: string; to: string[] },
  raw: string | Buffer,
): Promise<{ messageId: string; accepted: string[] }> {
  return await sendMail({ from: envelope.from, envelope, raw });
}

// ------------------------------------------------------------------ IMAP

/** A connected IMAP client logged in as `address` (use the plain address, not `x+tag@…`). */
export async function imapClientFor(address: string): Promise<ImapFlow> {
  const env = stackEnv();
  const client = new ImapFlow({
    host: env.imapHost,
    port: env.imapPort,
    secure: false,
    auth: { user: address, pass: env.password },
    logger: false,
  });
  await client.connect();
  return client;
}

export interface StackMessage {
  uid: number;
  subject: string;
  messageId: string;
  from: string[];
  to: string[];
  cc: string[];
  flags: Set<string>;
  /** The whole message as received. */
  source: string;
  /** First value of a header (case-insensitive name), unfolded; undefined if absent. */
  header(name: string): string | undefined;
  /** Every value of a header, in order. */
  headers(name: string): string[];
}

function headerBlock(source: string): Map<string, string[]> {
  const end = source.search(/\r?\n\r?\n/);
  const block = (end === -1 ? source : source.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const map = new Map<string, string[]>();
  for (const line of block.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const list = map.get(key) ?? [];
    list.push(line.slice(i + 1).trim());
    map.set(key, list);
  }
  return map;
}

/** Every message in `folder` of `address`'s mailbox, oldest first. Missing folder: []. */
export async function listMessages(address: string, folder = 'INBOX'): Promise<StackMessage[]> {
  const client = await imapClientFor(address);
  try {
    return await fetchMessages(client, folder);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function fetchMessages(client: ImapFlow, folder: string): Promise<StackMessage[]> {
  let lock: Awaited<ReturnType<ImapFlow['getMailboxLock']>>;
  try {
    lock = await client.getMailboxLock(folder);
  } catch {
    return []; // folder does not exist (yet)
  }
  try {
    // A selected mailbox only learns of new mail when a command runs (RFC 3501 §7.3.1);
    // without this NOOP a poll that started on an empty mailbox would never see a delivery.
    await client.noop();
    const exists = client.mailbox ? client.mailbox.exists : 0;
    if (!exists) return [];
    const rows = await client.fetchAll('1:*', { uid: true, envelope: true, flags: true, source: true });
    return rows.map((m) => {
      const source = m.source ? m.source.toString('utf8') : '';
      const hdrs = headerBlock(source);
      const addrs = (list?: { address?: string }[]) => (list ?? []).map((a) => a.address ?? '');
      return {
        uid: m.uid,
        subject: m.envelope?.subject ?? '',
        messageId: m.envelope?.messageId ?? '',
        from: addrs(m.envelope?.from),
        to: addrs(m.envelope?.to),
        cc: addrs(m.envelope?.cc),
        flags: m.flags ?? new Set<string>(),
        source,
        header: (name: string) => hdrs.get(name.toLowerCase())?.[0],
        headers: (name: string) => hdrs.get(name.toLowerCase()) ?? [],
      };
    });
  } finally {
    lock.release();
  }
}

/**
 * Polls `address`'s `folder` over IMAP until `want` is met, and returns the matching messages:
 * a number waits for at least that many messages; a predicate for at least one message it accepts.
 */
export async function waitForMessages(
  address: string,
  folder: string,
  want: number | ((m: StackMessage) => boolean),
  timeoutMs = 15_000,
): Promise<StackMessage[]> {
  const deadline = Date.now() + timeoutMs;
  const client = await imapClientFor(address);
  let seen: StackMessage[] = [];
  try {
    for (;;) {
      seen = await fetchMessages(client, folder);
      if (typeof want === 'number') {
        if (seen.length >= want) return seen;
      } else {
        const hits = seen.filter(want);
        if (hits.length > 0) return hits;
      }
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 150));
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  const subjects = seen.map((m) => JSON.stringify(m.subject)).join(', ');
  throw new Error(
    `waitForMessages(${address}, ${folder}): not met after ${timeoutMs} ms; ${seen.length} message(s) there: ` +
      `${subjects || '(none)'}${postfixLogHint(address)}`,
  );
}

/** Postfix's log lines that mention `text` (e.g. an address or a queue id), for failure messages. */
export function postfixLog(text?: string): string {
  const file = stackEnv().maillog;
  if (!file || !existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8').split('\n');
  return (text ? lines.filter((l) => l.includes(text)) : lines).join('\n');
}

function postfixLogHint(address: string): string {
  try {
    const log = postfixLog(address.split('@')[0]);
    return log ? `\nPostfix log:\n${log.split('\n').slice(-10).join('\n')}` : '';
  } catch {
    return '';
  }
}

// ------------------------------------------------------------------ DNS

/** A free TCP port on 127.0.0.1 (from the kernel; closed again before returning). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A dnsmasq of the test's own, serving exactly these TXT records (e.g. a DKIM key and a DMARC policy),
 * so a test does not depend on what the shared stack serves. Returns `server` for DNS_SERVERS.
 */
export async function startDnsServer(
  txt: Array<{ name: string; value: string }>,
): Promise<{ server: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'deskhand-dns-'));
  const conf = path.join(dir, 'dnsmasq.conf');
  // dnsmasq parses quotes (and commas inside them) only in a config file.
  writeFileSync(conf, txt.map((r) => `txt-record=${r.name},"${r.value.replace(/"/g, '\\"')}"\n`).join(''));
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      '/usr/sbin/dnsmasq',
      [
        `--conf-file=${conf}`,
        '--keep-in-foreground',
        '--no-resolv',
        '--no-hosts',
        `--port=${port}`,
        '--listen-address=127.0.0.1',
        '--bind-interfaces',
        '--user=root',
        '--group=root',
        `--log-facility=${path.join(dir, 'dnsmasq.log')}`,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ok = await Promise.race([
      exited.then(() => false),
      waitForTcp(port, 5000).then(
        () => true,
        () => false,
      ),
    ]);
    if (ok) {
      return {
        server: `127.0.0.1:${port}`,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
    await exited;
    if (attempt >= 3) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error('dnsmasq did not start');
    }
  }
}

async function waitForTcp(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * The environment that points a deskhand process at this stack (as the contract's
 * variables): its own assistant mailbox, owner and database.
 */
export function deskhandEnvFor(o: {
  assistant: string;
  owner: string;
  databaseUrl: string;
}): Record<string, string> {
  const s = stackEnv();
  return {
    OWNER_EMAIL: o.owner,
    ASSISTANT_EMAIL: o.assistant,
    IMAP_HOST: s.imapHost,
    IMAP_PORT: String(s.imapPort),
    IMAP_SECURE: 'false',
    IMAP_USER: o.assistant,
    IMAP_PASSWORD: s.password,
    SMTP_HOST: s.smtpHost,
    SMTP_PORT: String(s.smtpPort),
    SMTP_SECURE: 'false',
    DATABASE_URL: o.databaseUrl,
    REDIS_URL: s.redisUrl,
    // A test or benchmark that runs after DIGEST_TIME would otherwise get a digest in the owner's
    // mailbox and outbox; the digest's own tests turn it on with their own clock.
    DIGEST_ENABLED: 'false',
  };
}
