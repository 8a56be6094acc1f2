import { type JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** Queue names (no ':' — BullMQ reserves it). Payloads carry ids, never message bodies. */
export const QUEUES = {
  process: 'dh-process',
  /** What follows triage (documents, drafts, instructions): slower work on its own queue, so it never holds up triage. */
  skills: 'dh-skills',
  send: 'dh-send',
  /** The daily digest's scheduler (digest.schedule.ts). */
  digest: 'dh-digest',
} as const;

/** What the pipeline needs from a job system: the BullMQ one, or inline calls for demo/shadow. */
export interface JobQueue {
  /** Enqueue processing of stored messages; a message id already queued is not queued twice. */
  enqueueProcess(messageIds: string[]): Promise<void>;
  enqueueSend(outboxIds: string[]): Promise<void>;
  /** Enqueue the skills step of processed messages; absent (demo, shadow): the step runs inline. */
  enqueueSkills?(messageIds: string[]): Promise<void>;
  /** Gives jobs that used up their attempts another round (called at worker start). */
  retryFailed?(): Promise<void>;
  /** The same for send jobs only (the housekeeping's minute: a send never waits for a restart). */
  retryFailedSends?(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_JOB: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
  // Exactly-once lives in the database (status checks), not in Redis: completed jobs are
  // removed at once so a job id can never shadow a later message (a rebuilt database
  // restarts its ids) and Redis does not grow with mail volume.
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
};

/**
 * BullMQ needs `maxRetriesPerRequest: null` on connections used by workers (blocking
 * commands must wait across reconnects instead of failing). Production Redis must run
 * with `maxmemory-policy noeviction`: BullMQ treats Redis as a database.
 */
export function redisConnection(url: string): Redis {
  const r = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  r.on('error', () => undefined);
  return r;
}

/** Job ids are derived from the row id, so enqueueing the same message twice is a no-op. */
export const processJobId = (messageId: string) => `m-${messageId}`;
export const sendJobId = (outboxId: string) => `o-${outboxId}`;
export const skillsJobId = (messageId: string) => `s-${messageId}`;

/**
 * Calls made in the same turn of the event loop share one `flush`: sixteen triage jobs finishing
 * together enqueue their skills jobs in one Redis round trip instead of sixteen. Each caller's
 * promise settles with the shared flush (a failure fails every caller, whose job is retried).
 */
export function coalesce(flush: (ids: string[]) => Promise<void>): (ids: string[]) => Promise<void> {
  let pending: { ids: string[]; done: Promise<void> } | null = null;
  return (ids) => {
    if (!ids.length) return Promise.resolve();
    if (pending) {
      pending.ids.push(...ids);
      return pending.done;
    }
    const batch: { ids: string[]; done: Promise<void> } = { ids: [...ids], done: Promise.resolve() };
    batch.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      pending = null;
      return flush(batch.ids);
    });
    pending = batch;
    return batch.done;
  };
}

export function createBullQueue(redisUrl: string, prefix = 'deskhand'): JobQueue & { queues: Queue[] } {
  const connection = redisConnection(redisUrl);
  const process = new Queue(QUEUES.process, { connection, prefix, defaultJobOptions: DEFAULT_JOB });
  const send = new Queue(QUEUES.send, { connection, prefix, defaultJobOptions: DEFAULT_JOB });
  const skills = new Queue(QUEUES.skills, { connection, prefix, defaultJobOptions: DEFAULT_JOB });
  const addSkills = coalesce(async (ids) => {
    await skills.addBulk(
      ids.map((id) => ({ name: 'skills', data: { messageId: id }, opts: { jobId: skillsJobId(id) } })),
    );
  });
  const addSends = coalesce(async (ids) => {
    await send.addBulk(
      ids.map((id) => ({ name: 'send', data: { outboxId: id }, opts: { jobId: sendJobId(id) } })),
    );
  });
  return {
    queues: [process, skills, send],
    enqueueSkills: addSkills,
    async enqueueProcess(ids) {
      if (!ids.length) return;
      await process.addBulk(
        ids.map((id) => ({ name: 'process', data: { messageId: id }, opts: { jobId: processJobId(id) } })),
      );
    },
    enqueueSend: addSends,
    async retryFailed() {
      await process.retryJobs({ state: 'failed' });
      await skills.retryJobs({ state: 'failed' });
      await send.retryJobs({ state: 'failed' });
    },
    async retryFailedSends() {
      await send.retryJobs({ state: 'failed' });
    },
    async close() {
      await Promise.all([process.close(), skills.close(), send.close()]);
      connection.disconnect();
    },
  };
}
