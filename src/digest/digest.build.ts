import { sql } from 'kysely';
import { DateTime } from 'luxon';
import { headlineOf } from '../approvals/approval.render.ts';
import { toRound } from '../approvals/approval.repository.ts';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/db.types.ts';
import { formatMoney } from '../skills/invoices/money.ts';
import type { Attendee } from '../skills/scheduling/meeting/meeting.model.ts';
import { timeInZones, zonesToShow } from '../skills/scheduling/meeting/meeting.text.ts';
import type { DigestContent, DigestItem, DigestLine, DigestNumber } from './digest.model.ts';

/**
 * Reads what the digest says from the database, for the owner's day `day` at `now`. Every section
 * is bounded (a flood of exceptions lists the first 20 and says how many more). Read-only.
 */

const MAX_LINES = 20;

/** Journal actions that are exceptions the owner should see. */
const EXCEPTION_ACTIONS: Record<string, string> = {
  quarantined: 'Set aside',
  invoice_exception: 'Invoice exception',
  document_unreadable: 'Unreadable document',
  owner_unverified: 'Unverified mail in your name',
  injection_flagged: 'Instructions to me inside mail (not obeyed)',
  approval_refused: 'Answer not applied',
  approval_expired: 'Expired unanswered',
  send_ambiguous: 'Maybe not sent',
  send_refused: 'Not sent',
  meeting_no_slots: 'No free time found',
  meeting_invite_refused: 'Invite not sent',
  rsvp_rejected: 'Calendar reply ignored',
};

/** Journal actions that are work done. */
const DONE_ACTIONS: Record<string, string> = {
  approval_executed: 'Done as approved',
  approval_not_needed: 'Sent on its own (you asked in the thread)',
  invoice_approved: 'Invoice approved',
  invoice_paid: 'Marked paid',
  meeting_booked: 'Meeting booked',
  meeting_rescheduled: 'Meeting moved',
  meeting_cancelled: 'Meeting cancelled',
  rsvp_recorded: 'Calendar answer',
  rule_recorded: 'Rule noted',
  rule_undone: 'Rule cancelled',
  purchase_orders_imported: 'Purchase orders imported',
};

const clip = (s: string, n = 160): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

function bounded(lines: DigestLine[], total: number): DigestLine[] {
  return total > lines.length ? [...lines, { text: `… and ${total - lines.length} more` }] : lines;
}

function ago(from: Date, now: Date): string {
  const h = Math.max(0, Math.round((now.getTime() - from.getTime()) / 3_600_000));
  if (h < 1) return 'asked just now';
  if (h < 48) return `asked ${h} hour${h === 1 ? '' : 's'} ago`;
  return `asked ${Math.round(h / 24)} days ago`;
}

const shortWhen = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('ccc d LLL, HH:mm');

async function decisions(db: Db, now: Date, zone: string): Promise<DigestItem[]> {
  const rows = await db
    .selectFrom('approvals')
    .selectAll()
    .where('status', '=', 'open')
    .where('expires_at', '>', now)
    .orderBy('created_at')
    .orderBy('id')
    .limit(50)
    .execute();
  return rows.map((r, i) => {
    const round = toRound(r);
    const flags = round.policy.flags.map((f) => f.label);
    return {
      number: i + 1,
      kind: 'approval',
      ref: r.id,
      label: clip(headlineOf(round), 140),
      detail: [
        flags.length ? `needs a decision: ${[...new Set(flags)].join(', ')}` : '',
        round.shown.type === 'reply' && round.shown.placeholders.length
          ? 'needs your words first: answer its own email with the draft filled in'
          : '',
        ago(r.created_at, now),
        `expires ${shortWhen(r.expires_at, zone)}`,
      ]
        .filter(Boolean)
        .join(' · '),
      flagged: r.level === 'decision',
    };
  });
}

