import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { Db } from '../db/db.types.ts';
import { formatMoney } from '../skills/invoices/money.ts';
import type { Attendee } from '../skills/scheduling/meeting/meeting.model.ts';
import { timeInZones, zonesToShow } from '../skills/scheduling/meeting/meeting.text.ts';
import type { DigestContent, DigestLine, DigestNumber } from './digest.model.ts';

import { bounded, clip, MAX_LINES } from './digest.parts.ts';

/** The digest's lists: journal entries since the last digest, invoices, meetings, counts. */

/**
 * Journal entries of `actions` after the previous digest's last entry (`afterId`), or, for the
 * first digest, from the last day by the database's clock: journal times are the database's, so
 * the window is kept on its side.
 */
export async function journalLines(
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

export async function invoices(db: Db, day: string, since: Date): Promise<DigestContent['invoices']> {
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

export async function meetings(db: Db, now: Date, zone: string): Promise<DigestContent['meetings']> {
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

export async function numbers(db: Db, since: Date, until: Date): Promise<DigestNumber[]> {
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
