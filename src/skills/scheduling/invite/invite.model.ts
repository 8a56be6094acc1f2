/**
 * Meeting invites over plain email (iMIP, RFC 6047, carrying iTIP, RFC 5546). A meeting is one
 * VEVENT identified by a UID that never changes; every revision the organizer sends (reschedule,
 * cancel) keeps the UID and raises SEQUENCE, which is how calendars tell a newer version from a
 * stale one (RFC 5546 §2.1.4). Times are instants: the ICS carries them in UTC, so there is no
 * zone here.
 */

import { DeskhandError } from '../../../shared/errors.ts';

export interface InvitePerson {
  /** Display name; may be ''. Sent as the CN parameter. */
  name: string;
  email: string;
}

export interface Meeting {
  /** From {@link meetingUid}; the same for every revision of the meeting. */
  uid: string;
  /** 0 for the first REQUEST; see {@link reviseMeeting}. */
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  /** Plain text. Sent as DESCRIPTION only: no HTML alternative (X-ALT-DESC), no URL property. */
  description: string;
  location?: string;
  /** The owner. Replies (METHOD:REPLY) go to this address. */
  organizer: InvitePerson;
  /** Everyone invited. The organizer may be among them. */
  attendees: InvitePerson[];
}

/** REQUEST invites or reschedules (same UID, higher SEQUENCE); CANCEL withdraws the meeting. */
export type InviteMethod = 'REQUEST' | 'CANCEL';

/** What an attendee may answer in a REPLY that we act on (RFC 5545 §3.2.12). */
export type ReplyPartstat = 'ACCEPTED' | 'DECLINED' | 'TENTATIVE';

/**
 * A stable, globally unique UID for a meeting: `<meeting id>@<our domain>` as RFC 5545 §3.8.4.7
 * suggests. The same inputs always give the same UID, so a retried send cannot create a second
 * event in anyone's calendar.
 */
export function meetingUid(meetingId: string, domain: string): string {
  const id = meetingId.trim();
  const host = domain.trim().toLowerCase();
  if (!id || !host || /[\s@]/.test(id) || /[\s@]/.test(host)) {
    throw new DeskhandError(
      'INVITE_INVALID',
      'a meeting UID needs an id and a domain, without spaces or "@"',
      {
        context: { meetingId, domain },
      },
    );
  }
  return `${id}@${host}`;
}

/**
 * The next revision of a meeting: same UID, SEQUENCE + 1, with the changed fields. Use it both for
 * a reschedule (new start/end, sent as REQUEST) and for a cancel (no changes, sent as CANCEL):
 * RFC 5546 §3.2.5 wants a CANCEL to carry a SEQUENCE above the last REQUEST.
 */
export function reviseMeeting(
  meeting: Meeting,
  changes: Partial<Pick<Meeting, 'start' | 'end' | 'summary' | 'description' | 'location'>> = {},
): Meeting {
  return { ...meeting, ...changes, sequence: meeting.sequence + 1 };
}
