import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/config.ts';
import { openDatabase } from '../db/db.ts';
import { migrate } from '../db/migrator.ts';
import { digestDue, sendDigest } from '../digest/digest.send.ts';
import { storeFetchedBatch } from '../ingest/message.repository.ts';
import { readMailSource } from '../ingest/sources/mail-source.ts';
import { handleProcessJob } from '../jobs/handlers.ts';
import { type Clock, clockStartingAt, systemClock } from '../shared/clock.ts';
import { sha256Hex } from '../shared/ids.ts';
import { demoAnswers } from './demo.answers.ts';
import { renderDemoReport } from './demo.report.ts';
import { offlinePipeline } from './shadow.pipeline.ts';

export const DEMO_MAILBOX = fileURLToPath(new URL('../../examples/demo-mailbox/', import.meta.url));

/** The people of the bundled sample mailbox. */
export const DEMO_IDENTITY = {
  OWNER_EMAIL: 'maya@northwind.example',
  OWNER_NAME: 'Maya Chen',
  OWNER_TIMEZONE: 'Europe/Berlin',
  ASSISTANT_EMAIL: 'assistant@northwind.example',
  ASSISTANT_NAME: 'Northwind Assistant',
  TEAM_DOMAINS: 'northwind.example',
  // The demo's owner mail carries this server's Authentication-Results (dkim=pass), as mail
  // delivered through a real provider would; everything else would need DNS, which the demo avoids.
  TRUSTED_AUTHSERV_IDS: 'mx.northwind.example',
};

/**
 * The demo's "now": Tuesday 17 March 2026, 13:00 in Berlin (08:00 in New York), just after the sample mailbox's last
 * message. Its clock starts there and runs at real speed, so "next week" in Maya's mail of 10 March
 * still lies ahead, and the demo tells the same story whatever day it runs.
 */
export const DEMO_NOW = '2026-03-17T12:00:00Z';

function demoClock(): Clock {
  return clockStartingAt(Date.parse(DEMO_NOW));
}

/**
 * `deskhand demo`: the bundled sample mailbox through the real pipeline — the same
 * store, triage, journal and outbox code as live mode — on an in-memory embedded
 * database, with no Redis and no network. Nothing is sent; it prints what it did and
 * what it would send.
 */
export async function demoCommand(opts: { dir?: string; json?: boolean } = {}): Promise<number> {
  const config = loadConfig({
    ...DEMO_IDENTITY,
    DATA_DIR: ':memory:',
    IMAP_HOST: '',
    SMTP_HOST: '',
    REDIS_URL: '',
    // A model is used only if the user configured one; by default the demo runs on rules alone.
    OPENAI_API_KEY: process.env['OPENAI_API_KEY'],
    OPENAI_BASE_URL: process.env['OPENAI_BASE_URL'],
    LLM_MODEL: process.env['LLM_MODEL'],
  });
  const handle = await openDatabase(config.database);
  // The bundled mailbox runs on its own clock; a mailbox of yours runs on today's.
  const clock = opts.dir ? systemClock : demoClock();
  try {
    await migrate(handle);
    // No DNS in the demo: mail without the trusted Authentication-Results is simply unverified.
    const deps = offlinePipeline(config, handle, clock, { dns: false });
    const names = new Map<string, string>();
    let uid = 0;
    const feed = async (name: string, raw: Buffer): Promise<void> => {
      uid++;
      const stored = await handle.db.transaction().execute((trx) =>
        storeFetchedBatch(
          trx,
          'demo',
          '1',
          [
            {
              uid,
              size: raw.length,
              internalDate: null,
              raw,
              messageId: null,
              sha256: sha256Hex(raw),
              subject: null,
              from: null,
            },
          ],
          { lastUid: uid, highestModseq: null },
          { receivedAt: clock.now() },
        ),
      );
      for (const id of stored.newIds) {
        names.set(id, name);
        await handleProcessJob(deps, id);
      }
    };
    for await (const m of readMailSource(opts.dir ?? DEMO_MAILBOX)) await feed(m.name, m.raw);
    // Then the owner answers some of the approval requests, and Dana picks a time from the
    // meeting offer, as they would by mail.
    if (!opts.dir) for (const a of await demoAnswers(handle.db, config, clock)) await feed(a.name, a.raw);
    // And the daily digest, as the scheduler would send it at DIGEST_TIME (nothing is sent here).
    if (await digestDue({ db: handle.db, config, clock })) await sendDigest({ db: handle.db, config, clock });
    const report = await renderDemoReport(handle.db, names, config, {
      json: opts.json ?? false,
      ...(opts.dir ? {} : { demoNow: new Date(DEMO_NOW) }),
    });
    process.stdout.write(report);
    return 0;
  } finally {
    await handle.close();
  }
}
