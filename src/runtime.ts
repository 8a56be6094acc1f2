import { confirmExecutions, expireApprovals } from './approvals/approval.sweep.ts';
import { authenticateSender } from './auth/sender-auth.ts';
import type { Config } from './config/config.ts';
import { type DatabaseHandle, openDatabase } from './db/db.ts';
import { migrate } from './db/migrator.ts';
import { digestDue, sendDigest } from './digest/digest.send.ts';
import { closePdfReader } from './extract/pdf/pdf.reader.ts';
import { startDigestSchedule } from './jobs/digest.schedule.ts';
import { FilingLoop } from './jobs/filing.loop.ts';
import { handleProcessJob, handleSkillsJob, type PipelineDeps, recoveryIds } from './jobs/handlers.ts';
import { createBullQueue, type JobQueue } from './jobs/queues.ts';
import { type RunningWorkers, startWorkers } from './jobs/worker.ts';
import { modelClientFor } from './llm/llm.factory.ts';
import { ImapFiler } from './mailbox/imap.filer.ts';
import { createImapSentStore } from './mailbox/imap.sent.ts';
import { MailboxWatcher } from './mailbox/imap.watcher.ts';
import { createSmtpMailer } from './mailbox/smtp.mailer.ts';
import { notifyOwner } from './outbox/notices.ts';
import { pendingIds } from './outbox/outbox.repository.ts';
import { recoverStuckSends, type SenderDeps, sendOutboxRow } from './outbox/outbox.sender.ts';
import { type Clock, systemClock } from './shared/clock.ts';
import { ConfigError, describeError } from './shared/errors.ts';
import type { Logger } from './shared/logger.ts';

/** Something started that must be stopped on shutdown. */
export interface Stoppable {
  stop(): Promise<void>;
}

export interface LiveOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** BullMQ key prefix; default QUEUE_PREFIX (tests give each run its own). */
  queuePrefix?: string;
  /** Rows in `sending` older than this at start are settled as crashed sends. */
  stuckSendMs?: number;
}

/** Live mode's requirements, checked before anything connects. Throws ConfigError naming the variable. */
export function requireLive(config: Config): { imap: NonNullable<Config['imap']>; redisUrl: string } {
  if (!config.imap)
    throw new ConfigError(
      'IMAP_HOST: is not set — live mode needs the assistant mailbox (try `deskhand demo` without one)',
    );
  if (!config.redisUrl)
    throw new ConfigError('REDIS_URL: is not set — live mode runs its jobs on Redis (BullMQ)');
  return { imap: config.imap, redisUrl: config.redisUrl };
}

/** The model client (or null) and the sender authenticator, built once from the configuration. */
export function skillServices(
  config: Config,
  handle: DatabaseHandle,
  clock: Clock,
): Pick<PipelineDeps, 'model' | 'authenticate'> {
  const opts = {
    requireAuth: config.env.APPROVAL_REQUIRE_AUTH,
    trustedAuthservIds: config.env.TRUSTED_AUTHSERV_IDS,
    dnsServers: config.env.DNS_SERVERS,
  };
  return {
    model: modelClientFor(config.model, handle.db, clock),
    authenticate: (raw) => authenticateSender(raw, opts),
  };
}

export async function openMigrated(config: Config): Promise<DatabaseHandle> {
  const handle = await openDatabase(config.database);
  await migrate(handle);
  return handle;
}

