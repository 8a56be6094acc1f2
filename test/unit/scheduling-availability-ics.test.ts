import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { busyFromIcs } from '../../src/skills/scheduling/availability/ics-busy.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/scheduling/${name}`, import.meta.url), 'utf8');
const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
const iso = (i: { start: Date; end: Date }) =>
  `${i.start.toISOString().slice(0, 16)}/${i.end.toISOString().slice(0, 16)}`;
const cal = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR'].join('\r\n');
const event = (...lines: string[]) => [
  'BEGIN:VEVENT',
  'UID:e@x',
  'DTSTAMP:20260101T000000Z',
  ...lines,
  'END:VEVENT',
];

describe('busy time from the owner’s Berlin calendar (hand-written fixture)', () => {
  const march = range('2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z');
  const read = busyFromIcs(fixture('owner-berlin.ics'), march, { zone: 'Europe/Berlin' });

  it('lists every blocking instance in UTC, across the spring-forward switch, with no warnings', () => {
    expect(read.warnings).toEqual([]);
    expect(read.complete).toBe(true);
    expect(read.busy.map(iso)).toEqual([
      '2026-03-02T09:00/2026-03-02T10:00', // weekly team sync, 10:00 CET
      '2026-03-04T15:00/2026-03-04T15:45', // DURATION:PT45M
      '2026-03-05T12:00/2026-03-05T13:00', // UTC
      '2026-03-09T09:00/2026-03-09T10:00',
      '2026-03-10T13:00/2026-03-10T13:30', // 09:00 in New York, already on EDT
      '2026-03-13T14:00/2026-03-13T15:00', // floating 15:00, read on the owner's clock
      '2026-03-24T13:00/2026-03-24T14:00', // the 23rd's instance, moved to Tuesday 14:00
      '2026-03-26T23:00/2026-03-27T23:00', // all-day offsite
      '2026-03-27T23:00/2026-03-29T22:00', // two all-day days; the second is 23 hours long
      '2026-03-30T08:00/2026-03-30T09:00', // 10:00 CEST
      '2026-04-13T08:00/2026-04-13T09:00',
      '2026-04-20T08:00/2026-04-20T09:00',
      '2026-04-27T08:00/2026-04-27T09:00', // UNTIL 23:59:59 CEST keeps the last Monday
    ]);
  });

  it('leaves out the EXDATE, the moved original, the cancelled instance, and free or cancelled events', () => {
    const starts = read.busy.map((b) => b.start.toISOString().slice(0, 10));
    for (const day of ['2026-03-16', '2026-03-23', '2026-04-06', '2026-03-11', '2026-03-12']) {
      expect(starts).not.toContain(day);
    }
  });

  it('reads all-day and floating times on the owner’s clock', () => {
    const ny = busyFromIcs(fixture('owner-berlin.ics'), march, { zone: 'America/New_York' });
    expect(ny.busy.map(iso)).toContain('2026-03-27T04:00/2026-03-28T04:00');
    expect(ny.busy.map(iso)).toContain('2026-03-13T19:00/2026-03-13T20:00');
    // Zoned times do not move with the owner.
    expect(ny.busy.map(iso)).toContain('2026-03-10T13:00/2026-03-10T13:30');
  });

  it('expands only within the range, keeping an event that started before it', () => {
    const april = busyFromIcs(
      fixture('owner-berlin.ics'),
      range('2026-04-10T00:00:00Z', '2026-04-25T00:00:00Z'),
      {
        zone: 'Europe/Berlin',
      },
    );
    expect(april.busy.map(iso)).toEqual([
      '2026-04-13T08:00/2026-04-13T09:00',
      '2026-04-20T08:00/2026-04-20T09:00',
    ]);
    const midOffsite = busyFromIcs(
      fixture('owner-berlin.ics'),
      range('2026-03-27T12:00:00Z', '2026-03-27T13:00:00Z'),
      {
        zone: 'Europe/Berlin',
      },
    );
    expect(midOffsite.busy.map(iso)).toEqual(['2026-03-26T23:00/2026-03-27T23:00']);
  });
});

