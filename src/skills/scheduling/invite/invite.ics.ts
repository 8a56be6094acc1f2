import ical, {
  type ICalAttendeeData,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
  ICalEventTransparency,
} from 'ical-generator';
import { DeskhandError } from '../../../shared/errors.ts';
import type { InviteMethod, InvitePerson, Meeting } from './invite.model.ts';

/**
 * The iCalendar object (RFC 5545) for an iTIP REQUEST or CANCEL (RFC 5546 §3.2.2, §3.2.5).
 *
 * Times are written in UTC (`DTSTART:20260320T140000Z`), with no VTIMEZONE, on purpose:
 * - a UTC DATE-TIME is unambiguous (RFC 5545 §3.3.5, form 2), and Gmail, Outlook, Apple Calendar
 *   and Thunderbird all show it in the reader's own zone, which is what an attendee abroad wants;
 * - a TZID needs a matching VTIMEZONE, which ical-generator cannot write by itself (it takes an
 *   external generator we do not ship), and once a zone is set it formats plain Dates with the
 *   zone of the *process* (Date#getHours), a silent wrong-hour bug on any server not in that zone;
 * - our meetings are single events. Only a recurring series needs a local-time anchor to keep its
 *   wall-clock hour across DST changes.
 * The cost: a client's "edit event" view may show the meeting's zone as UTC.
 *
 * ical-generator folds lines at 75 octets without splitting UTF-8 sequences and ends lines with
 * CRLF, but leaves the last line (END:VCALENDAR) unterminated; RFC 5545 §3.1 ends every content
 * line with CRLF, so we add it.
 */
export function buildInviteIcs(meeting: Meeting, method: InviteMethod, now: Date): string {
  assertSendable(meeting, now);
  const cancel = method === 'CANCEL';
  // No calendar-level timezone: ical-generator would then write DTSTAMP in local time, not UTC.
  const calendar = ical({
    prodId: { company: 'deskhand', product: 'scheduling', language: 'EN' },
    method: cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  calendar.createEvent({
    id: meeting.uid,
    sequence: meeting.sequence,
    stamp: now,
    start: meeting.start,
    end: meeting.end,
    summary: text(meeting.summary),
    description: text(meeting.description),
    location: meeting.location?.trim() ? text(meeting.location) : null,
    status: cancel ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    transparency: cancel ? null : ICalEventTransparency.OPAQUE,
    // ical-generator rejects an organizer without a name; Google also falls back to the address.
    organizer: {
      name: paramText(meeting.organizer.name) || meeting.organizer.email,
      email: meeting.organizer.email,
    },
    attendees: attendeeList(meeting, cancel),
  });
  return `${calendar.toString()}\r\n`;
}

/**
 * Each invitee once (addresses compare case-insensitively). In a REQUEST every invitee gets
 * ROLE=REQ-PARTICIPANT, PARTSTAT=NEEDS-ACTION and RSVP=TRUE so clients show the answer buttons;
 * the organizer, if listed, is already ACCEPTED and asked for nothing. A CANCEL expects no answer
 * (RFC 5546 §3.2.5), so it lists the invitees without PARTSTAT or RSVP.
 */
function attendeeList(meeting: Meeting, cancel: boolean): ICalAttendeeData[] {
  const organizer = meeting.organizer.email.toLowerCase();
  const seen = new Set<string>();
  const list: ICalAttendeeData[] = [];
  for (const person of meeting.attendees) {
    const key = person.email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const isOrganizer = key === organizer;
    list.push({
      email: person.email,
      name: paramText(person.name) || null,
      role: ICalAttendeeRole.REQ,
      status: cancel ? null : isOrganizer ? ICalAttendeeStatus.ACCEPTED : ICalAttendeeStatus.NEEDSACTION,
      rsvp: cancel ? null : !isOrganizer,
    });
  }
  return list;
}

/** TEXT values (RFC 5545 §3.3.11) allow no control characters but TAB and escaped newlines. */
function text(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\x00-\x08\x0B-\x1F\x7F]/g, '')
    .trim();
}

/**
 * CN parameter values cannot hold DQUOTE or newlines (RFC 5545 §3.1); RFC 6868 can encode them as
 * ^' and ^n, but Outlook does not decode that and would show the carets. So we simplify instead.
 */
function paramText(value: string): string {
  return value
    .replace(/[\x00-\x1F\x7F]+/g, ' ')
    .replace(/"/g, "'")
    .trim();
}

const ADDRESS = /^[^\s@"<>()[\]:;,\\]+@[^\s@"<>()[\]:;,\\]+$/;

/** A bad meeting is a programming error upstream: fail loudly rather than send a broken invite. */
function assertSendable(meeting: Meeting, now: Date): void {
  const problems: string[] = [];
  if (!meeting.uid.trim()) problems.push('uid is empty');
  if (!Number.isInteger(meeting.sequence) || meeting.sequence < 0)
    problems.push('sequence is not a whole number ≥ 0');
  for (const [name, date] of [
    ['start', meeting.start],
    ['end', meeting.end],
    ['now', now],
  ] as const) {
    if (Number.isNaN(date.getTime())) problems.push(`${name} is not a valid date`);
  }
  if (!(meeting.end.getTime() > meeting.start.getTime())) problems.push('end is not after start');
  if (!meeting.summary.trim()) problems.push('summary is empty');
  const people: InvitePerson[] = [meeting.organizer, ...meeting.attendees];
  for (const person of people)
    if (!ADDRESS.test(person.email)) problems.push(`"${person.email}" is not an address`);
  if (meeting.attendees.length === 0) problems.push('nobody is invited');
  if (problems.length > 0) {
    throw new DeskhandError('INVITE_INVALID', `cannot build an invite: ${problems.join('; ')}`, {
      context: { uid: meeting.uid, problems },
    });
  }
}
