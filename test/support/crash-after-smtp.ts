/**
 * A child process for RELIABILITY.md item 2: claims and sends one outbox row through the real
 * SMTP server and dies by SIGKILL the moment the server has accepted it — after SMTP said 250,
 * before the database recorded `sent`. The row is left in `sending`, as a real crash would leave it.
 *
 * Run with `process.execPath test/support/crash-after-smtp.ts` (Node >= 22.18 strips the types),
 * with the deskhand environment (deskhandEnvFor) plus CRASH_OUTBOX_ID. Before dying it writes
 * `accepted <smtp response>` on stdout; any other ending prints `error …` / `outcome …` and exits 1.
 */
import { writeSync } from 'node:fs';
import { loadConfig } from '../../src/config/config.ts';
import { openDatabase } from '../../src/db/db.ts';
import { createImapSentStore } from '../../src/mailbox/imap.sent.ts';
import { createSmtpMailer, type Mailer } from '../../src/mailbox/smtp.mailer.ts';
import { sendOutboxRow } from '../../src/outbox/outbox.sender.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { silentLogger } from '../../src/shared/logger.ts';

const say = (line: string) => writeSync(1, `${line}\n`);

async function main(): Promise<number> {
  const id = process.env.CRASH_OUTBOX_ID;
  if (!id) throw new Error('CRASH_OUTBOX_ID is not set');
  const config = loadConfig(process.env);
  if (!config.smtp || !config.imap) throw new Error('SMTP_HOST and IMAP_HOST must be set');
  const handle = await openDatabase(config.database, { poolSize: 2 });
  const real = createSmtpMailer(config.smtp);
  const mailer: Mailer = {
    verify: () => real.verify(),
    async sendRaw(envelope, raw) {
      const result = await real.sendRaw(envelope, raw);
      // The server has the message. Die before anything else runs: no finishSend, no Sent copy.
      say(`accepted ${result.response}`);
      process.kill(process.pid, 'SIGKILL');
      // SIGKILL is delivered synchronously to ourselves; this line is never reached.
      return result;
    },
  };
  const outcome = await sendOutboxRow(
    {
      db: handle.db,
      mailer,
      sent: createImapSentStore(config.imap),
      clock: systemClock,
      log: silentLogger(),
      fromName: config.assistant.name,
    },
    id,
  );
  say(`outcome ${outcome}`);
  await handle.close();
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    say(`error ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
