import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readInviteReply } from '../../src/skills/scheduling/invite/invite.reply.ts';

const UID = 'mtg_7f3a@deskhand.example';
const known = (uid: string): boolean => uid === UID;
const read = (ics: string, senderEmail = 'nate@acme.example', isKnownUid = known) =>
  readInviteReply(ics, { senderEmail, isKnownUid });
const crlf = (lines: string[]) => `${lines.join('\r\n')}\r\n`;

// Hand-written in the shape Google Calendar and Outlook/Exchange send their REPLY (property order,
// parameters, X- properties, Outlook's Windows zone names). They are not captured messages: the
// corpus below has no VEVENT REPLY, so these cover the clients' forms.
const GOOGLE_STYLE = crlf([
  'BEGIN:VCALENDAR',
  'PRODID:-//Google Inc//Google Calendar 70.9054//EN',
  'VERSION:2.0',
  'CALSCALE:GREGORIAN',
  'METHOD:REPLY',
  'BEGIN:VEVENT',
  'DTSTART:20260320T140000Z',
  'DTEND:20260320T143000Z',
  'DTSTAMP:20260311T093012Z',
  'ORGANIZER;CN=Olivia Owner:mailto:olivia@deskhand.example',
  `UID:${UID}`,
  'ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Nate Ne',
  ' wyork;X-NUM-GUESTS=0:mailto:nate@acme.example',
  'CREATED:20260310T080000Z',
  'LAST-MODIFIED:20260311T093012Z',
  'LOCATION:Phone',
  'SEQUENCE:0',
  'STATUS:CONFIRMED',
  'SUMMARY:Intro call',
  'TRANSP:OPAQUE',
  'END:VEVENT',
  'END:VCALENDAR',
]);

const OUTLOOK_STYLE = crlf([
  'BEGIN:VCALENDAR',
  'METHOD:REPLY',
  'PRODID:Microsoft Exchange Server 2010',
  'VERSION:2.0',
  'BEGIN:VTIMEZONE',
  'TZID:Eastern Standard Time',
  'BEGIN:STANDARD',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11',
  'END:STANDARD',
  'BEGIN:DAYLIGHT',
  'DTSTART:16010101T020000',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3',
  'END:DAYLIGHT',
  'END:VTIMEZONE',
  'BEGIN:VEVENT',
  'ATTENDEE;PARTSTAT=TENTATIVE;CN=Nate Newyork:mailto:Nate@Acme.example',
  'COMMENT;LANGUAGE=en-US:Might be late.\\n',
  'SUMMARY;LANGUAGE=en-US:Tentative: Intro call',
  'DTSTART;TZID=Eastern Standard Time:20260327T060000',
  'DTEND;TZID=Eastern Standard Time:20260327T063000',
  `UID:${UID}`,
  'CLASS:PUBLIC',
  'PRIORITY:5',
  'DTSTAMP:20260312T140512Z',
  'TRANSP:OPAQUE',
  'STATUS:CONFIRMED',
  'SEQUENCE:1',
  'LOCATION;LANGUAGE=en-US:Phone',
  'X-MICROSOFT-CDO-APPT-SEQUENCE:1',
  'X-MICROSOFT-CDO-BUSYSTATUS:TENTATIVE',
  'X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY',
  'X-MICROSOFT-CDO-ALLDAYEVENT:FALSE',
  'END:VEVENT',
  'END:VCALENDAR',
]);

/** A minimal REPLY with one attendee line. */
const reply = (attendee: string, extra: string[] = []) =>
  crlf([
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//test//EN',
    'METHOD:REPLY',
    'BEGIN:VEVENT',
    `UID:${UID}`,
    'SEQUENCE:3',
    'DTSTAMP:20260311T093012Z',
    attendee,
    ...extra,
    'END:VEVENT',
    'END:VCALENDAR',
  ]);

