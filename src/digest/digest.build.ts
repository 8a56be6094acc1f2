import { DateTime } from 'luxon';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/db.types.ts';
import { dayIn } from '../shared/clock.ts';
import { decisions, payments } from './digest.items.ts';
import type { DigestContent, DigestLine, DigestNumber } from './digest.model.ts';
import { DONE_ACTIONS, EXCEPTION_ACTIONS } from './digest.parts.ts';
import { invoices, journalLines, meetings, numbers } from './digest.sections.ts';

/**
 * Reads what the digest says from the database, for the owner's day `day` at `now`. Every section
 * is bounded (a flood of exceptions lists the first 20 and says how many more). Read-only.
 */

export interface BuildInput {
  db: Db;
  config: Config;
  now: Date;
  /** Extra numbers and the week's trend (metrics), when available. */
  metrics?: (since: Date, until: Date) => Promise<{ numbers: DigestNumber[]; trend: DigestLine[] }>;
}

export async function buildDigest(input: BuildInput): Promise<DigestContent> {
  const { db, now } = input;
  const zone = input.config.owner.timeZone;
  const day = dayIn(now, zone);
  const last = await db
    .selectFrom('digests')
    .select(['created_at', 'journal_mark'])
    .where('day', '<', day)
    .orderBy('day', 'desc')
    .executeTakeFirst();
  const mark = await db
    .selectFrom('journal')
    .select((eb) => eb.fn.max<string>('id').as('id'))
    .executeTakeFirst();
  const journalWindow = { afterId: last ? String(last.journal_mark) : null, upToId: String(mark?.id ?? 0) };
  const dayAgo = new Date(now.getTime() - 24 * 3_600_000);
  // Since the last digest, but never more than a week back (a long pause is not a flood).
  const since = last
    ? new Date(Math.max(last.created_at.getTime(), now.getTime() - 7 * 24 * 3_600_000))
    : dayAgo;
  const decided = await decisions(db, now, zone);
  const extra = input.metrics ? await input.metrics(since, now) : { numbers: [], trend: [] };
  return {
    day,
    dayText: DateTime.fromJSDate(now, { zone }).toFormat('cccc d LLLL yyyy'),
    since: since.toISOString(),
    decisions: decided,
    payments: await payments(db, decided.length + 1),
    exceptions: await journalLines(db, EXCEPTION_ACTIONS, journalWindow),
    invoices: await invoices(db, day, since),
    meetings: await meetings(db, now, zone),
    done: await journalLines(db, DONE_ACTIONS, journalWindow),
    journalMark: journalWindow.upToId,
    numbers: [...(await numbers(db, since, now)), ...extra.numbers],
    trend: extra.trend,
  };
}
