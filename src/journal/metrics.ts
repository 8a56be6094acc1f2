import { MINUTES_SAVED_DEFAULTS, type MinutesAction, type MinutesSaved } from '../config/config.schema.ts';
import type { Db } from '../db/db.types.ts';
import type { Metrics } from './metrics.model.ts';
import {
  approvalCounts,
  cycleTime,
  messageCounts,
  modelUse,
  moneyCaught,
  workCounts,
} from './metrics.queries.ts';

export type { Metrics, MinutesAction, MinutesSaved, MoneyCaught } from './metrics.model.ts';
export { ESCALATION_ACTIONS } from './metrics.queries.ts';

/**
 * What deskhand did for the owner in a window, read back from the database (the journal and the
 * rows it links), never from logs. Pure SQL reads; the same on PostgreSQL and PGlite. The
 * definitions are the contract of docs/metrics.md — change both together.
 *
 * Windows are half-open, [since, until). Message metrics take the *cohort* of messages that
 * arrived in the window (`received_at`); event metrics (approval decisions, work done, model
 * calls, invoices caught) take the events that happened in it.
 */

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/** minutes = Σ over actions of count × the action's estimate (METRICS_MINUTES). */
export function minutesFrom(
  counts: Record<MinutesAction, number>,
  minutes: MinutesSaved,
): Metrics['minutesSaved'] {
  const actions = Object.keys(MINUTES_SAVED_DEFAULTS) as MinutesAction[];
  const byAction = Object.fromEntries(
    actions.map((a) => [a, { count: counts[a], minutes: counts[a] * minutes[a] }]),
  ) as Metrics['minutesSaved']['byAction'];
  return { total: actions.reduce((s, a) => s + byAction[a].minutes, 0), byAction };
}

/** The metrics of [since, until). Reads only; never throws on an empty database. */
export async function computeMetrics(
  db: Db,
  o: { since: Date; until: Date; minutes: MinutesSaved },
): Promise<Metrics> {
  const w = { since: o.since, until: o.until };
  const messages = await messageCounts(db, w);
  const approvals = await approvalCounts(db, w);
  return {
    since: o.since.toISOString(),
    until: o.until.toISOString(),
    messages,
    escalationRate: ratio(messages.escalated, messages.handled),
    cycleTime: await cycleTime(db, w),
    approvals,
    correctionRate: ratio(approvals.corrected, approvals.decided),
    minutesSaved: minutesFrom(await workCounts(db, w, messages.handled), o.minutes),
    moneyCaught: await moneyCaught(db, w),
    model: await modelUse(db, w),
  };
}

const WEEK_MS = 7 * 24 * 3600_000;

/**
 * The trend: `weeks` consecutive 7-day windows ending at `until`, oldest first. Rolling weeks,
 * not calendar weeks: pass an `until` at the owner's local midnight for whole days.
 * `weekStart` is the window's start, ISO 8601.
 */
export async function weeklyTrend(
  db: Db,
  o: { until: Date; weeks: number; minutes: MinutesSaved },
): Promise<Array<{ weekStart: string; metrics: Metrics }>> {
  const weeks = Math.max(1, Math.min(104, Math.floor(o.weeks)));
  const out: Array<{ weekStart: string; metrics: Metrics }> = [];
  for (let i = weeks - 1; i >= 0; i--) {
    const until = new Date(o.until.getTime() - i * WEEK_MS);
    const since = new Date(until.getTime() - WEEK_MS);
    out.push({
      weekStart: since.toISOString(),
      metrics: await computeMetrics(db, { since, until, minutes: o.minutes }),
    });
  }
  return out;
}
