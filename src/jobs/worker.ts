import { type Job, Queue, Worker } from 'bullmq';
import { describeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { QUEUES, redisConnection } from './queues.ts';
import { TriageFirst } from './triage-first.ts';

export interface WorkerHandlers {
  process(messageId: string): Promise<void>;
  skills(messageId: string): Promise<void>;
  send(outboxId: string): Promise<void>;
}

export interface RunningWorkers {
  workers: Worker[];
  /** Whether this process is working through a triage backlog (the skills wait meanwhile). */
  triageBusy(): boolean;
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
  const processQueue = new Queue(QUEUES.process, { connection, prefix });
  const triageFirst = new TriageFirst({
    skills: skillsWorker,
    backlog: async () => {
      const c = await processQueue.getJobCounts('waiting', 'active', 'prioritized');
      return (c['waiting'] ?? 0) + (c['active'] ?? 0) + (c['prioritized'] ?? 0);
    },
    onError: (err) => o.log.warn({ err: describeError(err) }, 'triage backlog check failed'),
  });
  processWorker.on('active', () => triageFirst.triageStarted());
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
    triageBusy: () => triageFirst.busy,
    async close() {
      triageFirst.stop();
      await processQueue.close();
      await Promise.all([processWorker.close(), skillsWorker.close(), sendWorker.close()]);
      connection.disconnect();
    },
  };
}