describe('busy time from real feeds (icalendar-python samples)', () => {
  const real = (name: string, r: { from: Date; to: Date }, zone = 'Europe/Berlin') =>
    busyFromIcs(fixture(`icalendar-python/${name}`), r, { zone });

  it('expands a Google weekday series in Europe/Zurich, open-ended since 2016, across the 2026 switch', () => {
    const read = real('x_location.ics', range('2026-03-23T00:00:00Z', '2026-04-04T00:00:00Z'));
    expect(read.complete).toBe(true);
    expect(read.busy.map(iso)).toEqual([
      ...[23, 24, 25, 26, 27].map((d) => `2026-03-${d}T13:00/2026-03-${d}T13:30`),
      ...['03-30', '03-31', '04-01', '04-02', '04-03'].map((d) => `2026-${d}T12:00/2026-${d}T12:30`),
    ]);
  });

  it('reads Thunderbird’s historic Europe/London VTIMEZONE', () => {
    const read = real('alarm_thunderbird_future.ics', range('2024-10-01T00:00:00Z', '2024-11-01T00:00:00Z'));
    expect(read.warnings).toEqual([]);
    expect(read.busy.map(iso)).toEqual(['2024-10-23T14:00/2024-10-23T15:00']);
  });

  it('reads a custom TZID from its VTIMEZONE alone', () => {
    const read = real('america_new_york.ics', range('2014-08-01T00:00:00Z', '2014-09-01T00:00:00Z'));
    expect(read.busy.map(iso)).toEqual(['2014-08-29T12:00/2014-08-29T14:00']);
  });

  it('reads a bare VEVENT in America/New_York without VTIMEZONE, with a UTC UNTIL and two EXDATEs', () => {
    const read = real(
      'issue_112_missing_tzinfo_on_exdate.ics',
      range('2013-09-01T00:00:00Z', '2013-11-01T00:00:00Z'),
    );
    expect(read.warnings).toEqual([]);
    expect(read.busy).toHaveLength(11);
    expect(read.busy[0] && iso(read.busy[0])).toBe('2013-09-07T16:00/2013-09-07T21:00');
    expect(read.busy.at(-1) && iso(read.busy.at(-1)!)).toBe('2013-10-19T16:00/2013-10-19T21:00');
    expect(read.busy.map((b) => b.start.toISOString().slice(0, 10))).not.toContain('2013-10-11');
  });

  it('applies EXDATEs given on separate lines', () => {
    const read = real(
      'event_with_recurrence_exdates_on_different_lines.ics',
      range('2012-01-01T00:00:00Z', '2013-01-01T00:00:00Z'),
    );
    expect(read.busy).toHaveLength(10);
    expect(read.busy[0] && iso(read.busy[0])).toBe('2012-03-27T08:00/2012-03-27T16:00');
    expect(read.busy.map((b) => b.start.toISOString().slice(5, 10))).not.toContain('04-03');
  });

  it('turns a malformed calendar into a warning, not a throw', () => {
    const read = real('big_bad_calendar.ics', range('2000-01-01T00:00:00Z', '2030-01-01T00:00:00Z'));
    expect(read.busy).toEqual([]);
    expect(read.complete).toBe(false);
    expect(read.warnings[0]).toMatch(/could not be read/);
  });
});

