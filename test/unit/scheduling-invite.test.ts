import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { buildInviteIcs } from '../../src/skills/scheduling/invite/invite.ics.ts';
import { type Meeting, meetingUid, reviseMeeting } from '../../src/skills/scheduling/invite/invite.model.ts';

// The invite is read back with ical.js, a parser independent of ical-generator which wrote it.

/** 15:00 in Berlin on 20 March 2026: New York is already on summer time (since 8 March), Berlin not yet (29 March). */
const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toJSDate();
const NOW = new Date('2026-03-10T08:00:00Z');

function meeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    uid: meetingUid('mtg_7f3a', 'deskhand.example'),
    sequence: 0,
    start: berlin('2026-03-20T15:00'),
    end: berlin('2026-03-20T15:30'),
    summary: 'Intro call: Acme; pricing, next steps',
    description: 'Agenda:\n1. Pricing\n2. Next steps',
    location: 'Phone',
    organizer: { name: 'Olivia Owner', email: 'olivia@deskhand.example' },
    attendees: [
      { name: 'Nate Newyork', email: 'nate@acme.example' },
      { name: '', email: 'zoe@partner.example' },
    ],
    ...overrides,
  };
}

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

function localTime(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toFormat('yyyy-MM-dd HH:mm');
}

function attendeeParams(vevent: InstanceType<typeof ICAL.Component>) {
  return vevent.getAllProperties('attendee').map((a) => ({
    address: a.getFirstValue(),
    cn: a.getParameter('cn') ?? null,
    role: a.getParameter('role') ?? null,
    partstat: a.getParameter('partstat') ?? null,
    rsvp: a.getParameter('rsvp') ?? null,
  }));
}

describe('buildInviteIcs REQUEST', () => {
  const ics = buildInviteIcs(meeting(), 'REQUEST', NOW);
  const { calendar, vevent, event } = parse(ics);

  it('a meeting at 15:00 in Berlin shows at 10:00 in New York in the week the DST offsets differ', () => {
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(ics).toContain('\r\nDTSTART:20260320T140000Z\r\n');
    expect(localTime(event.startDate.toJSDate(), 'Europe/Berlin')).toBe('2026-03-20 15:00');
    expect(localTime(event.startDate.toJSDate(), 'America/New_York')).toBe('2026-03-20 10:00');
    expect(localTime(event.endDate.toJSDate(), 'America/New_York')).toBe('2026-03-20 10:30');
  });

  it('a meeting at 15:00 in Berlin shows at 09:00 in New York once both are on summer time', () => {
    const april = buildInviteIcs(
      meeting({ start: berlin('2026-04-20T15:00'), end: berlin('2026-04-20T16:00') }),
      'REQUEST',
      NOW,
    );
    const start = parse(april).event.startDate.toJSDate();
    expect(localTime(start, 'America/New_York')).toBe('2026-04-20 09:00');
  });

  it('carries METHOD:REQUEST, the UID, SEQUENCE 0, a UTC DTSTAMP and STATUS:CONFIRMED', () => {
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//deskhand//scheduling//EN');
    expect(event.uid).toBe('mtg_7f3a@deskhand.example');
    expect(event.sequence).toBe(0);
    const stamp = vevent.getFirstPropertyValue('dtstamp') as InstanceType<typeof ICAL.Time>;
    expect(stamp.zone?.tzid).toBe('UTC');
    expect(stamp.toJSDate().toISOString()).toBe(NOW.toISOString());
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(vevent.getFirstPropertyValue('transp')).toBe('OPAQUE');
  });

  it('round-trips summary, description and location with commas, semicolons and newlines', () => {
    expect(event.summary).toBe('Intro call: Acme; pricing, next steps');
    expect(event.description).toBe('Agenda:\n1. Pricing\n2. Next steps');
    expect(event.location).toBe('Phone');
    expect(ics).not.toMatch(/^(URL|X-ALT-DESC|ATTACH)[;:]/m);
  });

  it('names the owner as ORGANIZER and every invitee as a required attendee asked to RSVP', () => {
    const organizer = vevent.getFirstProperty('organizer');
    expect(organizer?.getFirstValue()).toBe('mailto:olivia@deskhand.example');
    expect(organizer?.getParameter('cn')).toBe('Olivia Owner');
    expect(attendeeParams(vevent)).toEqual([
      {
        address: 'MAILTO:nate@acme.example',
        cn: 'Nate Newyork',
        role: 'REQ-PARTICIPANT',
        partstat: 'NEEDS-ACTION',
        rsvp: 'TRUE',
      },
      {
        address: 'MAILTO:zoe@partner.example',
        cn: null,
        role: 'REQ-PARTICIPANT',
        partstat: 'NEEDS-ACTION',
        rsvp: 'TRUE',
      },
    ]);
  });

  it('the organizer listed among the attendees is already accepted, and a duplicate address appears once', () => {
    const m = meeting({
      attendees: [
        { name: 'Olivia Owner', email: 'Olivia@deskhand.example' },
        { name: 'Nate', email: 'nate@acme.example' },
        { name: 'Nate again', email: 'NATE@acme.example' },
      ],
    });
    const rows = attendeeParams(parse(buildInviteIcs(m, 'REQUEST', NOW)).vevent);
    expect(rows.map((r) => [r.address, r.partstat, r.rsvp])).toEqual([
      ['MAILTO:Olivia@deskhand.example', 'ACCEPTED', 'FALSE'],
      ['MAILTO:nate@acme.example', 'NEEDS-ACTION', 'TRUE'],
    ]);
  });

  it('a display name with quotes or a line break is simplified so clients without RFC 6868 show it cleanly', () => {
    const m = meeting({ attendees: [{ name: 'Ann "The Boss"\nSmith', email: 'ann@acme.example' }] });
    const out = buildInviteIcs(m, 'REQUEST', NOW);
    expect(out).not.toContain("^'");
    expect(attendeeParams(parse(out).vevent)[0]?.cn).toBe("Ann 'The Boss' Smith");
  });
});

