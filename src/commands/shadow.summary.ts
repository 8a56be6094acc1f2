import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/db.types.ts';
import { FLAG_ACTIONS } from './report.rows.ts';
import { SHADOW_READ } from './shadow.rows.ts';

export interface Count {
  name: string;
  count: number;
}

/** What the whole shadow database holds, in counts: aggregate queries, constant memory. */
export interface ShadowSummary {
  messages: number;
  quarantined: number;
  /** Stored but not processed to the end (an error, or a run stopped in between). */
  unfinished: number;
  byCategory: Count[];
  documents: number;
  documentsByKind: Count[];
  proposals: number;
  proposalsByKind: Count[];
  wouldSend: number;
  wouldSendByPurpose: Count[];
  /** Outbox rows in any state but `pending`: a shadow run must leave this at 0. */
  notPending: number;
  flags: Count[];
  /** Messages the source held oddly (a truncated mbox, text before the first From_ line). */
  sourceWarnings: number;
}

const counts = (rows: Array<{ name: string | null; count: string | number }>): Count[] =>
  rows.map((r) => ({ name: String(r.name ?? 'none').replace(/_/g, ' '), count: Number(r.count) }));

export async function readShadowSummary(db: Kysely<Database>): Promise<ShadowSummary> {
  const n = sql<string>`count(*)`;
  const byStatus = await db
    .selectFrom('messages')
    .select(['status', n.as('count')])
    .groupBy('status')
    .execute();
  const unfinished = await db
    .selectFrom('messages')
    .select(n.as('count'))
    .where((eb) =>
      eb.or([
        eb('status', '=', 'received'),
        eb.and([eb('status', '=', 'processed'), eb('skills_done_at', 'is', null)]),
      ]),
    )
    .executeTakeFirstOrThrow();
  const byCategory = await db
    .selectFrom('messages')
    .select([sql<string>`coalesce(category, status)`.as('name'), n.as('count')])
    .groupBy(sql`coalesce(category, status)`)
    .orderBy(sql`count(*)`, 'desc')
    .execute();
  const docs = await db
    .selectFrom('documents')
    .select(['kind as name', n.as('count')])
    .groupBy('kind')
    .orderBy(sql`count(*)`, 'desc')
    .execute();
  const props = await db
    .selectFrom('proposals')
    .select(['kind as name', n.as('count')])
    .groupBy('kind')
    .orderBy(sql`count(*)`, 'desc')
    .execute();
  const mail = await db
    .selectFrom('outbox')
    .select(['purpose as name', n.as('count')])
    .groupBy('purpose')
    .orderBy(sql`count(*)`, 'desc')
    .execute();
  const notPending = await db
    .selectFrom('outbox')
    .select(n.as('count'))
    .where('status', '<>', 'pending')
    .executeTakeFirstOrThrow();
  const flags = await db
    .selectFrom('journal')
    .select(['action as name', n.as('count')])
    .where('action', 'in', [...FLAG_ACTIONS])
    .groupBy('action')
    .orderBy(sql`count(*)`, 'desc')
    .execute();
  const sourceWarnings = await db
    .selectFrom('journal')
    .select(n.as('count'))
    .where('action', '=', SHADOW_READ)
    .where(sql<boolean>`data->>'warning' IS NOT NULL`)
    .executeTakeFirstOrThrow();
  const total = (xs: Count[]) => xs.reduce((a, x) => a + x.count, 0);
  const status = counts(byStatus.map((r) => ({ name: r.status, count: r.count })));
  const documentsByKind = counts(docs);
  const proposalsByKind = counts(props);
  const wouldSendByPurpose = counts(mail);
  return {
    messages: total(status),
    quarantined: status.find((s) => s.name === 'quarantined')?.count ?? 0,
    unfinished: Number(unfinished.count),
    byCategory: counts(byCategory),
    documents: total(documentsByKind),
    documentsByKind,
    proposals: total(proposalsByKind),
    proposalsByKind,
    wouldSend: total(wouldSendByPurpose),
    wouldSendByPurpose,
    notPending: Number(notPending.count),
    flags: counts(flags),
    sourceWarnings: Number(sourceWarnings.count),
  };
}

/** "12 invoice, 3 newsletter" — or "none". */
export const listCounts = (xs: Count[]): string =>
  xs.length ? xs.map((x) => `${x.count.toLocaleString('en')} ${x.name}`).join(', ') : 'none';
