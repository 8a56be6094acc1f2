import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { DateTime } from 'luxon';
import type { Shown } from '../approvals/approval.model.ts';
import { headlineOf } from '../approvals/approval.render.ts';
import type { Config } from '../config/config.ts';
import type { OutboxStatus } from '../db/db.types.ts';
import { QUEUES } from '../jobs/queues.ts';
import { formatDuration, metricsTable } from '../journal/metrics.format.ts';
import { computeMetrics, type Metrics } from '../journal/metrics.ts';
import {
  type OpenApproval,
  openApprovals,
  type UnsentMail,
  unsentOutbox,
} from '../journal/status.repository.ts';
import { terminalSafe } from '../journal/terminal.ts';
import { openMigrated } from '../runtime.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { describeError } from '../shared/errors.ts';

/**
 * `deskhand status [--json]`: the metrics of today (since the owner's local midnight) and of the
 * last 7 days, the job queues, open approvals and mail not yet sent. Reads only; works on the
 * embedded database, and without Redis (the queues are then reported as not configured or not
 * reachable, never a crash).
 */

type QueueCounts = Record<string, number>;
export type QueueReport =
  | { state: 'not_configured' }
  | { state: 'unreachable'; error: string }
  | { state: 'ok'; queues: Record<string, QueueCounts> };

const COUNTED = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
};

/** BullMQ job counts per queue. Never throws: a Redis that does not answer is reported as such. */
export async function queueCounts(redisUrl: string | null, prefix: string): Promise<QueueReport> {
  if (!redisUrl) return { state: 'not_configured' };
  // Not the workers' connection (which waits forever across reconnects): fail fast, once.
  const connection = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  // The connection's own error (ECONNREFUSED, auth) says more than the "Connection is closed" that follows it.
  let cause: unknown = null;
  connection.on('error', (err) => {
    cause ??= err;
  });
  const opened: Queue[] = [];
  try {
    await withTimeout(connection.connect(), 4000, 'Redis');
    const queues: Record<string, QueueCounts> = {};
    for (const name of Object.values(QUEUES)) {
      const q = new Queue(name, { connection, prefix });
      opened.push(q);
      queues[name] = await withTimeout(q.getJobCounts(...COUNTED), 4000, 'Redis');
    }
    return { state: 'ok', queues };
  } catch (err) {
    return { state: 'unreachable', error: describeError(cause ?? err) };
  } finally {
    await Promise.allSettled(opened.map((q) => q.close()));
    connection.disconnect();
  }
}

export interface StatusReport {
  now: string;
  timeZone: string;
  database: 'postgres' | 'pglite';
  metrics: { today: Metrics; last7Days: Metrics };
  queues: QueueReport;
  approvals: {
    open: number;
    rows: Array<{
      id: string;
      proposalId: string;
      kind: string;
      round: number;
      level: string;
      what: string;
      createdAt: string;
      ageSeconds: number;
      expiresAt: string;
      expired: boolean;
    }>;
  };
  outbox: {
    unsent: number;
    byStatus: Partial<Record<OutboxStatus, number>>;
    rows: Array<Omit<UnsentMail, 'createdAt'> & { createdAt: string; ageSeconds: number }>;
  };
}

function what(a: OpenApproval): string {
  try {
    return headlineOf({ shown: a.shown as unknown as Shown });
  } catch {
    // A round written by an older version with another shape: its proposal's one-line summary.
    return a.summary;
  }
}

