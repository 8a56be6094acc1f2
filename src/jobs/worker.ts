import { type Job, Queue, Worker } from 'bullmq';
import { describeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { QUEUES, redisConnection } from './queues.ts';

export interface WorkerHandlers {
  process(messageId: string): Promise<void>;
  skills(messageId: string): Promise<void>;
  send(outboxId: string): Promise<void>;
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Lock and stall settings. A worker killed mid-job leaves its job "active"; BullMQ hands it
 * to another worker once its lock expires. Locks are renewed every lockDuration/2 while a job
 * runs, so a short lock only shortens recovery after a crash. Handlers are idempotent, so a
 * job may stall and re-run many times without harm: never fail a job for stalling.
 */
const STALL_SETTINGS = { lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 1000 } as const;

/** Starts the BullMQ workers. Handlers are idempotent: a stalled job that runs twice changes nothing twice. */
export function startWorkers(o: {
  redisUrl: string;
  prefix?: string;
  concurrency: number;
  handlers: WorkerHandlers;
  log: Logger;
}): RunningWorkers {
  const prefix = o.prefix ?? 'deskhand';
  const connection = redisConnection(o.redisUrl);
  const processWorker = new Worker(
    QUEUES.process,
    (job: Job<{ messageId: string }>) => o.handlers.process(job.data.messageId),
    { connection, prefix, concurrency: o.concurrency, ...STALL_SETTINGS },
  );
  // Documents are parsed in the PDF worker pool (one thread on two cores); more concurrent skills
  // jobs would only queue there and take CPU from triage.
  const skillsWorker = new Worker(
    QUEUES.skills,
    (job: Job<{ messageId: string }>) => o.handlers.skills(job.data.messageId),
    { connection, prefix, concurrency: 2, ...STALL_SETTINGS },
  );
  const sendWorker = new Worker(
    QUEUES.send,
    (job: Job<{ outboxId: string }>) => o.handlers.send(job.data.outboxId),
    {
      connection,
      prefix,
      concurrency: 2,
      ...STALL_SETTINGS,
    },
  );
  const yielding = yieldToTriage(skillsWorker, new Queue(QUEUES.process, { connection, prefix }), o);
  for (const w of [processWorker, skillsWorker, sendWorker]) {
    w.on('failed', (job, err) =>
      o.log.warn(
        { queue: w.name, jobId: job?.id, attempts: job?.attemptsMade, err: describeError(err) },
        'job failed',
      ),
    );
    w.on('error', (err) => o.log.error({ queue: w.name, err: describeError(err) }, 'worker error'));
  }
  return {
    workers: [processWorker, skillsWorker, sendWorker],
    async close() {
      await yielding.stop();
      await Promise.all([processWorker.close(), skillsWorker.close(), sendWorker.close()]);
      connection.disconnect();
    },
  };
}

/** Checks the triage backlog this often, in ms. */
const BACKLOG_POLL_MS = 200;
/** A pause never lasts longer than this: under steady load the skills still make progress. */
const MAX_PAUSE_MS = 30_000;

/**
 * While triage has more than one round of work waiting, this process's skills worker pauses
 * (jobs already running finish): on two cores, document extraction during a burst would take
 * the CPU that gets mail triaged and filed. After the burst — or after MAX_PAUSE_MS — it resumes
 * and works off what waited. Nothing is lost: skills jobs stay queued in Redis.
 */
function yieldToTriage(
  skills: Worker,
  processQueue: Queue,
  o: { concurrency: number; log: Logger },
): { stop(): Promise<void> } {
  let pausedAt = 0;
  let checking = false;
  const timer = setInterval(async () => {
    if (checking) return;
    checking = true;
    try {
      const c = await processQueue.getJobCounts('waiting', 'active');
      const backlog = (c['waiting'] ?? 0) + (c['active'] ?? 0) > o.concurrency;
      const now = Date.now();
      if (backlog && !skills.isPaused() && (pausedAt === 0 || now - pausedAt > MAX_PAUSE_MS * 2)) {
        pausedAt = now;
        await skills.pause(true);
      } else if (skills.isPaused() && (!backlog || now - pausedAt > MAX_PAUSE_MS)) {
        skills.resume();
        if (!backlog) pausedAt = 0;
      }
    } catch (err) {
      o.log.debug({ err: describeError(err) }, 'triage backlog check failed');
    } finally {
      checking = false;
    }
  }, BACKLOG_POLL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      if (skills.isPaused()) skills.resume();
      await processQueue.close();
    },
  };
}
