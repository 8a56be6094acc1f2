import { type Job, Worker } from 'bullmq';
import { describeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { QUEUES, redisConnection } from './queues.ts';

export interface WorkerHandlers {
  process(messageId: string): Promise<void>;
  send(outboxId: string): Promise<void>;
}

export interface RunningWorkers {
  workers: Worker[];
  close(): Promise<void>;
}

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
    { connection, prefix, concurrency: o.concurrency },
  );
  const sendWorker = new Worker(QUEUES.send, (job: Job<{ outboxId: string }>) => o.handlers.send(job.data.outboxId), {
    connection,
    prefix,
    concurrency: 2,
  });
  for (const w of [processWorker, sendWorker]) {
    w.on('failed', (job, err) => o.log.warn({ queue: w.name, jobId: job?.id, attempts: job?.attemptsMade, err: describeError(err) }, 'job failed'));
    w.on('error', (err) => o.log.error({ queue: w.name, err: describeError(err) }, 'worker error'));
  }
  return {
    workers: [processWorker, sendWorker],
    async close() {
      await Promise.all([processWorker.close(), sendWorker.close()]);
      connection.disconnect();
    },
  };
}