export async function statusReport(config: Config, clock: Clock = systemClock): Promise<StatusReport> {
  const now = clock.now();
  const zone = config.owner.timeZone;
  const midnight = DateTime.fromJSDate(now, { zone }).startOf('day').toJSDate();
  const minutes = config.env.METRICS_MINUTES;
  const h = await openMigrated(config);
  try {
    const today = await computeMetrics(h.db, { since: midnight, until: now, minutes });
    const week = await computeMetrics(h.db, {
      since: new Date(now.getTime() - 7 * 24 * 3600_000),
      until: now,
      minutes,
    });
    const approvals = await openApprovals(h.db);
    const outbox = await unsentOutbox(h.db);
    const age = (d: Date) => Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));
    return {
      now: now.toISOString(),
      timeZone: zone,
      database: h.kind,
      metrics: { today, last7Days: week },
      queues: await queueCounts(config.redisUrl, config.env.QUEUE_PREFIX),
      approvals: {
        open: approvals.total,
        rows: approvals.rows.map((a) => ({
          id: a.id,
          proposalId: a.proposalId,
          kind: a.kind,
          round: a.round,
          level: a.level,
          what: what(a),
          createdAt: a.createdAt.toISOString(),
          ageSeconds: age(a.createdAt),
          expiresAt: a.expiresAt.toISOString(),
          expired: a.expiresAt.getTime() <= now.getTime(),
        })),
      },
      outbox: {
        unsent: outbox.total,
        byStatus: outbox.byStatus,
        rows: outbox.rows.map((o) => ({
          ...o,
          createdAt: o.createdAt.toISOString(),
          ageSeconds: age(o.createdAt),
        })),
      },
    };
  } finally {
    await h.close();
  }
}

function queueLines(q: QueueReport): string[] {
  if (q.state === 'not_configured')
    return ['queues: REDIS_URL not set (demo/shadow run in-process; live mode needs Redis)'];
  if (q.state === 'unreachable') return [`queues: Redis not reachable — ${q.error}`];
  return [
    'queues:',
    ...Object.entries(q.queues).map(
      ([name, c]) => `  ${name.padEnd(11)} ${COUNTED.map((k) => `${k} ${c[k] ?? 0}`).join('  ')}`,
    ),
  ];
}

export function renderStatus(r: StatusReport): string {
  const when = DateTime.fromISO(r.now, { zone: r.timeZone }).toFormat('ccc d LLL yyyy, HH:mm');
  const more = (shown: number, total: number) => (total > shown ? [`  … and ${total - shown} more`] : []);
  return [
    `deskhand status — ${when} (${r.timeZone}), ${r.database === 'pglite' ? 'embedded database' : 'PostgreSQL'}`,
    '',
    ...metricsTable([
      { title: 'today', metrics: r.metrics.today },
      { title: 'last 7 days', metrics: r.metrics.last7Days },
    ]),
    '',
    ...queueLines(r.queues),
    '',
    `open approvals: ${r.approvals.open}`,
    ...r.approvals.rows.map(
      (a) =>
        `  #${a.id}  ${terminalSafe(a.what)}  [${a.kind}, ${a.level === 'decision' ? 'decision' : 'one yes'}, round ${a.round}] asked ${formatDuration(a.ageSeconds)} ago, ${a.expired ? 'EXPIRED (not swept yet)' : `expires ${DateTime.fromISO(a.expiresAt, { zone: r.timeZone }).toFormat('ccc d LLL HH:mm')}`}`,
    ),
    ...more(r.approvals.rows.length, r.approvals.open),
    '',
    `unsent mail: ${r.outbox.unsent}${
      r.outbox.unsent
        ? ` (${Object.entries(r.outbox.byStatus)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ')})`
        : ''
    }`,
    ...r.outbox.rows.map(
      (o) =>
        `  #${o.id}  ${o.status.padEnd(9)} ${o.purpose.padEnd(8)} to ${terminalSafe(o.to.join(', '))}: "${terminalSafe(o.subject)}" (${formatDuration(o.ageSeconds)} old${o.attempts ? `, ${o.attempts} attempt${o.attempts === 1 ? '' : 's'}` : ''}${o.lastError ? `, last error: ${terminalSafe(o.lastError)}` : ''})`,
    ),
    ...more(r.outbox.rows.length, r.outbox.unsent),
  ].join('\n');
}

export async function statusCommand(config: Config, opts: { json?: boolean } = {}): Promise<number> {
  const r = await statusReport(config);
  process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : `${renderStatus(r)}\n`);
  return 0;
}
