import type { Config } from '../config/config.ts';
import { openDatabase } from '../db/db.ts';
import { readMigrations } from '../db/migrator.ts';
import { redisConnection } from '../jobs/queues.ts';
import { probeModelServer } from '../llm/llm.probe.ts';
import { createImapClient } from '../mailbox/imap.client.ts';
import { createSmtpMailer } from '../mailbox/smtp.mailer.ts';
import { describeError } from '../shared/errors.ts';

interface Check {
  name: string;
  run(): Promise<string>;
}

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms),
    ),
  ]);

/**
 * `deskhand doctor`: checks configuration and each connection, and says in words what is
 * wrong. Exit code 0 only when everything configured works.
 */
export async function doctorCommand(config: Config): Promise<number> {
  const checks: Check[] = [
    {
      name: 'database',
      async run() {
        const h = await openDatabase(config.database, { poolSize: 1 });
        try {
          const rows = await h
            .withSession((s) => s.exec('SELECT version FROM schema_migrations'))
            .catch(() => []);
          const want = readMigrations().length;
          const where =
            config.database.kind === 'postgres'
              ? 'PostgreSQL (DATABASE_URL)'
              : `embedded PGlite in ${config.database.dataDir}`;
          if (rows.length < want)
            return `reachable (${where}), but ${want - rows.length} migration(s) not applied: run \`deskhand migrate\``;
          return `ok — ${where}, ${rows.length} migration(s) applied`;
        } finally {
          await h.close();
        }
      },
    },
    {
      name: 'redis',
      async run() {
        if (!config.redisUrl)
          return 'not configured (REDIS_URL unset): live mode needs it; demo and shadow do not';
        const r = redisConnection(config.redisUrl);
        try {
          await withTimeout(r.ping(), 5000, 'Redis');
          const policy = (await r.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
          const p = policy[1];
          return p && p !== 'noeviction'
            ? `ok, but maxmemory-policy is ${p}: set noeviction, BullMQ keeps jobs in Redis`
            : 'ok';
        } finally {
          r.disconnect();
        }
      },
    },
    {
      name: 'imap',
      async run() {
        if (!config.imap) return 'not configured (IMAP_HOST unset)';
        const c = createImapClient(config.imap);
        await withTimeout(c.connect(), 15000, `IMAP server ${config.imap.host}:${config.imap.port}`).catch(
          (err) => {
            c.close();
            throw err;
          },
        );
        try {
          const st = await c.status(config.imap.mailbox, { messages: true });
          const idle = c.capabilities.has('IDLE') ? 'IDLE' : 'no IDLE (will poll)';
          const cs = c.capabilities.has('CONDSTORE') ? ', CONDSTORE' : '';
          return `ok — logged in as ${config.imap.user}, ${config.imap.mailbox} has ${st ? st.messages : '?'} messages, ${idle}${cs}`;
        } finally {
          await c.logout().catch(() => c.close());
        }
      },
    },
    {
      name: 'smtp',
      async run() {
        if (!config.smtp) return 'not configured (SMTP_HOST unset)';
        await withTimeout(
          createSmtpMailer(config.smtp).verify(),
          20000,
          `SMTP server ${config.smtp.host}:${config.smtp.port}`,
        );
        return `ok — ${config.smtp.host}:${config.smtp.port} accepted the handshake${config.smtp.user ? ' and login' : ''}`;
      },
    },
    {
      name: 'model',
      async run() {
        if (!config.model)
          return 'none configured — every skill runs on its rules (set OPENAI_BASE_URL / LLM_MODEL to add one)';
        return probeModelServer(config.model);
      },
    },
  ];
  let failed = 0;
  process.stdout.write(
    `✔ config: owner ${config.owner.email} (${config.owner.timeZone}), assistant ${config.assistant.email}\n`,
  );
  for (const c of checks) {
    try {
      process.stdout.write(`✔ ${c.name}: ${await c.run()}\n`);
    } catch (err) {
      failed++;
      process.stdout.write(`✘ ${c.name}: ${explain(c.name, err)}\n`);
    }
  }
  return failed ? 1 : 0;
}

/** Library errors, classified into sentences a person can act on. */
function explain(name: string, err: unknown): string {
  const e = err as { code?: string; authenticationFailed?: boolean; responseCode?: number };
  const text = String((err as Error)?.message ?? err);
  if (e.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(text))
    return `connection refused — is the ${name} server running at the configured host and port?`;
  if (e.code === 'ENOTFOUND' || /ENOTFOUND/.test(text)) return `host not found — check the ${name} host name`;
  if (e.authenticationFailed || e.code === 'EAUTH' || e.responseCode === 535)
    return `login failed — check the ${name.toUpperCase()} user and password`;
  if (e.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(String(err))) {
    return `TLS mismatch — the server does not speak TLS on this port; set ${name.toUpperCase()}_SECURE=false (or use the TLS port)`;
  }
  return describeError(err);
}