async function payments(db: Db, first: number): Promise<DigestItem[]> {
  const rows = await db
    .selectFrom('invoices')
    .leftJoin('vendors', 'vendors.id', 'invoices.vendor_id')
    .select([
      'invoices.id',
      'invoices.number',
      'invoices.total',
      'invoices.currency',
      'invoices.due_date',
      'invoices.iban',
      'vendors.name as vendor',
    ])
    .where('invoices.status', '=', 'approved')
    .orderBy('invoices.due_date')
    .orderBy('invoices.id')
    .limit(Math.max(0, 99 - first + 1)) // item numbers stay within 1–99, what an answer can name
    .execute();
  return rows.map((r, i) => ({
    number: first + i,
    kind: 'payment',
    ref: r.id,
    label: clip(
      `Pay ${r.vendor ?? 'an unknown vendor'} ${r.total === null ? '(amount unknown)' : formatMoney(Number(r.total), r.currency)}${r.number ? `, invoice ${r.number}` : ''}`,
      140,
    ),
    detail: [
      r.due_date ? `due ${r.due_date}` : 'no due date',
      r.iban ? `to ${r.iban}` : 'no account on the invoice',
    ].join(' · '),
    flagged: false,
  }));
}

/**
 * Journal entries of `actions` after the previous digest's last entry (`afterId`), or, for the
 * first digest, from the last day by the database's clock: journal times are the database's, so
 * the window is kept on its side.
 */
async function journalLines(
  db: Db,
  actions: Record<string, string>,
  window: { afterId: string | null; upToId: string },
): Promise<DigestLine[]> {
  const names = Object.keys(actions);
  const q = db
    .selectFrom('journal')
    .where('action', 'in', names)
    .where('id', '<=', window.upToId)
    .where((eb) =>
      window.afterId === null
        ? eb('at', '>=', sql<Date>`now() - interval '1 day'`)
        : eb('id', '>', window.afterId),
    );
  const { n } = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.select(['action', 'reason']).orderBy('id').limit(MAX_LINES).execute();
  return bounded(
    rows.map((r) => ({ text: `${actions[r.action] ?? r.action}: ${clip(r.reason)}` })),
    Number(n),
  );
}

function invoiceLine(r: {
  vendor: string | null;
  number: string | null;
  total: string | number | null;
  currency: string | null;
  due_date: string | null;
  status: string;
}): DigestLine {
  const amount = r.total === null ? 'amount unknown' : formatMoney(Number(r.total), r.currency);
  return {
    text: clip(
      `${r.vendor ?? 'Unknown vendor'}${r.number ? ` ${r.number}` : ''}: ${amount}${r.due_date ? `, due ${r.due_date}` : ''} (${r.status})`,
    ),
  };
}

async function invoices(db: Db, day: string, since: Date): Promise<DigestContent['invoices']> {
  const base = db
    .selectFrom('invoices')
    .leftJoin('vendors', 'vendors.id', 'invoices.vendor_id')
    .select([
      'vendors.name as vendor',
      'invoices.number',
      'invoices.total',
      'invoices.currency',
      'invoices.due_date',
      'invoices.status',
    ]);
  const inWeek = DateTime.fromISO(day).plus({ days: 7 }).toISODate() ?? day;
  const received = await base
    .where('invoices.created_at', '>=', since)
    .orderBy('invoices.id')
    .limit(MAX_LINES)
    .execute();
  const open = base.where('invoices.status', 'in', ['received', 'approved']);
  const dueSoon = await open
    .where('invoices.due_date', '>=', day)
    .where('invoices.due_date', '<=', inWeek)
    .orderBy('invoices.due_date')
    .limit(MAX_LINES)
    .execute();
  const overdue = await open
    .where('invoices.due_date', '<', day)
    .orderBy('invoices.due_date')
    .limit(MAX_LINES)
    .execute();
  const totals = await db
    .selectFrom('invoices')
    .select(['currency', (eb) => eb.fn.sum<string>('total').as('sum')])
    .where('status', 'in', ['received', 'approved'])
    .where('total', 'is not', null)
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  return {
    received: received.map(invoiceLine),
    dueSoon: dueSoon.map(invoiceLine),
    overdue: overdue.map(invoiceLine),
    // Never summed across currencies.
    openTotals: totals.map((t) => ({
      currency: t.currency ?? '(currency unknown)',
      amount: formatMoney(Number(t.sum), t.currency),
    })),
  };
}

