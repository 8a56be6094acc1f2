import type { Db, OutboxStatus } from '../db/db.types.ts';

/** What is waiting right now, for `deskhand status`: open approval rounds and outbound mail not yet sent. */

export interface OpenApproval {
  id: string;
  proposalId: string;
  kind: string;
  round: number;
  level: 'one_yes' | 'decision';
  /** The round's `shown` (what the owner is asked to approve): the caller words it. */
  shown: Record<string, unknown>;
  summary: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Open rounds, oldest first (at most `limit`), and how many there are in all. */
export async function openApprovals(db: Db, limit = 50): Promise<{ total: number; rows: OpenApproval[] }> {
  const total = await db
    .selectFrom('approvals')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('approvals as a')
    .innerJoin('proposals as p', 'p.id', 'a.proposal_id')
    .select([
      'a.id',
      'a.proposal_id',
      'p.kind',
      'a.round',
      'a.level',
      'a.shown',
      'p.summary',
      'a.created_at',
      'a.expires_at',
    ])
    .where('a.status', '=', 'open')
    .orderBy('a.created_at')
    .orderBy('a.id')
    .limit(limit)
    .execute();
  return {
    total: Number(total.n),
    rows: rows.map((r) => ({
      id: r.id,
      proposalId: r.proposal_id,
      kind: r.kind,
      round: r.round,
      level: r.level,
      shown: r.shown,
      summary: r.summary,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
    })),
  };
}

export interface UnsentMail {
  id: string;
  purpose: string;
  status: OutboxStatus;
  to: string[];
  subject: string;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

/** Outbound mail not (known to be) sent — pending, sending, ambiguous or failed — oldest first. */
export async function unsentOutbox(
  db: Db,
  limit = 50,
): Promise<{ total: number; byStatus: Partial<Record<OutboxStatus, number>>; rows: UnsentMail[] }> {
  const unsent: OutboxStatus[] = ['pending', 'sending', 'ambiguous', 'failed'];
  const counts = await db
    .selectFrom('outbox')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('status', 'in', unsent)
    .groupBy('status')
    .execute();
  const byStatus = Object.fromEntries(
    unsent.flatMap((s) => {
      const n = Number(counts.find((c) => c.status === s)?.n ?? 0);
      return n ? [[s, n]] : [];
    }),
  );
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'purpose', 'status', 'to_addresses', 'subject', 'attempts', 'last_error', 'created_at'])
    .where('status', 'in', unsent)
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return {
    total: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    rows: rows.map((r) => ({
      id: r.id,
      purpose: r.purpose,
      status: r.status,
      to: r.to_addresses,
      subject: r.subject,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
    })),
  };
}