describe('readInviteReply on client-shaped replies', () => {
  it('reads a Google-style acceptance', () => {
    expect(read(GOOGLE_STYLE)).toEqual({
      ok: true,
      uid: UID,
      sequence: 0,
      attendee: 'nate@acme.example',
      partstat: 'ACCEPTED',
    });
  });

  it('reads an Outlook-style tentative answer with a Windows zone name and a mixed-case address', () => {
    expect(read(OUTLOOK_STYLE, 'NATE@acme.example')).toEqual({
      ok: true,
      uid: UID,
      sequence: 1,
      attendee: 'nate@acme.example',
      partstat: 'TENTATIVE',
    });
  });

  it('reads a decline whose PARTSTAT is lower case and whose address is in EMAIL= (CalDAV style)', () => {
    const out = read(reply('ATTENDEE;PARTSTAT=declined;EMAIL=nate@acme.example:urn:uuid:1b0c-77'));
    expect(out).toEqual({
      ok: true,
      uid: UID,
      sequence: 3,
      attendee: 'nate@acme.example',
      partstat: 'DECLINED',
    });
  });

  it('accepts an answer sent by the attendee’s delegate named in SENT-BY', () => {
    const out = read(
      reply('ATTENDEE;PARTSTAT=ACCEPTED;SENT-BY="mailto:assistant@acme.example":mailto:nate@acme.example'),
      'assistant@acme.example',
    );
    expect(out).toMatchObject({ ok: true, attendee: 'nate@acme.example', partstat: 'ACCEPTED' });
  });

  it('when a client echoes every attendee, takes the one who sent the email', () => {
    const ics = reply('ATTENDEE;PARTSTAT=DECLINED:mailto:zoe@partner.example', [
      'ATTENDEE;PARTSTAT=ACCEPTED:mailto:nate@acme.example',
    ]);
    expect(read(ics)).toMatchObject({ ok: true, attendee: 'nate@acme.example', partstat: 'ACCEPTED' });
    expect(read(ics, 'zoe@partner.example')).toMatchObject({ ok: true, partstat: 'DECLINED' });
  });

  it('reads LF line ends and a missing SEQUENCE as 0', () => {
    const ics = GOOGLE_STYLE.replace(/\r\n/g, '\n').replace('SEQUENCE:0\n', '');
    expect(read(ics)).toMatchObject({ ok: true, sequence: 0 });
  });
});

describe('readInviteReply rejects', () => {
  it('a reply whose attendee is not the sender', () => {
    expect(read(GOOGLE_STYLE, 'mallory@evil.example')).toEqual({ ok: false, reason: 'attendee-not-sender' });
  });

  it('a reply about a UID we never issued', () => {
    expect(read(GOOGLE_STYLE, 'nate@acme.example', () => false)).toEqual({
      ok: false,
      reason: 'unknown-uid',
    });
  });

  it.each(['NEEDS-ACTION', 'DELEGATED', 'X-MAYBE', ''])('a PARTSTAT we do not act on: "%s"', (partstat) => {
    const attendee = partstat
      ? `ATTENDEE;PARTSTAT=${partstat}:mailto:nate@acme.example`
      : 'ATTENDEE:mailto:nate@acme.example';
    expect(read(reply(attendee))).toEqual({ ok: false, reason: 'unsupported-partstat' });
  });

  it('an invite or a cancel, which are not answers', () => {
    expect(read(GOOGLE_STYLE.replace('METHOD:REPLY', 'METHOD:REQUEST'))).toEqual({
      ok: false,
      reason: 'not-a-reply',
    });
    expect(read(GOOGLE_STYLE.replace('METHOD:REPLY\r\n', ''))).toEqual({ ok: false, reason: 'not-a-reply' });
  });

  it('a reply with no attendee or no UID', () => {
    expect(read(reply('COMMENT:nobody'))).toEqual({ ok: false, reason: 'no-attendee' });
    expect(read(GOOGLE_STYLE.replace(`UID:${UID}\r\n`, ''))).toEqual({ ok: false, reason: 'no-uid' });
  });

  it.each([
    ['empty text', ''],
    ['prose', 'Sure, Friday works for me!'],
    ['a truncated calendar', GOOGLE_STYLE.slice(0, 200)],
    ['a bare VEVENT', 'BEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\n'],
    ['a negative SEQUENCE', GOOGLE_STYLE.replace('SEQUENCE:0', 'SEQUENCE:-1')],
    ['a SEQUENCE beyond 32 bits', GOOGLE_STYLE.replace('SEQUENCE:0', 'SEQUENCE:99999999999')],
    ['binary noise', '\u0000\u0001BEGIN:VCALENDAR\u0000:;;;\r\n\u00ff'],
    ['a line without a colon', 'x:y'],
  ])('%s as malformed, without throwing', (_label, ics) => {
    expect(read(ics)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('an oversized body before parsing it', () => {
    expect(read(GOOGLE_STYLE + `X-PAD:${'a'.repeat(300_000)}`)).toEqual({ ok: false, reason: 'too-large' });
  });
});

// Real ICS files from collective/icalendar @ 851cb477 (BSD-2-Clause, see LICENSE.rst there).
const CORPUS = join(import.meta.dirname, '../../../shared/corpora/icalendar-python');
const corpus = (path: string) => readFileSync(join(CORPUS, path), 'utf8');
function corpusFiles(dir: string = CORPUS): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return corpusFiles(path);
    return name.endsWith('.ics') ? [path] : [];
  });
}

