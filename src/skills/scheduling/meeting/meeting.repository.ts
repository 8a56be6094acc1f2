import type { Db, MeetingStatus } from '../../../db/db.types.ts';
import type { Interval } from '../availability/interval.ts';
import type { OfferedSlot } from '../choose/choose.ts';
import type { MeetingRequest } from '../understand/understand.model.ts';
import { type Attendee, type MeetingState, meetingOf } from './meeting.model.ts';

export interface NewMeeting {
  threadId: string | null;
  sourceMessage: string;
  uid: (id: string) => string;
  status: MeetingStatus;
  summary: string;
  durationMinutes: number;
  organizer: { name: string; email: string };
  attendees: Attendee[];
  delegated: boolean;
  request: MeetingRequest;
}

/**
 * Records the meeting one message asked for. Idempotent on the asking message: a retried job gets
 * the row the first try wrote (`created: false`).
 */
export async function insertMeeting(
  db: Db,
  m: NewMeeting,
  now: Date,
): Promise<{ meeting: MeetingState; created: boolean }> {
  const existing = await db
    .selectFrom('meetings')
    .selectAll()
    .where('source_message', '=', m.sourceMessage)
    .executeTakeFirst();
  if (existing) return { meeting: meetingOf(existing), created: false };
  // The UID is built from the row's own id: reserve it first.
  const { id } = await db
    .selectNoFrom((eb) => eb.fn<string>('nextval', [eb.val('meetings_id_seq')]).as('id'))
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('meetings')
    .values({
      id: String(id),
      thread_id: m.threadId,
      source_message: m.sourceMessage,
      uid: m.uid(String(id)),
      status: m.status,
      summary: m.summary,
      duration_minutes: m.durationMinutes,
      organizer: JSON.stringify(m.organizer),
      attendees: JSON.stringify(m.attendees),
      delegated: m.delegated,
      request: JSON.stringify(m.request),
      created_at: now,
      updated_at: now,
    } as never)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { meeting: meetingOf(row), created: true };
}

/** The meeting, locked for this transaction (every change of state goes through here). */
export async function lockMeeting(db: Db, id: string): Promise<MeetingState | null> {
  const row = await db.selectFrom('meetings').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row ? meetingOf(row) : null;
}

/** The newest meeting of a thread that is still being arranged or is booked. */
export async function activeMeetingInThread(db: Db, threadId: string): Promise<MeetingState | null> {
  const row = await db
    .selectFrom('meetings')
    .selectAll()
    .where('thread_id', '=', threadId)
    .where('status', 'in', ['clarifying', 'proposing', 'booked'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row ? meetingOf(row) : null;
}

export async function meetingByUid(db: Db, uid: string): Promise<MeetingState | null> {
  const row = await db.selectFrom('meetings').selectAll().where('uid', '=', uid).executeTakeFirst();
  return row ? meetingOf(row) : null;
}

export interface MeetingPatch {
  status?: MeetingStatus;
  attendees?: Attendee[];
  offered?: OfferedSlot[];
  offerProposalId?: string | null;
  offerRound?: number;
  offeredBefore?: Interval[];
  start?: Date | null;
  end?: Date | null;
  sequence?: number;
}

export async function updateMeeting(db: Db, id: string, p: MeetingPatch, now: Date): Promise<void> {
  const slots = (xs: Interval[]) =>
    JSON.stringify(
      xs.map((s) => ({
        ...('index' in s ? { index: (s as OfferedSlot).index } : {}),
        start: s.start.toISOString(),
        end: s.end.toISOString(),
      })),
    );
  await db
    .updateTable('meetings')
    .set({
      updated_at: now,
      ...(p.status !== undefined ? { status: p.status } : {}),
      ...(p.attendees !== undefined ? { attendees: JSON.stringify(p.attendees) } : {}),
      ...(p.offered !== undefined ? { offered: slots(p.offered) } : {}),
      ...(p.offerProposalId !== undefined ? { offer_proposal_id: p.offerProposalId } : {}),
      ...(p.offerRound !== undefined ? { offer_round: p.offerRound } : {}),
      ...(p.offeredBefore !== undefined ? { offered_before: slots(p.offeredBefore) } : {}),
      ...(p.start !== undefined ? { start_at: p.start } : {}),
      ...(p.end !== undefined ? { end_at: p.end } : {}),
      ...(p.sequence !== undefined ? { sequence: p.sequence } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Proposal states in which an offer's slots stay held: waiting for the owner, or sent. */
const LIVE_OFFER = ['awaiting_approval', 'needs_input', 'approved', 'executed'] as const;

/**
 * Time deskhand holds: every booked meeting, and the slots of every offer that is waiting for the
 * owner's approval or was sent and not yet answered. An offer the owner rejected or let expire
 * holds nothing. `except` leaves one meeting out (its own re-offer may reuse its time).
 */
export async function heldIntervals(db: Db, except: string | null, after?: Date): Promise<Interval[]> {
  const rows = await db
    .selectFrom('meetings')
    .leftJoin('proposals', 'proposals.id', 'meetings.offer_proposal_id')
    .select([
      'meetings.id',
      'meetings.status',
      'meetings.start_at',
      'meetings.end_at',
      'meetings.offered',
      'proposals.status as offer_status',
    ])
    .where('meetings.status', 'in', ['proposing', 'booked', 'clarifying'])
    // Meetings long over hold nothing the search could hit.
    .where((eb) =>
      after
        ? eb.or([
            eb('meetings.end_at', 'is', null),
            eb('meetings.end_at', '>', after),
            eb('meetings.offer_proposal_id', 'is not', null),
          ])
        : eb.val(true),
    )
    .execute();
  const out: Interval[] = [];
  for (const r of rows) {
    if (except !== null && String(r.id) === except) continue;
    if (r.status === 'booked' && r.start_at && r.end_at) out.push({ start: r.start_at, end: r.end_at });
    if (r.offer_status && (LIVE_OFFER as readonly string[]).includes(r.offer_status))
      for (const s of r.offered)
        out.push({ start: new Date(String(s['start'])), end: new Date(String(s['end'])) });
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Whether the offer's proposal went out (the participants have seen the slots). */
export async function offerSent(db: Db, proposalId: string | null): Promise<boolean> {
  if (proposalId === null) return false;
  const p = await db.selectFrom('proposals').select('status').where('id', '=', proposalId).executeTakeFirst();
  return p?.status === 'executed';
}

export async function recordRsvp(
  db: Db,
  r: {
    meetingId: string;
    attendee: string;
    partstat: 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';
    sequence: number;
    messageId: string;
    verified: boolean;
  },
  now: Date,
): Promise<void> {
  await db
    .insertInto('meeting_rsvps')
    .values({
      meeting_id: r.meetingId,
      attendee: r.attendee,
      partstat: r.partstat,
      sequence: r.sequence,
      message_id: r.messageId,
      verified: r.verified,
      received_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['meeting_id', 'attendee']).doUpdateSet((eb) => ({
        partstat: eb.ref('excluded.partstat'),
        sequence: eb.ref('excluded.sequence'),
        message_id: eb.ref('excluded.message_id'),
        verified: eb.ref('excluded.verified'),
        received_at: eb.ref('excluded.received_at'),
      })),
    )
    .execute();
}
