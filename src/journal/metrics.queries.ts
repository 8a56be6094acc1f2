import { type RawBuilder, sql } from 'kysely';
import type { MinutesAction } from '../config/config.schema.ts';
import type { Db } from '../db/db.types.ts';
import type { Metrics, MoneyCaught } from './metrics.model.ts';

/**
 * One query per metric group, each over a half-open window [since, until). Message metrics read
 * the cohort that arrived in the window; event metrics, what happened in it. Pure reads, portable
 * SQL (PostgreSQL and PGlite): FILTER, percentile_cont, jsonb_path_exists.
 */

export interface Window {
  since: Date;
  until: Date;
}

/** Journal actions that mean a message needed the owner: a decision asked for, or a notice asking them to act. */
export const ESCALATION_ACTIONS = [
  'approval_requested', // an approval round was opened for one of its proposals
  'invoice_exception', // the owner got the "Check …" notice (duplicate, bank change, bad IBAN, PO)
  'document_unreadable', // the owner was asked for a readable copy
  'meeting_no_slots', // no free slot: the owner was told
  'rule_not_understood', // the owner's instruction could not be applied: asked to rephrase
  'owner_unverified', // mail in the owner's name could not be verified: the owner was warned
] as const;

/** Invoice checks that, failed, mean money could go out wrongly (src/skills/invoices/checks.history.ts). */
const CAUGHT = '$[*] ? (@.ok == false && (@.check starts with "duplicate." || @.check == "bank.changed"))';
const DUPLICATE = '$[*] ? (@.ok == false && @.check starts with "duplicate.")';
const BANK_CHANGED = '$[*] ? (@.ok == false && @.check == "bank.changed")';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const lit = (xs: readonly string[]): RawBuilder<unknown> => sql.join(xs.map((x) => sql.lit(x)));

/** The message cohort: arrived in the window, processed, not our own, not an approval answer. */
function handled(db: Db, w: Window) {
  return db
    .selectFrom('messages as m')
    .where('m.received_at', '>=', w.since)
    .where('m.received_at', '<', w.until)
    .where('m.status', '=', 'processed')
    .where(sql<boolean>`coalesce(m.addressing, '') <> 'approval_reply'`)
    .where(sql<boolean>`coalesce((m.triage ->> 'ownMail')::boolean, false) = false`);
}

export async function messageCounts(db: Db, w: Window): Promise<Metrics['messages']> {
  const r = await handled(db, w)
    .select([
      sql<string>`count(*)`.as('handled'),
      sql<string>`count(*) filter (where exists (
        select 1 from journal j where j.message_id = m.id and j.action in (${lit(ESCALATION_ACTIONS)})))`.as(
        'escalated',
      ),
    ])
    .executeTakeFirstOrThrow();
  const q = await db
    .selectFrom('messages')
    .select(sql<string>`count(*)`.as('n'))
    .where('received_at', '>=', w.since)
    .where('received_at', '<', w.until)
    .where('status', '=', 'quarantined')
    .executeTakeFirstOrThrow();
  return { handled: num(r.handled), quarantined: num(q.n), escalated: num(r.escalated) };
}

/** Proposal states that still wait for someone: their message is not done. */
const WAITING = ['awaiting_approval', 'needs_input', 'approved'] as const;

export async function cycleTime(db: Db, w: Window): Promise<Metrics['cycleTime']> {
  // Done: the skills settled and none of its proposals still waits; at the later of the two (a
  // terminal proposal's updated_at is when it was executed, rejected or expired).
  const per = handled(db, w).select([
    sql<boolean>`m.skills_done_at is not null and not exists (
      select 1 from proposals p where p.message_id = m.id and p.status in (${lit(WAITING)}))`.as('done'),
    sql<number>`greatest(0, extract(epoch from greatest(m.skills_done_at,
      (select max(p.updated_at) from proposals p where p.message_id = m.id)) - m.received_at))`.as('secs'),
  ]);
  const r = await db
    .selectFrom(per.as('d'))
    .select([
      sql<string>`count(*) filter (where d.done)`.as('done'),
      sql<string>`count(*) filter (where not d.done)`.as('open'),
      sql<number | null>`percentile_cont(0.5) within group (order by d.secs) filter (where d.done)`.as('p50'),
      sql<number | null>`percentile_cont(0.9) within group (order by d.secs) filter (where d.done)`.as('p90'),
    ])
    .executeTakeFirstOrThrow();
  const round = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));
  return { done: num(r.done), open: num(r.open), medianSeconds: round(r.p50), p90Seconds: round(r.p90) };
}

