import type { MailComposerIcalEvent } from 'nodemailer/lib/mail-composer/index.js';
import { buildInviteIcs } from './invite.ics.ts';
import type { InviteMethod, Meeting } from './invite.model.ts';
import { inviteText } from './invite.text.ts';

/** The body options for nodemailer's MailComposer (or sendMail); the caller adds the headers. */
export interface InviteMimeParts {
  text: string;
  icalEvent: MailComposerIcalEvent & { method: InviteMethod; content: string; filename: string };
}

/**
 * The body of an invite email (iMIP, RFC 6047), as nodemailer's `icalEvent` option. With `text`
 * and `icalEvent` nodemailer composes what Google Calendar itself sends:
 *
 *   multipart/mixed
 *   ├─ multipart/alternative
 *   │  ├─ text/plain; charset=utf-8
 *   │  └─ text/calendar; charset=utf-8; method=REQUEST   ← the event clients act on
 *   └─ application/ics; name=invite.ics (attachment)     ← a copy to save or import
 *
 * Outlook only treats the message as a meeting request when the calendar part is a sibling of the
 * text inside multipart/alternative; Gmail wants METHOD both as the Content-Type parameter and
 * inside the VCALENDAR (RFC 6047 §2.4 requires them to match: both come from `method` here). The
 * attachment is application/ics rather than text/calendar so no client shows the event twice.
 * The calendar part is base64, as Exchange sends it: the CRLF line ends and 75-octet folding of
 * RFC 5545 then reach the client byte for byte, whatever a relay does to text line ends.
 *
 * `timeZone` is only for the human-readable text; the ICS is in UTC.
 */
export function inviteMimeParts(
  meeting: Meeting,
  method: InviteMethod,
  now: Date,
  timeZone = 'UTC',
): InviteMimeParts {
  return {
    text: inviteText(meeting, method, timeZone),
    icalEvent: {
      method,
      content: buildInviteIcs(meeting, method, now),
      filename: method === 'CANCEL' ? 'cancel.ics' : 'invite.ics',
      contentTransferEncoding: 'base64',
    },
  };
}