describe('recurrence details', () => {
  const r2026 = range('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');

  it('adds RDATEs (date-times and periods) and removes a DATE EXDATE from a timed series', () => {
    const text = cal(
      ...event(
        'DTSTART;TZID=Europe/Berlin:20260601T090000',
        'DTEND;TZID=Europe/Berlin:20260601T093000',
        'RRULE:FREQ=DAILY;COUNT=3',
        'EXDATE;VALUE=DATE:20260602',
        'RDATE;TZID=Europe/Berlin:20260610T150000',
        'RDATE;VALUE=PERIOD:20260612T100000Z/20260612T120000Z',
      ),
    );
    const read = busyFromIcs(text, r2026, { zone: 'UTC' });
    expect(read.busy.map(iso)).toEqual([
      '2026-06-01T07:00/2026-06-01T07:30',
      '2026-06-03T07:00/2026-06-03T07:30',
      '2026-06-10T13:00/2026-06-10T13:30',
      '2026-06-12T10:00/2026-06-12T12:00',
    ]);
  });

  it('counts COUNT from DTSTART even when the range starts later', () => {
    const text = cal(
      ...event('DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=4'),
    );
    const read = busyFromIcs(text, range('2026-01-20T00:00:00Z', '2026-12-31T00:00:00Z'), { zone: 'UTC' });
    expect(read.busy.map(iso)).toEqual(['2026-01-26T09:00/2026-01-26T10:00']);
  });

  it('keeps a weekly all-day series on whole local days and honours a DATE UNTIL', () => {
    const text = cal(...event('DTSTART;VALUE=DATE:20260323', 'RRULE:FREQ=WEEKLY;UNTIL=20260406'));
    const read = busyFromIcs(text, r2026, { zone: 'Europe/Berlin' });
    expect(read.busy.map(iso)).toEqual([
      '2026-03-22T23:00/2026-03-23T23:00',
      '2026-03-29T22:00/2026-03-30T22:00',
      '2026-04-05T22:00/2026-04-06T22:00',
    ]);
  });

  it('moves an instance into the range from outside it, and an opaque override of a free series still blocks', () => {
    const text = cal(
      ...event(
        'DTSTART:20260105T090000Z',
        'DTEND:20260105T100000Z',
        'RRULE:FREQ=WEEKLY;COUNT=10',
        'TRANSP:TRANSPARENT',
      ),
      ...event(
        'RECURRENCE-ID:20260105T090000Z',
        'DTSTART:20260301T090000Z',
        'DTEND:20260301T100000Z',
        'TRANSP:OPAQUE',
      ),
    );
    const read = busyFromIcs(text, range('2026-02-20T00:00:00Z', '2026-03-10T00:00:00Z'), { zone: 'UTC' });
    expect(read.busy.map(iso)).toEqual(['2026-03-01T09:00/2026-03-01T10:00']);
  });

  it('treats Outlook’s X-MICROSOFT-CDO-BUSYSTATUS:FREE as free and TENTATIVE as busy', () => {
    const text = cal(
      ...event('DTSTART:20260105T090000Z', 'DTEND:20260105T100000Z', 'X-MICROSOFT-CDO-BUSYSTATUS:FREE'),
      ...event('DTSTART:20260106T090000Z', 'DTEND:20260106T100000Z', 'STATUS:TENTATIVE'),
    );
    expect(busyFromIcs(text, r2026, { zone: 'UTC' }).busy.map(iso)).toEqual([
      '2026-01-06T09:00/2026-01-06T10:00',
    ]);
  });
});

