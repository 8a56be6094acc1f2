import { type Config, loadConfig } from '../../src/config/config.ts';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { openMigrated, type Stoppable, startWatchRole, startWorkerRole } from '../../src/runtime.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { deskhandEnvFor, freshDatabase } from '../integration/stack.ts';

export interface LiveDeskhand {
  config: Config;
  handle: DatabaseHandle;
  /** This instance's BullMQ prefix (its queues in the test stack's Redis). */
  queuePrefix: string;
  /** Starts (or restarts) the watcher and workers in this process. */
  start(): Promise<void>;
  /** Starts one more worker role on the same database and queues (as a second process would). */
  addWorker(): Promise<void>;
  /** Stops them; the database stays. */
  stop(): Promise<void>;
  /** Closes everything and drops the database. */
  destroy(): Promise<void>;
  /**
   * Waits until `n` messages are processed (or quarantined), their skills step is done (what they
   * lead to — drafts, proposals, notices — is recorded) and, with filing on, they are filed.
   */
  waitSettled(n: number, timeoutMs?: number): Promise<void>;
}

/** deskhand wired to the test stack with its own database, queue prefix and mailbox. */
export async function liveDeskhand(o: {
  assistant: string;
  owner: string;
  env?: Record<string, string>;
  /** The workers' clock (default: the system's). */
  clock?: Clock;
}): Promise<LiveDeskhand> {
  const db = await freshDatabase('dh');
  const config = loadConfig({
    ...deskhandEnvFor({ assistant: o.assistant, owner: o.owner, databaseUrl: db.url }),
    IMAP_WATCHDOG_SECONDS: '5',
    ...o.env,
  });
  const handle = await openMigrated(config);
  const queuePrefix = `t${Math.random().toString(36).slice(2, 10)}`;
  let running: Stoppable[] = [];
  const log = silentLogger();
  return {
    config,
    handle,
    queuePrefix,
    async start() {
      running = [
        await startWorkerRole(
          { config, log, queuePrefix, stuckSendMs: 0, ...(o.clock ? { clock: o.clock } : {}) },
          handle,
        ),
        await startWatchRole({ config, log, queuePrefix, ...(o.clock ? { clock: o.clock } : {}) }, handle),
      ];
    },
    async addWorker() {
      running.push(
        await startWorkerRole(
          { config, log, queuePrefix, stuckSendMs: 0, ...(o.clock ? { clock: o.clock } : {}) },
          handle,
        ),
      );
    },
    async stop() {
      for (const r of running.reverse()) await r.stop();
      running = [];
    },
    async destroy() {
      for (const r of running.reverse()) await r.stop();
      running = [];
      await handle.close();
      await db.drop();
    },
    async waitSettled(n, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rows = await handle.db
          .selectFrom('messages')
          .select(['status', 'filed_at', 'target_folder', 'skills_done_at'])
          .execute();
        // Triage comes first and the skills follow it (src/jobs/triage-first.ts): a processed
        // message is settled once its skills step has run too.
        const settled = rows.filter(
          (r) =>
            r.status !== 'received' &&
            (r.status !== 'processed' || r.skills_done_at !== null) &&
            (!config.env.FILING_ENABLED || r.filed_at),
        );
        if (settled.length >= n) return;
        if (Date.now() > deadline)
          throw new Error(`only ${settled.length}/${n} messages settled (${rows.length} stored)`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
