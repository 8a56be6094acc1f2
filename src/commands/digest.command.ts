import type { Config } from '../config/config.ts';
import { previewDigest, sendDigest } from '../digest/digest.send.ts';
import { createBullQueue } from '../jobs/queues.ts';
import { terminalSafe, terminalText } from '../journal/terminal.ts';
import { openMigrated } from '../runtime.ts';
import { type Clock, systemClock } from '../shared/clock.ts';

/**
 * `deskhand digest --print | --send`: today's digest. `--print` builds and prints it (text, or
 * `--html`) and stores nothing; `--send` queues it now — once per day of the owner's calendar, as
 * the scheduler would (a second `--send` the same day says it went already). `--json` prints only
 * JSON.
 */
export async function digestCommand(
  config: Config,
  o: { print?: boolean; send?: boolean; html?: boolean; json?: boolean },
  clock: Clock = systemClock,
): Promise<number> {
  if (Boolean(o.print) === Boolean(o.send)) {
    process.stderr.write('deskhand digest: say --print (show it, store nothing) or --send (send it now)\n');
    return 64;
  }
  const handle = await openMigrated(config);
  try {
    const deps = { db: handle.db, config, clock };
    if (o.print) {
      const { content, rendered } = await previewDigest(deps);
      if (o.json)
        process.stdout.write(`${JSON.stringify({ subject: rendered.subject, content }, null, 2)}\n`);
      // The HTML escapes every value; the text goes to a terminal: control and invisible characters out.
      else
        process.stdout.write(
          o.html ? rendered.html : terminalText(`Subject: ${rendered.subject}\n\n${rendered.text}`),
        );
      return 0;
    }
    const r = await sendDigest(deps);
    // The send job goes to the workers when there are any; else the next worker start sends it.
    if (r.kind === 'sent' && config.env.REDIS_URL) {
      const jobs = createBullQueue(config.env.REDIS_URL, config.env.QUEUE_PREFIX);
      try {
        await jobs.enqueueSend([r.outboxId]);
      } finally {
        await jobs.close();
      }
    }
    if (o.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else if (r.kind === 'sent')
      process.stdout.write(
        `queued: ${terminalSafe(r.subject)} (outbox row ${r.outboxId}; ${config.env.REDIS_URL ? 'the workers send it now' : 'sent when a worker starts'})\n`,
      );
    else if (r.kind === 'exists') process.stdout.write(`today's digest (${r.day}) was sent already\n`);
    else process.stdout.write(`skipped: ${r.reason} (${r.day}, DIGEST_SKIP_EMPTY)\n`);
    return 0;
  } finally {
    await handle.close();
  }
}
