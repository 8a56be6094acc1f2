/**
 * RELIABILITY.md items 2 and 3 on the real mail stack: the outbox sends each message exactly
 * once when the SMTP connection breaks before DATA, after the final dot, or when the process is
 * killed between SMTP's acceptance and the database's record. What counts is what really arrives
 * in the recipient's mailbox (read over IMAP), plus the outbox row and the journal.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type Mock, vi } from 'vitest';
import { type Config, loadConfig } from '../../src/config/config.ts';
import type { DatabaseHandle } from '../../src/db/db.ts';
import type { OutboxRow } from '../../src/db/db.types.ts';
import { createImapSentStore } from '../../src/mailbox/imap.sent.ts';
import { createSmtpMailer, type Mailer } from '../../src/mailbox/smtp.mailer.ts';
import { enqueueOutbound } from '../../src/outbox/outbox.repository.ts';
import { recoverStuckSends, type SenderDeps, sendOutboxRow } from '../../src/outbox/outbox.sender.ts';
import { openMigrated } from '../../src/runtime.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { type SmtpFaultProxy, startSmtpFaultProxy } from '../support/smtp-fault-proxy.ts';
import {
  deskhandEnvFor,
  freshDatabase,
  listMessages,
  postfixLog,
  stackEnv,
  uniqueAddress,
  waitForMessages,
} from './stack.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const crashScript = path.join(repoRoot, 'test/support/crash-after-smtp.ts');

let database: { url: string; drop: () => Promise<void> };
let handle: DatabaseHandle;
let proxy: SmtpFaultProxy;

beforeAll(async () => {
  database = await freshDatabase('outbox_faults');
  handle = await openMigrated(
    loadConfig(
      deskhandEnvFor({
        assistant: uniqueAddress('assistant'),
        owner: uniqueAddress('owner'),
        databaseUrl: database.url,
      }),
    ),
  );
  proxy = await startSmtpFaultProxy(stackEnv().smtpPort, stackEnv().smtpHost);
});

afterAll(async () => {
  await proxy?.close();
  await handle?.close();
  await database?.drop();
});

interface Scenario {
  config: Config;
  assistant: string;
  recipient: string;
  id: string;
  messageId: string;
  deps: SenderDeps;
  notifyAmbiguous: Mock<(outboxId: string, detail: string) => Promise<void>>;
  /** Every sendRaw the test process's mailer made (recovery must make none). */
  smtpCalls: number[];
}

/** Own addresses, one queued outbox row to an external recipient, and sender deps whose SMTP goes through `smtpPort`. */
async function scenario(smtpPort: number): Promise<Scenario> {
  const assistant = uniqueAddress('assistant');
  const owner = uniqueAddress('owner');
  const recipient = uniqueAddress('vendor', 'lumen.example');
  const config = loadConfig(deskhandEnvFor({ assistant, owner, databaseUrl: database.url }));
  const queued = await enqueueOutbound(
    handle.db,
    {
      purpose: 'reply',
      idempotencyKey: `outbox-faults:${randomUUID()}`,
      to: [recipient],
      subject: `Invoice 4711 received ${randomUUID().slice(0, 8)}`,
      text: 'Thank you, we received your invoice and will pay it on time.',
      autoSubmitted: 'auto-replied',
    },
    { assistantEmail: assistant, ownerEmail: owner, perCorrespondentPerHour: 100, now: new Date() },
  );
  if (queued.kind !== 'queued') throw new Error(`not queued: ${queued.reason}`);
  const real = createSmtpMailer({ ...config.smtp!, port: smtpPort });
  const smtpCalls: number[] = [];
  const mailer: Mailer = {
    verify: () => real.verify(),
    sendRaw: (envelope, raw) => {
      smtpCalls.push(Date.now());
      return real.sendRaw(envelope, raw);
    },
  };
  const notifyAmbiguous = vi.fn(async (_outboxId: string, _detail: string) => undefined);
  return {
    config,
    assistant,
    recipient,
    id: queued.outboxId,
    messageId: queued.messageId,
    notifyAmbiguous,
    smtpCalls,
    deps: {
      db: handle.db,
      mailer,
      sent: createImapSentStore(config.imap!),
      clock: systemClock,
      log: silentLogger(),
      fromName: 'deskhand',
      notifyAmbiguous,
    },
  };
}