describe('zones in a feed', () => {
  const r = range('2026-07-01T00:00:00Z', '2026-07-02T00:00:00Z');

  it('reads an unknown TZID without VTIMEZONE on the owner’s clock and says so once', () => {
    const text = cal(
      ...event(
        'DTSTART;TZID=Mars Standard Time:20260701T090000',
        'DTEND;TZID=Mars Standard Time:20260701T100000',
      ),
      ...event(
        'DTSTART;TZID=Mars Standard Time:20260701T110000',
        'DTEND;TZID=Mars Standard Time:20260701T120000',
      ),
    );
    const read = busyFromIcs(text, r, { zone: 'Europe/Berlin' });
    expect(read.busy.map(iso)).toEqual([
      '2026-07-01T07:00/2026-07-01T08:00',
      '2026-07-01T09:00/2026-07-01T10:00',
    ]);
    expect(read.warnings).toEqual([
      expect.stringMatching(/"Mars Standard Time" is not defined.*Europe\/Berlin/),
    ]);
  });

  it('reads an ambiguous local time as its first occurrence and a skipped one with the offset before (RFC 5545 §3.3.5)', () => {
    const text = cal(
      ...event('DTSTART;TZID=Europe/Berlin:20261025T023000', 'DTEND;TZID=Europe/Berlin:20261025T033000'),
      ...event(
        'DTSTART;TZID=America/New_York:20260308T023000',
        'DTEND;TZID=America/New_York:20260308T043000',
      ),
    );
    const read = busyFromIcs(text, range('2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z'), { zone: 'UTC' });
    // 02:30 EST does not exist on 8 March: read as UTC-5, it is 07:30Z (03:30 EDT).
    expect(read.busy.map(iso)).toEqual([
      '2026-03-08T07:30/2026-03-08T08:30',
      '2026-10-25T00:30/2026-10-25T02:30',
    ]);
  });

  it('reads a prefixed IANA TZID ("/mozilla.org/…/Europe/Paris")', () => {
    const tz = '/mozilla.org/20070129_1/Europe/Paris';
    const text = cal(...event(`DTSTART;TZID=${tz}:20260701T090000`, `DTEND;TZID=${tz}:20260701T100000`));
    expect(busyFromIcs(text, r, { zone: 'UTC' }).busy.map(iso)).toEqual([
      '2026-07-01T07:00/2026-07-01T08:00',
    ]);
  });

  it('drops a VTIMEZONE with a rule that would make ical.js loop, and falls back to the IANA name', () => {
    const text = cal(
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:DAYLIGHT',
      'DTSTART:19700101T000000',
      'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      ...event('DTSTART;TZID=Europe/Berlin:20260701T090000', 'DTEND;TZID=Europe/Berlin:20260701T100000'),
    );
    const started = performance.now();
    const read = busyFromIcs(text, r, { zone: 'UTC' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(read.busy.map(iso)).toEqual(['2026-07-01T07:00/2026-07-01T08:00']);
    expect(read.warnings).toEqual([expect.stringMatching(/"Europe\/Berlin" has a rule that is not yearly/)]);
  });
  it('drops a VTIMEZONE whose expansion would take too long, quickly', () => {
    const parts = Array.from({ length: 150 }, (_, i) => [
      'BEGIN:STANDARD',
      `DTSTART:1583${String(1 + (i % 12)).padStart(2, '0')}08T020000`,
      `RRULE:FREQ=YEARLY;BYMONTH=${1 + (i % 12)};BYMONTHDAY=8,9,10,11,12,13,14`,
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'END:STANDARD',
    ]).flat();
    const text = cal(
      'BEGIN:VTIMEZONE',
      'TZID:Slow',
      ...parts,
      'END:VTIMEZONE',
      ...event('DTSTART;TZID=Slow:20260701T090000', 'DTEND;TZID=Slow:20260701T100000'),
    );
    const started = performance.now();
    const read = busyFromIcs(text, r, { zone: 'UTC' });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(read.busy.map(iso)).toEqual(['2026-07-01T09:00/2026-07-01T10:00']);
    expect(read.warnings).toEqual([expect.stringMatching(/"Slow" has too many changes to expand/)]);
  });
});

describe('hostile and broken feeds', () => {
  const r = range('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z');

  it.each([
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=HOURLY;BYMONTHDAY=31;BYMONTH=4',
    'FREQ=SECONDLY',
    'FREQ=YEARLY;BYMONTH=4;BYDAY=1MO;BYMONTHDAY=15,16,17,18,19,20,21',
  ])('stops expanding %s quickly and says busy time may be missing', (rule) => {
    const text = cal(...event('DTSTART:20000101T090000Z', 'DTEND:20000101T100000Z', `RRULE:${rule}`));
    const started = performance.now();
    const read = busyFromIcs(text, r, { zone: 'UTC' });
    expect(performance.now() - started).toBeLessThan(3_000);
    if (!rule.startsWith('FREQ=YEARLY')) {
      expect(read.complete).toBe(false);
      expect(read.warnings.join('\n')).toMatch(/too many repeats|could not be read/);
    }
  });

  it('caps the busy times at 5,000 and says the rest are unknown', () => {
    const text = cal(
      ...event('DTSTART:20260101T000000Z', 'DTEND:20260101T000100Z', 'RRULE:FREQ=MINUTELY;INTERVAL=5'),
    );
    const read = busyFromIcs(text, r, { zone: 'UTC' });
    expect(read.busy).toHaveLength(5_000);
    expect(read.complete).toBe(false);
    expect(read.warnings).toContainEqual(expect.stringMatching(/stopped after 5000 busy times/));
  });

  it('skips one broken event and keeps the others', () => {
    const text = cal(
      ...event('DTSTART:2026XX01T090000Z', 'DTEND:20260101T100000Z'),
      ...event('SUMMARY:no start'),
      ...event('DTSTART:20260102T090000Z', 'DTEND:20260102T100000Z'),
    );
    const read = busyFromIcs(text, r, { zone: 'UTC' });
    expect(read.busy.map(iso)).toEqual(['2026-01-02T09:00/2026-01-02T10:00']);
    expect(read.complete).toBe(false);
    expect(read.warnings).toHaveLength(2);
  });

  it.each([
    ['empty text', ''],
    ['HTML', '<!doctype html><html><body>Sign in</body></html>'],
    ['an unterminated calendar', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260101T090000Z'],
    ['a bad RRULE', cal(...event('DTSTART:20260101T090000Z', 'RRULE:FREQ=SOMETIMES'))],
    ['binary noise', '\u0000\u0001BEGIN:\uFFFF;;;::\n\n\r'],
  ])('never throws on %s', (_, text) => {
    const read = busyFromIcs(text, r, { zone: 'UTC' });
    expect(read.busy).toEqual([]);
    expect(read.complete).toBe(false);
    expect(read.warnings.length).toBeGreaterThan(0);
  });
});
