import type { MeetingRow, MeetingStatus } from '../../../db/db.types.ts';
import type { OfferedSlot } from '../choose/choose.ts';
import type { InvitePerson, Meeting } from '../invite/invite.model.ts';
import type { MeetingRequest } from '../understand/understand.model.ts';

/**
 * A meeting as the scheduling skill keeps it (table `meetings`, migration 007): who, how long,
 * what is offered and held, and what was booked. The row is the single source of the invite's
 * UID and SEQUENCE, so every REQUEST and CANCEL we send is a revision of one event.
 */

/** An invitee with the zone we show times in. */
export interface Attendee extends InvitePerson {
  /** IANA zone; the owner's when nothing better was known. */
  zone: string;
}

export interface MeetingState {
  id: string;
  threadId: string | null;
  sourceMessage: string;
  uid: string;
  status: MeetingStatus;
  summary: string;
  durationMinutes: number;
  organizer: InvitePerson;
  attendees: Attendee[];
  delegated: boolean;
  request: MeetingRequest;
  offered: OfferedSlot[];
  offerProposalId: string | null;
  offerRound: number;
  offeredBefore: Array<{ start: Date; end: Date }>;
  start: Date | null;
  end: Date | null;
  sequence: number;
}

const slotOf = (x: Record<string, unknown>): OfferedSlot => ({
  index: Number(x['index'] ?? 0),
  start: new Date(String(x['start'])),
  end: new Date(String(x['end'])),
});

export function meetingOf(row: MeetingRow): MeetingState {
  return {
    id: row.id,
    threadId: row.thread_id === null ? null : String(row.thread_id),
    sourceMessage: String(row.source_message),
    uid: row.uid,
    status: row.status,
    summary: row.summary,
    durationMinutes: row.duration_minutes,
    organizer: row.organizer as unknown as InvitePerson,
    attendees: row.attendees as unknown as Attendee[],
    delegated: row.delegated,
    request: row.request as unknown as MeetingRequest,
    offered: row.offered.map(slotOf),
    offerProposalId: row.offer_proposal_id === null ? null : String(row.offer_proposal_id),
    offerRound: row.offer_round,
    offeredBefore: row.offered_before.map(slotOf),
    start: row.start_at,
    end: row.end_at,
    sequence: row.sequence,
  };
}

/** The invite (iTIP VEVENT) for the meeting's booked time, at its current SEQUENCE. */
export function inviteOf(m: MeetingState, start: Date, end: Date, sequence: number): Meeting {
  return {
    uid: m.uid,
    sequence,
    start,
    end,
    summary: m.summary,
    description: `Arranged by email with ${m.organizer.name || m.organizer.email}'s assistant.`,
    organizer: m.organizer,
    // The owner is on the guest list too, so the event lands in every calendar alike.
    attendees: [
      { name: m.organizer.name, email: m.organizer.email },
      ...m.attendees.map((a) => ({ name: a.name, email: a.email })),
    ],
  };
}

/** The subject of the thread, without reply and forward prefixes: the event's title. */
export function meetingSummary(subject: string): string {
  let s = subject.trim();
  for (;;) {
    const next = s.replace(/^\s*(re|aw|fwd?|fw|wg|tr|sv|vs|antw)\s*(\[\d+\])?\s*:\s*/i, '');
    if (next === s) break;
    s = next;
  }
  s = s.replace(/\s+/g, ' ').trim();
  return (s || 'Meeting').slice(0, 120);
}

/** The message that caused an action: what threading and the journal need of it. */
export interface ActionSource {
  /** messages.id */
  id: string;
  threadId: string | null;
  /** Its Message-ID header, without brackets ('' when it had none). */
  messageId: string;
  references: string[];
  subject: string;
  from: string;
}

/**
 * What the scheduling skill asks the approvals layer (src/approvals/approval.meeting.ts) to do: things that send mail
 * without a new approval because the owner already allowed them — booking a slot the owner
 * offered, the owner's own cancel, asking which of the offered slots was meant.
 */
export type MeetingAction =
  | { type: 'book'; meetingId: string; index: number; offerProposalId: string | null; source: ActionSource }
  | { type: 'cancel'; meetingId: string; source: ActionSource }
  /** The owner calls off a meeting not yet booked: the offer is withdrawn and holds nothing. */
  | { type: 'release'; meetingId: string; source: ActionSource }
  | {
      type: 'which';
      meetingId: string;
      offerProposalId: string | null;
      to: Attendee;
      candidates: number[];
      source: ActionSource;
    };