export async function approvalCounts(db: Db, w: Window): Promise<Metrics['approvals']> {
  const r = await db
    .selectFrom('approvals')
    .select([
      sql<string>`count(*)`.as('decided'),
      sql<string>`count(*) filter (where status = 'approved')`.as('approved'),
      sql<string>`count(*) filter (where status = 'rejected')`.as('rejected'),
      sql<string>`count(*) filter (where status = 'superseded')`.as('changed'),
      sql<string>`count(*) filter (where decision ->> 'edited' = 'true'
        or coalesce(decision -> 'corrections', '[]'::jsonb) not in ('[]'::jsonb, 'null'::jsonb))`.as(
        'corrected',
      ),
    ])
    .where('decided_by_message', 'is not', null)
    .where('status', 'in', ['approved', 'rejected', 'superseded'])
    .where('decided_at', '>=', w.since)
    .where('decided_at', '<', w.until)
    .executeTakeFirstOrThrow();
  const auto = await db
    .selectFrom('proposals as p')
    .select(sql<string>`count(*)`.as('n'))
    .where('p.status', '=', 'executed')
    .where('p.updated_at', '>=', w.since)
    .where('p.updated_at', '<', w.until)
    .where(sql<boolean>`not exists (select 1 from approvals a where a.proposal_id = p.id)`)
    .executeTakeFirstOrThrow();
  return {
    decided: num(r.decided),
    approved: num(r.approved),
    rejected: num(r.rejected),
    changed: num(r.changed),
    corrected: num(r.corrected),
    automatic: num(auto.n),
  };
}

/** How often each action behind "minutes saved" happened in the window. */
export async function workCounts(
  db: Db,
  w: Window,
  handledCount: number,
): Promise<Record<MinutesAction, number>> {
  const docs = await db
    .selectFrom('documents')
    .select(sql<string>`count(*)`.as('n'))
    .where('created_at', '>=', w.since)
    .where('created_at', '<', w.until)
    .executeTakeFirstOrThrow();
  const executed = await db
    .selectFrom('proposals')
    .select(['kind', sql<string>`count(*)`.as('n')])
    .where('status', '=', 'executed')
    .where('updated_at', '>=', w.since)
    .where('updated_at', '<', w.until)
    .groupBy('kind')
    .execute();
  const booked = await db
    .selectFrom('journal')
    .select(sql<string>`count(distinct meeting_id)`.as('n'))
    .where('action', '=', 'meeting_booked')
    .where('at', '>=', w.since)
    .where('at', '<', w.until)
    .executeTakeFirstOrThrow();
  const kind = (k: string) => num(executed.find((e) => e.kind === k)?.n);
  return {
    triage: handledCount,
    document: num(docs.n),
    draft: kind('reply_draft'),
    meeting: num(booked.n),
    payment: kind('payment'),
  };
}

export async function moneyCaught(db: Db, w: Window): Promise<MoneyCaught[]> {
  const rows = await db
    .selectFrom('invoices')
    .select([
      'currency',
      sql<string>`coalesce(sum(total), 0)`.as('amount'),
      sql<string>`count(*)`.as('invoices'),
      sql<string>`count(*) filter (where jsonb_path_exists(checks, ${DUPLICATE}::jsonpath))`.as('duplicate'),
      sql<string>`count(*) filter (where jsonb_path_exists(checks, ${BANK_CHANGED}::jsonpath))`.as('bank'),
      sql<string>`count(*) filter (where status = 'rejected')`.as('rejected'),
      sql<string>`count(*) filter (where status = 'received')`.as('open'),
    ])
    .where('kind', '=', 'invoice')
    .where('status', 'in', ['received', 'rejected'])
    .where('created_at', '>=', w.since)
    .where('created_at', '<', w.until)
    .where(sql<boolean>`jsonb_path_exists(checks, ${CAUGHT}::jsonpath)`)
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({
    currency: r.currency,
    amount: num(r.amount),
    invoices: num(r.invoices),
    duplicate: num(r.duplicate),
    bankChanged: num(r.bank),
    rejected: num(r.rejected),
    open: num(r.open),
  }));
}

/** Outcomes where no answer came back (so nothing was billed): a missing price does not matter. */
const NO_ANSWER = ['cached', 'timeout', 'http_error', 'unreachable'] as const;

export async function modelUse(db: Db, w: Window): Promise<Metrics['model']> {
  const r = await db
    .selectFrom('llm_calls')
    .select([
      sql<string>`count(*) filter (where outcome <> 'cached')`.as('calls'),
      sql<string>`count(*) filter (where outcome = 'cached')`.as('cached'),
      sql<string>`count(*) filter (where outcome not in ('ok', 'cached'))`.as('failed'),
      sql<string>`coalesce(sum(prompt_tokens), 0)`.as('prompt'),
      sql<string>`coalesce(sum(completion_tokens), 0)`.as('completion'),
      sql<string>`coalesce(sum(cost_usd), 0)`.as('cost'),
      sql<string>`count(*) filter (where cost_usd is null and outcome not in (${lit(NO_ANSWER)}))`.as(
        'unpriced',
      ),
    ])
    .where('at', '>=', w.since)
    .where('at', '<', w.until)
    .executeTakeFirstOrThrow();
  return {
    calls: num(r.calls),
    cached: num(r.cached),
    failed: num(r.failed),
    promptTokens: num(r.prompt),
    completionTokens: num(r.completion),
    costUsd: num(r.cost),
    unpricedCalls: num(r.unpriced),
  };
}
