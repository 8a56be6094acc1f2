import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { type ParsedMail, simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { buildInviteIcs } from '../../src/skills/scheduling/invite/invite.ics.ts';
import { inviteMimeParts } from '../../src/skills/scheduling/invite/invite.mime.ts';
import {
  type InviteMethod,
  type Meeting,
  meetingUid,
  reviseMeeting,
} from '../../src/skills/scheduling/invite/invite.model.ts';

// Composes the real message with nodemailer's MailComposer and reads the bytes back with mailparser.

const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toJSDate();
const NOW = new Date('2026-03-10T08:00:00Z');
const MEETING: Meeting = {
  uid: meetingUid('mtg_7f3a', 'deskhand.example'),
  sequence: 0,
  start: berlin('2026-03-20T15:00'),
  end: berlin('2026-03-20T15:30'),
  summary: 'Intro call with Acme – Überblick',
  description: 'Pricing and next steps.',
  organizer: { name: 'Olivia Owner', email: 'olivia@deskhand.example' },
  attendees: [{ name: 'Nate Newyork', email: 'nate@acme.example' }],
};

async function compose(meeting: Meeting, method: InviteMethod) {
  const parts = inviteMimeParts(meeting, method, NOW, 'Europe/Berlin');
  const raw = await new MailComposer({
    from: { name: 'Olivia Owner', address: 'olivia@deskhand.example' },
    to: 'nate@acme.example',
    subject: `Invitation: ${meeting.summary}`,
    date: NOW,
    ...parts,
  })
    .compile()
    .build();
  return { raw: raw.toString('utf8'), mail: await simpleParser(raw) };
}

function part(mail: ParsedMail, contentType: string) {
  const found = mail.attachments.find((a) => a.contentType === contentType);
  if (!found) throw new Error(`no ${contentType} part`);
  return found;
}

/** The Content-Type of every MIME node, in the order they appear in the bytes. */
function contentTypes(raw: string): string[] {
  return [...raw.matchAll(/^Content-Type: ([\w/-]+)/gim)].map((m) => m[1]!.toLowerCase());
}

describe('inviteMimeParts composed by MailComposer', () => {
  it('builds mixed(alternative(text/plain, text/calendar), application/ics) as Outlook and Gmail expect', async () => {
    const { raw, mail } = await compose(MEETING, 'REQUEST');
    expect(contentTypes(raw)).toEqual([
      'multipart/mixed',
      'multipart/alternative',
      'text/plain',
      'text/calendar',
      'application/ics',
    ]);
    // mailparser numbers the parts: 1.2 = second child of the alternative, 2 = the attachment.
    expect(part(mail, 'text/calendar').partId).toBe('1.2');
    expect(part(mail, 'application/ics').partId).toBe('2');
  });

  it('puts METHOD in the Content-Type parameter and in the VCALENDAR, and they agree', async () => {
    for (const method of ['REQUEST', 'CANCEL'] as const) {
      const meeting = method === 'CANCEL' ? reviseMeeting(MEETING) : MEETING;
      const { mail } = await compose(meeting, method);
      const calendarPart = part(mail, 'text/calendar');
      const header = calendarPart.headers.get('content-type') as {
        value: string;
        params: Record<string, string>;
      };
      expect(header.params['method']).toBe(method);
      expect(header.params['charset']).toBe('utf-8');
      const calendar = new ICAL.Component(ICAL.parse(calendarPart.content.toString('utf8')));
      expect(calendar.getFirstPropertyValue('method')).toBe(method);
    }
  });

  it('carries the ICS byte for byte, CRLF and folding intact, in both the calendar part and the .ics file', async () => {
    const { mail } = await compose(MEETING, 'REQUEST');
    const ics = buildInviteIcs(MEETING, 'REQUEST', NOW);
    const calendarPart = part(mail, 'text/calendar');
    const attachment = part(mail, 'application/ics');
    expect(calendarPart.content.toString('utf8')).toBe(ics);
    expect(calendarPart.headers.get('content-transfer-encoding')).toBe('base64');
    expect(attachment.content.toString('utf8')).toBe(ics);
    expect(attachment.filename).toBe('invite.ics');
    expect(attachment.contentDisposition).toBe('attachment');
  });

  it('a cancel names its attachment cancel.ics', async () => {
    const { mail } = await compose(reviseMeeting(MEETING), 'CANCEL');
    expect(part(mail, 'application/ics').filename).toBe('cancel.ics');
  });

  it('the text alternative gives the time in the owner zone, names the zone, and has no links', async () => {
    const { mail } = await compose(MEETING, 'REQUEST');
    expect(mail.text).toContain('Invitation: Intro call with Acme – Überblick');
    expect(mail.text).toContain('When: Friday 20 March 2026, 15:00–15:30 (Europe/Berlin)');
    expect(mail.text).toContain('Organizer: Olivia Owner <olivia@deskhand.example>');
    expect(mail.text).not.toMatch(/https?:|www\./);
    expect(mail.html).toBe(false);
  });

  it('the text says "Updated invitation" for a reschedule and "Cancelled" for a cancel', () => {
    const moved = reviseMeeting(MEETING, {
      start: berlin('2026-03-21T10:00'),
      end: berlin('2026-03-21T10:30'),
    });
    expect(inviteMimeParts(moved, 'REQUEST', NOW, 'America/New_York').text).toMatch(
      /^Updated invitation: .*\n\nWhen: Saturday 21 March 2026, 05:00–05:30 \(America\/New_York\)/,
    );
    expect(inviteMimeParts(reviseMeeting(moved), 'CANCEL', NOW).text).toMatch(/^Cancelled: .*\(UTC\)/s);
  });

  it('an unknown display zone is refused rather than printed as "Invalid DateTime"', () => {
    expect(() => inviteMimeParts(MEETING, 'REQUEST', NOW, 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});