async function meetings(db: Db, now: Date, zone: string): Promise<DigestContent['meetings']> {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const tomorrow = today.plus({ days: 1 }).toJSDate();
  const weekOut = today.plus({ days: 8 }).toJSDate();
  const rows = await db
    .selectFrom('meetings')
    .leftJoin('proposals', 'proposals.id', 'meetings.offer_proposal_id')
    .select([
      'meetings.summary',
      'meetings.status',
      'meetings.start_at',
      'meetings.end_at',
      'meetings.attendees',
      'proposals.status as offer_status',
    ])
    // Past meetings stay 'booked': only those still ahead are read, so they never crowd out today's.
    .where((eb) =>
      eb.or([
        eb('meetings.status', 'in', ['proposing', 'clarifying']),
        eb.and([eb('meetings.status', '=', 'booked'), eb('meetings.end_at', '>', now)]),
      ]),
    )
    .orderBy('meetings.start_at')
    .limit(200)
    .execute();
  const out: DigestContent['meetings'] = { today: [], upcoming: [], unanswered: [] };
  for (const r of rows) {
    const people = (r.attendees as unknown as Attendee[]).map((a) => a.name || a.email).join(', ');
    const zones = zonesToShow(
      (r.attendees as unknown as Attendee[]).map((a) => a.zone),
      zone,
    );
    if (r.status === 'booked' && r.start_at && r.end_at && r.end_at > now) {
      const line = {
        text: clip(`${r.summary} with ${people}: ${timeInZones(r.start_at, r.end_at, zones)}`, 220),
      };
      if (r.start_at < tomorrow) out.today.push(line);
      else if (r.start_at < weekOut) out.upcoming.push(line);
    }
    if (r.status === 'proposing' || r.status === 'clarifying') {
      const state =
        r.offer_status === 'executed'
          ? r.status === 'clarifying'
            ? 'asked which dates they meant, no answer yet'
            : 'times offered, no pick yet'
          : r.offer_status === 'awaiting_approval' || r.offer_status === 'needs_input'
            ? 'waiting for your approval'
            : 'nothing sent';
      out.unanswered.push({ text: clip(`${r.summary} with ${people}: ${state}`) });
    }
  }
  return {
    today: out.today.slice(0, MAX_LINES),
    upcoming: out.upcoming.slice(0, MAX_LINES),
    unanswered: out.unanswered.slice(0, MAX_LINES),
  };
}

async function numbers(db: Db, since: Date, until: Date): Promise<DigestNumber[]> {
  const count = async (q: Promise<{ n: string | number | bigint }>) => String(Number((await q).n));
  const handled = await count(
    db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('received_at', '>=', since)
      .where('received_at', '<', until)
      .executeTakeFirstOrThrow(),
  );
  const sent = await count(
    db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'sent')
      .where('created_at', '>=', since)
      .where('created_at', '<', until)
      .executeTakeFirstOrThrow(),
  );
  return [
    { label: 'Messages in', value: handled },
    { label: 'Messages sent', value: sent },
  ];
}

export interface BuildInput {
  db: Db;
  config: Config;
  now: Date;
  /** Extra numbers and the week's trend (metrics), when available. */
  metrics?: (since: Date, until: Date) => Promise<{ numbers: DigestNumber[]; trend: DigestLine[] }>;
}

/** The owner's calendar day at `now`, YYYY-MM-DD. */
export function ownerDay(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
}

export async function buildDigest(input: BuildInput): Promise<DigestContent> {
  const { db, now } = input;
  const zone = input.config.owner.timeZone;
  const day = ownerDay(now, zone);
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
