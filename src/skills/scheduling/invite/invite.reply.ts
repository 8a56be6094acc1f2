import ICAL from 'ical.js';
import type { ReplyPartstat } from './invite.model.ts';

/**
 * Reads an attendee's answer to one of our invites: an iTIP REPLY (RFC 5546 §3.2.3) found in a
 * text/calendar part or .ics attachment of an incoming email. The ICS is untrusted input, so this
 * never throws and only accepts an answer that
 * - is METHOD:REPLY with a VEVENT whose UID is one we issued (`isKnownUid`), and
 * - comes from the attendee it speaks for: the ATTENDEE address (or its SENT-BY delegate) must be
 *   the email's sender, so nobody can accept or decline for someone else.
 * The caller passes a sender it has already authenticated, and still checks that the attendee was
 * invited and whether `sequence` is older than the meeting's current one (a stale answer).
 */

export type InviteReply =
  | { ok: true; uid: string; sequence: number; attendee: string; partstat: ReplyPartstat }
  | { ok: false; reason: InviteReplyRejection };

/** Stable codes for the journal. */
export type InviteReplyRejection =
  | 'too-large'
  | 'malformed'
  | 'not-a-reply'
  | 'no-event'
  | 'no-uid'
  | 'unknown-uid'
  | 'no-attendee'
  | 'attendee-not-sender'
  | 'unsupported-partstat';

export interface ReadInviteReplyOptions {
  /** The From address of the email that carried the REPLY. */
  senderEmail: string;
  /** Whether we sent a meeting with this UID. */
  isKnownUid: (uid: string) => boolean;
}

/** A REPLY is a few kilobytes; Outlook's, with a VTIMEZONE, stays well under 16 KiB. */
const MAX_ICS_CHARS = 256 * 1024;

/** INTEGER is a signed 32-bit value (RFC 5545 §3.3.8). */
const MAX_SEQUENCE = 2_147_483_647;

const PARTSTATS: readonly string[] = ['ACCEPTED', 'DECLINED', 'TENTATIVE'] satisfies ReplyPartstat[];

type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;

/** Never throws. */
export function readInviteReply(icsText: string, options: ReadInviteReplyOptions): InviteReply {
  if (icsText.length > MAX_ICS_CHARS) return { ok: false, reason: 'too-large' };
  try {
    return readParsed(parseCalendar(icsText), options);
  } catch {
    // ical.js throws ParserError on bad syntax, and TypeErrors on some odd inputs.
    return { ok: false, reason: 'malformed' };
  }
}

function readParsed(calendar: Component | null, options: ReadInviteReplyOptions): InviteReply {
  if (!calendar) return { ok: false, reason: 'malformed' };
  // Enumerated values are case-insensitive (RFC 5545 §2).
  if (String(calendar.getFirstPropertyValue('method') ?? '').toUpperCase() !== 'REPLY') {
    return { ok: false, reason: 'not-a-reply' };
  }
  const events = calendar.getAllSubcomponents('vevent');
  // A reply about the whole meeting has no RECURRENCE-ID; take it if there is one.
  const event = events.find((e) => !e.hasProperty('recurrence-id')) ?? events[0];
  if (!event) return { ok: false, reason: 'no-event' };
  const uid = String(event.getFirstPropertyValue('uid') ?? '').trim();
  if (!uid) return { ok: false, reason: 'no-uid' };
  if (!options.isKnownUid(uid)) return { ok: false, reason: 'unknown-uid' };

  const attendees = event.getAllProperties('attendee');
  if (attendees.length === 0) return { ok: false, reason: 'no-attendee' };
  // RFC 5546 wants exactly one ATTENDEE in a REPLY; some clients echo them all, so pick the sender.
  const sender = calAddress(options.senderEmail);
  const own = attendees.find(
    (a) => attendeeAddress(a) === sender || calAddress(param(a, 'sent-by')) === sender,
  );
  if (!sender || !own) return { ok: false, reason: 'attendee-not-sender' };

  const partstat = param(own, 'partstat').toUpperCase() || 'NEEDS-ACTION';
  if (!PARTSTATS.includes(partstat)) return { ok: false, reason: 'unsupported-partstat' };
  // Default 0 (RFC 5545 §3.8.7.4). ical.js reads integers leniently ("3x" is 3), so bound the value.
  const sequence = event.getFirstPropertyValue('sequence') ?? 0;
  if (
    typeof sequence !== 'number' ||
    !Number.isInteger(sequence) ||
    sequence < 0 ||
    sequence > MAX_SEQUENCE
  ) {
    return { ok: false, reason: 'malformed' };
  }
  return { ok: true, uid, sequence, attendee: attendeeAddress(own), partstat: partstat as ReplyPartstat };
}

/**
 * ical.js parses a stream that may hold several calendars. Before parsing we drop a byte-order
 * mark and anything after the first END:VCALENDAR (some generators append comments there, which
 * ical.js refuses).
 */
function parseCalendar(icsText: string): Component | null {
  let text = icsText.replace(/^\uFEFF/, '');
  const end = /^END:VCALENDAR[ \t]*$/im.exec(text);
  if (end) text = text.slice(0, end.index + end[0].length);
  const jcal: unknown = ICAL.parse(text);
  if (!Array.isArray(jcal) || jcal.length === 0) return null;
  const first: unknown = Array.isArray(jcal[0]) ? jcal[0] : jcal;
  const calendar = new ICAL.Component(first as unknown[]);
  return calendar.name === 'vcalendar' ? calendar : null;
}

/** The attendee's mail address: its mailto: value, else its EMAIL parameter (RFC 7986 §6.1). */
function attendeeAddress(attendee: Property): string {
  const value = String(attendee.getFirstValue() ?? '');
  return calAddress(value) || calAddress(param(attendee, 'email'));
}

/** `mailto:Ann@Example.com` and `Ann@Example.com` → `ann@example.com`; '' when not an address. */
function calAddress(value: string): string {
  const address = value
    .trim()
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
  return /^[^\s@:]+@[^\s@:]+$/.test(address) ? address : '';
}

function param(property: Property, name: string): string {
  const value: unknown = property.getParameter(name);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}
