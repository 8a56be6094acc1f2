import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueOutbound } from '../../src/outbox/outbox.repository.ts';
import { inviteMimeParts } from '../../src/skills/scheduling/invite/invite.mime.ts';
import { meetingUid, reviseMeeting } from '../../src/skills/scheduling/invite/invite.model.ts';
import { uniqueDomain } from '../support/demo-mail.ts';
import { type LiveDeskhand, liveDeskhand } from '../support/live.ts';
import { waitForMessages } from './stack.ts';

/**
 * An invite and its cancellation through the real outbox, Postfix and Dovecot to two guests: each
 * mailbox receives a text/calendar part with the METHOD, and an independent parser (ical.js) reads
 * the event at the right local times in New York and Berlin on a date between the two DST switches.
 */

let dh: LiveDeskhand | null = null;
afterEach(async () => {
  await dh?.destroy();
  dh = null;
});

const localHour = (d: Date, zone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);

describe('invites over the real mail stack', () => {
  it('REQUEST then CANCEL reach a New York and a Berlin guest; ical.js reads 10:00 and 15:00 local, same UID, SEQUENCE 0 then 1', async () => {
    const domain = uniqueDomain('inv');
    const owner = `maya@${domain}`;
    const ny = `dana@${uniqueDomain('ny')}`;
    const berlin = `jonas@${uniqueDomain('ber')}`;
    dh = await liveDeskhand({ assistant: `assistant@${domain}`, owner, env: { TEAM_DOMAINS: domain } });
    const meeting = {
      uid: meetingUid('q2-kickoff', domain),
      sequence: 0,
      // 2026-03-20: New York is on summer time already, Berlin not yet (5 hours apart).
      start: new Date('2026-03-20T14:00:00Z'),
      end: new Date('2026-03-20T14:30:00Z'),
      summary: 'Q2 analytics kick-off',
      description: 'As agreed by mail.',
      organizer: { name: 'Maya Chen', email: owner },
      attendees: [
        { name: 'Dana Lee', email: ny },
        { name: 'Jonas Weber', email: berlin },
      ],
    };
    const policy = {
      assistantEmail: dh.config.assistant.email,
      ownerEmail: owner,
      perCorrespondentPerHour: 5,
      now: new Date(),
    };
    for (const [key, m, method] of [
      ['invite', meeting, 'REQUEST'],
      ['cancel', reviseMeeting(meeting), 'CANCEL'],
    ] as const) {
      const parts = inviteMimeParts(m, method, new Date(), 'Europe/Berlin');
      const q = await enqueueOutbound(
        dh.handle.db,
        {
          purpose: 'invite',
          idempotencyKey: `test:${key}`,
          to: [ny, berlin],
          subject: `${method === 'CANCEL' ? 'Cancelled: ' : ''}${m.summary}`,
          text: parts.text,
          calendar: { method, content: parts.icalEvent.content, filename: parts.icalEvent.filename },
        },
        policy,
      );
      expect(q.kind).toBe('queued');
    }
    await dh.start(); // the worker sends what is pending at start

    for (const [guest, zone, local] of [
      [ny, 'America/New_York', '10:00'],
      [berlin, 'Europe/Berlin', '15:00'],
    ] as const) {
      const got = await waitForMessages(guest, 'INBOX', 2, 30_000);
      const events = [];
      for (const m of got) {
        const mail = await simpleParser(Buffer.from(m.source));
        const part = mail.attachments.find((a) => /text\/calendar/i.test(a.contentType));
        expect(part?.contentType).toMatch(/text\/calendar/i);
        const cal = new ICAL.Component(ICAL.parse(part!.content.toString('utf8')));
        const ev = cal.getFirstSubcomponent('vevent')!;
        events.push({
          method: cal.getFirstPropertyValue('method'),
          uid: ev.getFirstPropertyValue('uid'),
          sequence: ev.getFirstPropertyValue('sequence'),
          local: localHour((ev.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate(), zone),
          attendees: ev.getAllProperties('attendee').length,
        });
      }
      events.sort((a, b) => Number(a.sequence) - Number(b.sequence));
      expect(events).toEqual([
        { method: 'REQUEST', uid: meeting.uid, sequence: 0, local, attendees: expect.any(Number) },
        { method: 'CANCEL', uid: meeting.uid, sequence: 1, local, attendees: expect.any(Number) },
      ]);
      expect(events[0]!.attendees).toBeGreaterThanOrEqual(2);
    }
  }, 90_000);
});