/** Workers: process and send jobs, plus recovery of work a crash left behind. */
export async function startWorkerRole(o: LiveOptions, handle: DatabaseHandle): Promise<Stoppable> {
  const { imap, redisUrl } = requireLive(o.config);
  const clock = o.clock ?? systemClock;
  const prefix = o.queuePrefix ?? o.config.env.QUEUE_PREFIX;
  const jobs = createBullQueue(redisUrl, prefix);
  const filer = o.config.env.FILING_ENABLED ? new ImapFiler(imap, o.log) : null;
  let workers: RunningWorkers | null = null;
  // Filing waits while this process works through a burst (the same signal that holds the skills back).
  const filing = filer
    ? new FilingLoop({ db: handle.db, filer, clock, log: o.log }, undefined, {
        busy: () => workers?.triageBusy() ?? false,
      })
    : null;
  const deps: PipelineDeps = {
    db: handle.db,
    config: o.config,
    clock,
    log: o.log,
    jobs,
    filing,
    ...skillServices(o.config, handle, clock),
  };
  const sender = senderDeps(o, handle, jobs, clock);
  workers = startWorkers({
    redisUrl,
    prefix,
    concurrency: o.config.env.WORKER_CONCURRENCY,
    log: o.log,
    handlers: {
      process: (id) => handleProcessJob(deps, id),
      skills: (id) => handleSkillsJob(deps, id),
      send: async (id) => {
        // A reply the owner approved is confirmed to them once it has left ("Sent to Dana Lee at 10:42").
        if ((await sendOutboxRow(sender, id)) !== 'not-pending')
          await jobs.enqueueSend(await confirmExecutions(deps));
      },
    },
  });
  await recoverStuckSends(sender, o.stuckSendMs ?? 180_000);
  await jobs.retryFailed?.();
  await jobs.enqueueProcess(await recoveryIds(handle.db));
  await jobs.enqueueSend(await pendingIds(handle.db));
  filing?.start();
  // With DIGEST_ENABLED=false the schedule is removed (a stopped digest must not fire from Redis).
  const digest = await startDigestSchedule({
    enabled: o.config.env.DIGEST_ENABLED,
    redisUrl,
    prefix,
    digestTime: o.config.env.DIGEST_TIME,
    timeZone: o.config.owner.timeZone,
    log: o.log,
    run: () => sendTodaysDigest(deps),
  });
  const housekeeping = startApprovalHousekeeping(deps, o.log);
  return {
    async stop() {
      housekeeping.stop();
      await digest.stop();
      await workers.close();
      await filing?.stop();
      await filer?.close();
      await jobs.close();
      await closePdfReader();
    },
  };
}

/**
 * Every minute, on any worker (each step is idempotent): expires unanswered approval rounds,
 * confirms executed ones, and re-enqueues outbox rows left pending.
 */
function startApprovalHousekeeping(deps: PipelineDeps, log: Logger): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await expireApprovals(deps);
      await deps.jobs.enqueueSend(await confirmExecutions(deps));
      // A row queued in a transaction whose send job was never enqueued (Redis blip, crash between
      // the commit and the enqueue) goes out within a minute, not at the next restart.
      await deps.jobs.enqueueSend(await pendingIds(deps.db, new Date(deps.clock.now().getTime() - 60_000)));
      // …and a send job that used up its attempts (a long database outage) gets another round: a
      // row no longer pending makes it a no-op.
      await deps.jobs.retryFailedSends?.();
      // The digest, if its scheduled job was missed (no worker ran at DIGEST_TIME): once per day.
      if (deps.config.env.DIGEST_ENABLED && (await digestDue(deps))) await sendTodaysDigest(deps);
    } catch (err) {
      log.warn({ err: describeError(err) }, 'approval housekeeping failed; next try in a minute');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), 60_000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Sends today's digest unless it went already (exactly once per owner's day), then its send job. */
async function sendTodaysDigest(deps: PipelineDeps): Promise<void> {
  const r = await sendDigest(deps);
  if (r.kind === 'sent') await deps.jobs.enqueueSend([r.outboxId]);
}

/** The mailbox watcher: stores new mail and enqueues it. */
export async function startWatchRole(o: LiveOptions, handle: DatabaseHandle): Promise<Stoppable> {
  const { imap, redisUrl } = requireLive(o.config);
  const jobs = createBullQueue(redisUrl, o.queuePrefix ?? o.config.env.QUEUE_PREFIX);
  const watcher = new MailboxWatcher({
    handle,
    imap,
    maxMessageBytes: o.config.env.MAX_MESSAGE_BYTES,
    watchdogMs: o.config.env.IMAP_WATCHDOG_SECONDS * 1000,
    log: o.log,
    onStored: (newIds, quarantined) => jobs.enqueueProcess([...newIds, ...quarantined]),
    now: () => (o.clock ?? systemClock).now(),
  });
  void watcher.start();
  return {
    async stop() {
      await watcher.stop();
      await jobs.close();
    },
  };
}

function senderDeps(o: LiveOptions, handle: DatabaseHandle, jobs: JobQueue, clock: Clock): SenderDeps {
  const smtp = o.config.smtp;
  if (!smtp) throw new ConfigError('SMTP_HOST: is not set — live mode needs an outgoing server');
  return {
    db: handle.db,
    mailer: createSmtpMailer(smtp),
    sent: o.config.imap ? createImapSentStore(o.config.imap) : null,
    clock,
    log: o.log,
    fromName: o.config.assistant.name,
    async notifyAmbiguous(outboxId, detail) {
      const r = await notifyOwner(handle.db, o.config, clock, {
        key: `ambiguous:${outboxId}`,
        subject: 'A message may or may not have been sent',
        text: `Outbox message ${outboxId} was interrupted while sending (${detail}). It was not resent, so that nobody gets it twice. Check whether it arrived; reply here if it must be sent again.`,
      });
      if (r.kind === 'queued' && !r.existing) await jobs.enqueueSend([r.outboxId]);
    },
  };
}