describe('buildInviteIcs wire format', () => {
  const long = meeting({
    summary: 'Quarterly planning with the whole Zürich and Köln teams — agenda attached below',
    description: `${'Überprüfung der Planung für das nächste Quartal, bitte vorbereiten. '.repeat(6)}\nEnd.`,
  });
  const ics = buildInviteIcs(long, 'REQUEST', NOW);

  it('ends every line, the last one included, with CRLF and has no bare CR or LF', () => {
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('folds lines at 75 octets without splitting a UTF-8 character, and unfolds to the same text', () => {
    const lines = ics.split('\r\n').slice(0, -1);
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(ics).not.toContain('\uFFFD');
    const { event } = parse(ics);
    expect(event.summary).toBe(long.summary);
    expect(event.description).toBe(long.description);
  });

  it('the same meeting, method and clock give the same bytes, so a retried send is harmless', () => {
    expect(buildInviteIcs(long, 'REQUEST', NOW)).toBe(ics);
  });
});

describe('reschedule and cancel', () => {
  const first = meeting();
  const moved = reviseMeeting(first, { start: berlin('2026-03-27T11:00'), end: berlin('2026-03-27T11:30') });
  const cancelled = reviseMeeting(moved);
  const later = new Date('2026-03-12T09:00:00Z');

  it('a reschedule is a REQUEST with the same UID, SEQUENCE + 1 and the new time', () => {
    const { calendar, event, vevent } = parse(buildInviteIcs(moved, 'REQUEST', later));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(event.uid).toBe(first.uid);
    expect(event.sequence).toBe(1);
    expect(localTime(event.startDate.toJSDate(), 'America/New_York')).toBe('2026-03-27 06:00');
    expect((vevent.getFirstPropertyValue('dtstamp') as InstanceType<typeof ICAL.Time>).toJSDate()).toEqual(
      later,
    );
    expect(attendeeParams(vevent).every((a) => a.rsvp === 'TRUE' && a.partstat === 'NEEDS-ACTION')).toBe(
      true,
    );
  });

  it('a cancel is METHOD:CANCEL with the same UID, SEQUENCE + 1, STATUS:CANCELLED and no RSVP asked', () => {
    const { calendar, event, vevent } = parse(buildInviteIcs(cancelled, 'CANCEL', later));
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.uid).toBe(first.uid);
    expect(event.sequence).toBe(2);
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(attendeeParams(vevent)).toEqual([
      {
        address: 'MAILTO:nate@acme.example',
        cn: 'Nate Newyork',
        role: 'REQ-PARTICIPANT',
        partstat: null,
        rsvp: null,
      },
      {
        address: 'MAILTO:zoe@partner.example',
        cn: null,
        role: 'REQ-PARTICIPANT',
        partstat: null,
        rsvp: null,
      },
    ]);
    expect(vevent.getFirstProperty('organizer')?.getFirstValue()).toBe('mailto:olivia@deskhand.example');
  });
});

describe('meetingUid and invalid meetings', () => {
  it('the UID is the meeting id at our domain, the same every time', () => {
    expect(meetingUid('mtg_7f3a', 'Deskhand.Example')).toBe('mtg_7f3a@deskhand.example');
    expect(meetingUid('mtg_7f3a', 'deskhand.example')).toBe(meetingUid('mtg_7f3a', 'deskhand.example'));
  });

  it('refuses an empty id or a domain with an @', () => {
    expect(() => meetingUid('', 'deskhand.example')).toThrow(/meeting UID/);
    expect(() => meetingUid('x', 'a@b')).toThrow(/meeting UID/);
  });

  it.each([
    ['an end before the start', { end: berlin('2026-03-20T14:00') }, /end is not after start/],
    ['a broken attendee address', { attendees: [{ name: 'X', email: 'x; y@z' }] }, /is not an address/],
    ['nobody invited', { attendees: [] }, /nobody is invited/],
    ['a negative sequence', { sequence: -1 }, /sequence/],
  ])('refuses to build an invite with %s', (_label, overrides, message) => {
    expect(() => buildInviteIcs(meeting(overrides), 'REQUEST', NOW)).toThrow(message);
  });
});

// Real REQUESTs from collective/icalendar @ 851cb477 (BSD-2-Clause, ../shared/corpora/icalendar-python):
// BlackBerry (property_params.ics), Podio (issue_350.ics) and Exchange (timezone_same_start.ics).
describe('buildInviteIcs against real REQUESTs from other clients', () => {
  const CORPUS = new URL('../../../shared/corpora/icalendar-python/calendars/', import.meta.url);
  const samples = ['property_params.ics', 'issue_350.ics', 'timezone_same_start.ics'].map((f) => ({
    f,
    ...parse(readFileSync(new URL(f, CORPUS), 'utf8').replace(/END:VCALENDAR[\s\S]*$/, 'END:VCALENDAR\r\n')),
  }));
  const ours = parse(buildInviteIcs(meeting(), 'REQUEST', NOW));
  const names = (c: InstanceType<typeof ICAL.Component>) => new Set(c.getAllProperties().map((p) => p.name));

  it('every sample is a METHOD:REQUEST our parser reads into an event with a start', () => {
    for (const s of samples) {
      expect(s.calendar.getFirstPropertyValue('method'), s.f).toBe('REQUEST');
      expect(s.event.startDate, s.f).toBeTruthy();
    }
  });

  it('carries every VEVENT property RFC 5546 §3.2.2 requires of a REQUEST that the samples carry, and all of them together', () => {
    const required = ['dtstamp', 'dtstart', 'organizer', 'summary', 'uid', 'attendee', 'sequence'];
    const seenInSamples = new Set(samples.flatMap((s) => [...names(s.vevent)]));
    for (const p of required.filter((r) => seenInSamples.has(r))) expect(names(ours.vevent), p).toContain(p);
    for (const p of required) expect(names(ours.vevent), p).toContain(p);
    // An end, as every sample gives one (DTEND or DURATION).
    expect(names(ours.vevent).has('dtend') || names(ours.vevent).has('duration')).toBe(true);
  });

  it('asks every attendee as the samples that ask do: PARTSTAT=NEEDS-ACTION and RSVP=TRUE, with a CN', () => {
    const asking = samples.flatMap((s) =>
      attendeeParams(s.vevent).filter((a) => String(a.rsvp).toUpperCase() === 'TRUE'),
    );
    expect(asking.length).toBeGreaterThan(0);
    for (const a of asking) expect(a.partstat).toBe('NEEDS-ACTION');
    const guests = attendeeParams(ours.vevent).filter((a) => !/olivia@/i.test(String(a.address)));
    expect(guests.length).toBe(2);
    for (const g of guests) {
      expect(g).toMatchObject({ partstat: 'NEEDS-ACTION' });
      expect(String(g.rsvp).toUpperCase()).toBe('TRUE');
      expect(String(g.address)).toMatch(/^mailto:/i);
    }
  });
});