describe('readInviteReply on the icalendar-python corpus', () => {
  it('never throws on any of its files, broken ones included, and finds no answer in them', () => {
    const files = corpusFiles();
    expect(files.length).toBeGreaterThan(150);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(
        read(text, 'attendee@domain.tld', () => true),
        file,
      ).toMatchObject({ ok: false });
    }
  });

  it('a DavMail free/busy REPLY has no VEVENT', () => {
    const ics = corpus('calendars/issue_27_multiple_periods_in_freebusy_one_freebusy.ics');
    expect(read(ics, 'attendee@domain.tld', () => true)).toEqual({ ok: false, reason: 'no-event' });
  });

  it('real REQUESTs from BlackBerry and Podio (text appended after END:VCALENDAR) read as not a reply', () => {
    for (const path of ['calendars/property_params.ics', 'calendars/issue_350.ics']) {
      expect(
        read(corpus(path), 'rembrand@daxlab.com', () => true),
        path,
      ).toEqual({ ok: false, reason: 'not-a-reply' });
    }
  });

  it('a calendar behind a UTF-8 byte-order mark is read, not refused', () => {
    expect(read(corpus('calendars/bom_calendar.ics'))).toEqual({ ok: false, reason: 'not-a-reply' });
  });

  it('an Exchange CDO request with an RRULE ical.js refuses ("BYDAY=MO, TU") is malformed, not a throw', () => {
    expect(read(corpus('calendars/issue_165_missing_event.ics'))).toEqual({ ok: false, reason: 'malformed' });
  });

  it('the BlackBerry request turned into a REPLY (LF lines, quoted CN, MAILTO:) yields the sender’s answer', () => {
    const ics = corpus('calendars/property_params.ics')
      .replace('METHOD:REQUEST', 'METHOD:REPLY')
      .replace('PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN="RembrandDX"', 'PARTSTAT=ACCEPTED;CN="RembrandDX"');
    const isKnown = (uid: string): boolean => uid === 'XRIMCAL-628059586-522954492-9750559';
    expect(read(ics, 'rembrand@daxlab.com', isKnown)).toEqual({
      ok: true,
      uid: 'XRIMCAL-628059586-522954492-9750559',
      sequence: 2,
      attendee: 'rembrand@daxlab.com',
      partstat: 'ACCEPTED',
    });
    // The other attendees in that file still answer NEEDS-ACTION.
    expect(read(ics, 'rembrand@xs4all.nl', isKnown)).toEqual({ ok: false, reason: 'unsupported-partstat' });
  });
});
