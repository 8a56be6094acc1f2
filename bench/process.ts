/**
 * bench/process — the worker side alone: 1,000 messages already stored, then enqueued
 * at once to a `worker` role (real PostgreSQL and Redis from the test stack, filing off),
 * timed until all are triaged. Separates worker cost from delivery and watcher cost.
 *
 *   npx node bench/process.ts        (C=32 to change worker concurrency)
 */
import { loadConfig } from '../src/config/config.ts';
import { storeFetchedBatch } from '../src/ingest/message.repository.ts';
import { createBullQueue } from '../src/jobs/queues.ts';
import { openMigrated, startWorkerRole } from '../src/runtime.ts';
import { sha256Hex } from '../src/shared/ids.ts';
import { createLogger } from '../src/shared/logger.ts';
import { deskhandEnvFor, freshDatabase } from '../test/integration/stack.ts';

const db = await freshDatabase('proc');
const config = loadConfig({
  ...deskhandEnvFor({ assistant: 'p@proc.example', owner: 'o@proc.example', databaseUrl: db.url }),
  FILING_ENABLED: 'false',
  WORKER_CONCURRENCY: process.env['C'] ?? '16',
});
const h = await openMigrated(config);
const raws = Array.from({ length: 1000 }, (_, i) =>
  Buffer.from(
    `From: v${i}@s.example\r\nTo: p@proc.example\r\nSubject: Invoice ${i}\r\nMessage-ID: <p${i}@s.example>\r\n\r\nPlease pay invoice ${i}. Total EUR 100.\r\n`,
  ),
);
const stored = await h.db.transaction().execute((trx) =>
  storeFetchedBatch(
    trx,
    'm',
    '1',
    raws.map((raw, i) => ({
      uid: i + 1,
      size: raw.length,
      internalDate: null,
      raw,
      messageId: `p${i}@s.example`,
      sha256: sha256Hex(raw),
      subject: null,
      from: null,
    })),
    { lastUid: 1000, highestModseq: null },
  ),
);
const prefix = 'proc' + Date.now();
const jobs = createBullQueue(config.redisUrl!, prefix);
const t0 = Date.now();
const w = await startWorkerRole({ config, log: createLogger('warn'), queuePrefix: prefix }, h);
await jobs.enqueueProcess(stored.newIds);
for (;;) {
  const r = await h.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'processed')
    .executeTakeFirstOrThrow();
  if (Number(r.n) >= 1000) break;
  await new Promise((r) => setTimeout(r, 20));
}
console.log(
  'processed 1000 in',
  Date.now() - t0,
  'ms =>',
  (1000 / ((Date.now() - t0) / 1000)).toFixed(1),
  'msg/s',
);
await w.stop();
await jobs.close();
await h.close();
await db.drop();
process.exit(0);