const outboxRow = (id: string): Promise<OutboxRow> =>
  handle.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const journalActions = async (id: string): Promise<string[]> =>
  (
    await handle.db.selectFrom('journal').select('action').where('outbox_id', '=', id).orderBy('id').execute()
  ).map((r) => r.action);

/** Runs `fn`, returning its result or the error it threw (so later checks still run). */
const settle = <T>(fn: () => Promise<T>): Promise<T | Error> =>
  fn().catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));

/**
 * The copies of `messageId` in the recipient's INBOX, once one has arrived and a quiet period
 * has passed (a duplicate would be delivered within milliseconds of the original on this stack),
 * together with how many times Postfix accepted a message with that Message-ID.
 */
async function deliveredCopies(recipient: string, messageId: string) {
  const want = `<${messageId}>`;
  await waitForMessages(recipient, 'INBOX', (m) => m.messageId === want, 15_000);
  await new Promise((r) => setTimeout(r, 1500));
  const inbox = (await listMessages(recipient, 'INBOX')).filter((m) => m.messageId === want);
  const accepted = postfixLog(`message-id=${want}`).split('\n').filter(Boolean).length;
  return { inbox: inbox.length, acceptedByPostfix: accepted };
}

describe('RELIABILITY 3: an SMTP connection dropped mid-transaction', () => {
  it('dropped before DATA: the attempt fails retryably, the row is pending again, and the retry delivers exactly one copy', async () => {
    const s = await scenario(proxy.port);
    const before = proxy.events().length;
    proxy.arm('drop-before-data');

    const first = await settle(() => sendOutboxRow(s.deps, s.id));
    expect(first).toBeInstanceOf(Error);
    expect(first).toMatchObject({ code: 'SEND_RETRY', retryable: true });
    const afterFirst = await outboxRow(s.id);
    expect(afterFirst.status).toBe('pending');
    expect(afterFirst.attempts).toBe(1);
    expect(afterFirst.last_error).toBeTruthy();
    // The proxy really cut the connection at DATA: the server never got the command.
    const cut = proxy.events()[before];
    expect(cut).toMatchObject({ fault: 'drop-before-data', dataForwarded: false, dotForwarded: false });
    expect(cut?.commands.at(-1)).toBe('DATA');
    // The journal records where the transaction broke (the mailer's stage tracking).
    const retry = await handle.db
      .selectFrom('journal')
      .select('data')
      .where('outbox_id', '=', s.id)
      .where('action', '=', 'send_retry')
      .executeTakeFirstOrThrow();
    expect.soft(retry.data, 'journaled stage').toMatchObject({ attempts: 1, stage: 'data' });

    const second = await settle(() => sendOutboxRow(s.deps, s.id));
    expect(second).toBe('sent');
    expect(proxy.events().slice(before)).toHaveLength(2);
    expect(proxy.events()[before + 1]).toMatchObject({ fault: null, dotForwarded: true });

    expect(await deliveredCopies(s.recipient, s.messageId)).toEqual({ inbox: 1, acceptedByPostfix: 1 });
    const row = await outboxRow(s.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 2, saved_to_sent: true });
    expect(row.smtp_response).toMatch(/^250 /);
    expect(await journalActions(s.id)).toEqual(['send_queued', 'send_retry', 'sent']);
    expect(s.notifyAmbiguous).not.toHaveBeenCalled();
  });

  it('dropped after the final "." (the server accepted it, the reply was lost): ambiguous, the owner told once, never resent — exactly one copy arrives', async () => {
    const s = await scenario(proxy.port);
    const before = proxy.events().length;
    proxy.arm('drop-after-dot');

    const first = await settle(() => sendOutboxRow(s.deps, s.id));
    const cut = proxy.events()[before];
    // The fault happened as intended: Postfix got the whole message and said yes; the client never heard it.
    expect(cut).toMatchObject({ fault: 'drop-after-dot', dataForwarded: true, dotForwarded: true });
    expect(cut?.swallowedReply).toMatch(/^250 /);
    // A later attempt (a retry job, a restart's pending sweep) must not send it again.
    const later = await settle(() => sendOutboxRow(s.deps, s.id));

    expect.soft(first, 'first attempt').toBe('ambiguous');
    expect.soft(later, 'later attempt').toBe('not-pending');
    expect.soft(s.smtpCalls, 'SMTP transactions').toHaveLength(1);
    expect(await deliveredCopies(s.recipient, s.messageId)).toEqual({ inbox: 1, acceptedByPostfix: 1 });
    const row = await outboxRow(s.id);
    expect(row).toMatchObject({ status: 'ambiguous', attempts: 1, sent_at: null, saved_to_sent: false });
    expect(s.notifyAmbiguous).toHaveBeenCalledTimes(1);
    expect(s.notifyAmbiguous).toHaveBeenCalledWith(s.id, expect.any(String));
    expect(await journalActions(s.id)).toEqual(['send_queued', 'send_ambiguous']);
  });
});

interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs crash-after-smtp.ts on row `id`: it sends through the real Postfix and is SIGKILLed after the 250. */
function crashAfterSmtp(s: Scenario): Promise<ChildExit> {
  const env = {
    ...process.env,
    ...deskhandEnvFor({ assistant: s.assistant, owner: s.config.owner.email, databaseUrl: database.url }),
    CRASH_OUTBOX_ID: s.id,
    LOG_LEVEL: 'silent',
  };
  const child = spawn(process.execPath, [crashScript], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

describe('RELIABILITY 2: kill -9 after SMTP accepted a message, before the database recorded it', () => {
  async function crashed(): Promise<Scenario> {
    const s = await scenario(stackEnv().smtpPort);
    const exit = await crashAfterSmtp(s);
    expect(exit.signal, `child output: ${exit.stdout}${exit.stderr}`).toBe('SIGKILL');
    expect(exit.stdout).toMatch(/^accepted 250 /);
    // The crash landed in the window under test: SMTP said yes, the row still says `sending`.
    expect(await outboxRow(s.id)).toMatchObject({ status: 'sending', attempts: 1, sent_at: null });
    expect(await journalActions(s.id)).toEqual(['send_queued']);
    return s;
  }

  it('not in the Sent folder: the restart settles the row as ambiguous, tells the owner once and resends nothing', async () => {
    const s = await crashed();
    // We append to Sent only after recording `sent`, so the crash left no copy there.
    expect(await listMessages(s.assistant, 'Sent')).toEqual([]);

    expect(await recoverStuckSends(s.deps, 0)).toEqual({ sent: 0, ambiguous: 1 });
    expect(await recoverStuckSends(s.deps, 0)).toEqual({ sent: 0, ambiguous: 0 });
    expect(await settle(() => sendOutboxRow(s.deps, s.id))).toBe('not-pending');

    expect(s.smtpCalls).toEqual([]);
    expect(await deliveredCopies(s.recipient, s.messageId)).toEqual({ inbox: 1, acceptedByPostfix: 1 });
    const row = await outboxRow(s.id);
    expect(row).toMatchObject({ status: 'ambiguous', attempts: 1, sent_at: null });
    expect(row.last_error).toMatch(/not found in the Sent folder/);
    expect(s.notifyAmbiguous).toHaveBeenCalledTimes(1);
    expect(s.notifyAmbiguous).toHaveBeenCalledWith(s.id, expect.stringMatching(/not resent/));
    expect(await journalActions(s.id)).toEqual(['send_queued', 'send_ambiguous']);
  });

  it('in the Sent folder (a server that keeps sent copies): the restart settles the row as sent and the owner is not told', async () => {
    const s = await crashed();
    // What a submission server that saves sent mail would have done: the delivered copy, in the assistant's Sent.
    const [delivered] = await waitForMessages(
      s.recipient,
      'INBOX',
      (m) => m.messageId === `<${s.messageId}>`,
    );
    await createImapSentStore(s.config.imap!).append(Buffer.from(delivered!.source));
    expect(await s.deps.sent!.contains(s.messageId)).toBe(true);

    expect(await recoverStuckSends(s.deps, 0)).toEqual({ sent: 1, ambiguous: 0 });
    expect(await recoverStuckSends(s.deps, 0)).toEqual({ sent: 0, ambiguous: 0 });
    expect(await settle(() => sendOutboxRow(s.deps, s.id))).toBe('not-pending');

    expect(s.smtpCalls).toEqual([]);
    expect(await deliveredCopies(s.recipient, s.messageId)).toEqual({ inbox: 1, acceptedByPostfix: 1 });
    const row = await outboxRow(s.id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(row.sent_at).not.toBeNull();
    expect(s.notifyAmbiguous).not.toHaveBeenCalled();
    expect(await journalActions(s.id)).toEqual(['send_queued', 'sent']);
  });
});
