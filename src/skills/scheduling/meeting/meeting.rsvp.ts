import type { Db } from '../../../db/db.types.ts';
import { journalOnce } from '../../../journal/journal.repository.ts';
import { readInviteReply } from '../invite/invite.reply.ts';
import { meetingByUid, recordRsvp } from './meeting.repository.ts';

/**
 * Attendees' answers to our invites (iTIP METHOD:REPLY in a text/calendar part or .ics file):
 * recorded per attendee when the UID is one of ours, the attendee was invited, the ATTENDEE line
 * names the sender, and it answers the current version (an answer to an older SEQUENCE is stale:
 * journaled, not recorded). `verified` says whether the sender's domain signature held.
 */

export interface CalendarPart {
  contentType: string;
  filename: string | null;
  content: Buffer;
}

export function isCalendarPart(a: { contentType: string; filename: string | null }): boolean {
  return /^(text\/calendar|application\/ics)\b/i.test(a.contentType) || /\.ics$/i.test(a.filename ?? '');
}

export type RsvpOutcome = { meetingId: string; attendee: string; partstat: string; recorded: boolean };

export async function recordRsvps(
  db: Db,
  m: { messageId: string; threadId: string | null; senderEmail: string; verified: boolean; now: Date },
  parts: readonly CalendarPart[],
): Promise<RsvpOutcome[]> {
  const out: RsvpOutcome[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    const text = part.content.toString('utf8');
    const reply = readInviteReply(text, { senderEmail: m.senderEmail, isKnownUid: () => true });
    if (!reply.ok) {
      if (reply.reason !== 'not-a-reply')
        await journalOnce(db, {
          actor: 'deskhand',
          action: 'rsvp_rejected',
          reason: `calendar reply not recorded: ${reply.reason}`,
          messageId: m.messageId,
          threadId: m.threadId,
        });
      continue;
    }
    const key = `${reply.uid}\n${reply.attendee}`;
    if (seen.has(key)) continue; // the same REPLY as inline part and attachment
    seen.add(key);
    const meeting = await meetingByUid(db, reply.uid);
    const invited =
      meeting &&
      [meeting.organizer.email, ...meeting.attendees.map((a) => a.email)].some(
        (e) => e.toLowerCase() === reply.attendee.toLowerCase(),
      );
    if (!meeting || !invited) {
      await journalOnce(db, {
        actor: 'deskhand',
        action: 'rsvp_rejected',
        reason: !meeting
          ? 'calendar reply for an event we did not send'
          : `${reply.attendee} was not invited`,
        messageId: m.messageId,
        threadId: m.threadId,
        ...(meeting ? { meetingId: meeting.id } : {}),
      });
      continue;
    }
    // An answer to a version we never sent (a meeting not invited yet is at -1; UIDs are guessable).
    if (reply.sequence > meeting.sequence) {
      await journalOnce(db, {
        actor: 'deskhand',
        action: 'rsvp_rejected',
        reason: `calendar reply to SEQUENCE ${reply.sequence} of "${meeting.summary}", which was never sent (current ${meeting.sequence})`,
        messageId: m.messageId,
        threadId: m.threadId,
        meetingId: meeting.id,
      });
      continue;
    }
    const stale = reply.sequence < meeting.sequence;
    if (!stale)
      await recordRsvp(
        db,
        {
          meetingId: meeting.id,
          attendee: reply.attendee.toLowerCase(),
          partstat: reply.partstat,
          sequence: reply.sequence,
          messageId: m.messageId,
          verified: m.verified,
        },
        m.now,
      );
    await journalOnce(db, {
      actor: reply.attendee.toLowerCase(),
      action: stale ? 'rsvp_stale' : 'rsvp_recorded',
      reason: `${reply.attendee} ${reply.partstat.toLowerCase()} "${meeting.summary}" (SEQUENCE ${reply.sequence}${stale ? `, current ${meeting.sequence}` : ''})${m.verified ? '' : ' — sender not verified'}`,
      messageId: m.messageId,
      threadId: m.threadId,
      meetingId: meeting.id,
    });
    out.push({ meetingId: meeting.id, attendee: reply.attendee, partstat: reply.partstat, recorded: !stale });
  }
  return out;
}
