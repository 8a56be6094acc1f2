import { Queue, Worker } from 'bullmq';
import { describeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { QUEUES, redisConnection } from './queues.ts';

/**
 * The daily digest's trigger: a BullMQ job scheduler firing at DIGEST_TIME in the owner's zone
 * (cron with `tz`, so daylight saving moves it with the owner's clock). Every worker upserts the
 * same scheduler id, so there is one schedule however many workers run; the send itself is exactly
 * once per day because the digest row's day is unique (digest.send.ts). A firing missed while no
 * worker ran is caught up by the workers' minute housekeeping.
 */

export const DIGEST_SCHEDULER_ID = 'daily-digest';

export function digestCron(digestTime: string): string {
  const [hh, mm] = digestTime.split(':').map(Number);
  return `${mm ?? 0} ${hh ?? 8} * * *`;
}

export async function startDigestSchedule(o: {
  /** False (DIGEST_ENABLED=false): any schedule an earlier run left in Redis is removed, nothing fires. */
  enabled?: boolean;
  redisUrl: string;
  prefix: string;
  digestTime: string;
  timeZone: string;
  log: Logger;
  run: () => Promise<void>;
}): Promise<{ stop(): Promise<void> }> {
  const connection = redisConnection(o.redisUrl);
  const queue = new Queue(QUEUES.digest, { connection, prefix: o.prefix });
  if (o.enabled === false) {
    await queue.removeJobScheduler(DIGEST_SCHEDULER_ID);
    return {
      async stop() {
        await queue.close();
        connection.disconnect();
      },
    };
  }
  await queue.upsertJobScheduler(
    DIGEST_SCHEDULER_ID,
    { pattern: digestCron(o.digestTime), tz: o.timeZone },
    { name: 'digest', data: {}, opts: { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } },
  );
  const worker = new Worker(QUEUES.digest, () => o.run(), { connection, prefix: o.prefix, concurrency: 1 });
  worker.on('failed', (_job, err) =>
    o.log.warn({ err: describeError(err) }, 'digest job failed; the housekeeping retries'),
  );
  worker.on('error', (err) => o.log.error({ err: describeError(err) }, 'digest worker error'));
  return {
    async stop() {
      await worker.close();
      await queue.close();
      connection.disconnect();
    },
  };
}
