import { DateTime } from 'luxon';
import { DeskhandError } from '../../../shared/errors.ts';
import type { InviteMethod, Meeting } from './invite.model.ts';

/**
 * The text/plain alternative of an invite email: what a reader sees when the client does not turn
 * the calendar part into an event card (and what a screen reader reads). It names the zone the
 * times are shown in, because the reader may live in another one; the ICS itself stays in UTC.
 * Plain text, no links.
 */
export function inviteText(meeting: Meeting, method: InviteMethod, timeZone: string): string {
  const heading =
    method === 'CANCEL' ? 'Cancelled' : meeting.sequence > 0 ? 'Updated invitation' : 'Invitation';
  const lines = [`${heading}: ${meeting.summary.trim()}`, '', `When: ${when(meeting, timeZone)}`];
  if (meeting.location?.trim()) lines.push(`Where: ${meeting.location.trim()}`);
  lines.push(`Organizer: ${person(meeting.organizer)}`);
  lines.push(`Guests: ${meeting.attendees.map(person).join(', ')}`);
  if (meeting.description.trim()) lines.push('', meeting.description.trim());
  lines.push(
    '',
    method === 'CANCEL'
      ? 'This meeting has been cancelled and removed from the calendar.'
      : 'Please accept or decline in your calendar.',
  );
  return `${lines.join('\n')}\n`;
}

function when(meeting: Meeting, timeZone: string): string {
  const start = DateTime.fromJSDate(meeting.start, { zone: timeZone });
  const end = DateTime.fromJSDate(meeting.end, { zone: timeZone });
  if (!start.isValid || !end.isValid) {
    throw new DeskhandError('INVITE_INVALID', `cannot show the meeting time in zone "${timeZone}"`, {
      context: { uid: meeting.uid, timeZone },
    });
  }
  const day = 'cccc d LLLL yyyy';
  const endText = start.hasSame(end, 'day') ? end.toFormat('HH:mm') : end.toFormat(`${day}, HH:mm`);
  return `${start.toFormat(`${day}, HH:mm`)}–${endText} (${start.zoneName})`;
}

function person(p: { name: string; email: string }): string {
  return p.name.trim() ? `${p.name.trim()} <${p.email}>` : p.email;
}
