import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localTime } from '../../src/skills/instructions/instruction.zone.ts';
import { busyFromIcs } from '../../src/skills/scheduling/availability/ics-busy.ts';
import { freeSlots } from '../../src/skills/scheduling/availability/slots.ts';
import {
  arbAnchor,
  arbWorking,
  arbZone,
  clashes,
  DAY,
  DST_DAYS,
  MIN,
} from '../fixtures/scheduling/arbitraries.ts';

describe('busy time from random calendars (property-based)', () => {
  /** One event near `anchor`, on the quarter hour, written in UTC or as local wall time in some zone. */
  const arbEventNear = (anchor: number) =>
    fc.record({
      at: fc.integer({ min: -7 * 96, max: 7 * 96 }).map((q) => anchor + q * 15 * MIN),
      minutes: fc.integer({ min: 15, max: 300 }),
      zone: fc.option(arbZone, { nil: null }),
    });
  /** A random calendar around a DST switch day (or any day of 2026) and a range covering it. */
  const arbCalendar = (max: number) =>
    arbAnchor
      .map((ms) => Math.floor(ms / DAY) * DAY)
      .chain((anchor) =>
        fc.record({
          events: fc.array(arbEventNear(anchor), { maxLength: max }),
          range: fc.constant({ from: new Date(anchor - 8 * DAY), to: new Date(anchor + 8 * DAY) }),
        }),
      );

  const stamp = (ms: number, zone: string | null) => {
    const t = zone ? DateTime.fromMillis(ms, { zone }) : DateTime.fromMillis(ms, { zone: 'UTC' });
    const text = t.toFormat("yyyyMMdd'T'HHmmss");
    return zone ? `;TZID=${zone}:${text}` : `:${text}Z`;
  };

  const icsOf = (events: Array<{ at: number; minutes: number; zone: string | null }>) =>
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      ...events.flatMap((e, i) => [
        'BEGIN:VEVENT',
        `UID:${i}@random`,
        `DTSTART${stamp(e.at, e.zone)}`,
        `DTEND${stamp(e.at + e.minutes * MIN, e.zone)}`,
        'END:VEVENT',
      ]),
      'END:VCALENDAR',
    ].join('\r\n');

  /**
   * The second reading of a repeated hour cannot be written as local time (RFC 5545 reads it as
   * the first); leave those out. First readings stay in.
   */
  const unambiguous = (ms: number, zone: string | null) =>
    zone === null ||
    [30, 60].every((back) => {
      const a = localTime(new Date(ms), zone);
      const b = localTime(new Date(ms - back * MIN), zone);
      return a.dayNumber !== b.dayNumber || a.minutes !== b.minutes;
    });

  it('reads back every event of a random calendar, whatever zone its times are written in', () => {
    fc.assert(
      fc.property(arbCalendar(20), ({ events: raw, range }) => {
        const events = raw.filter(
          (e) => unambiguous(e.at, e.zone) && unambiguous(e.at + e.minutes * MIN, e.zone),
        );
        const read = busyFromIcs(icsOf(events), range, { zone: 'Europe/Berlin' });
        expect(read.warnings).toEqual([]);
        const got = read.busy.map((b) => `${b.start.getTime()}-${b.end.getTime()}`).sort();
        const want = events.map((e) => `${e.at}-${e.at + e.minutes * MIN}`).sort();
        expect(got).toEqual(want);
      }),
      { numRuns: 100 },
    );
  });

  it('expands a random weekly series with EXDATEs and a moved instance across DST, in any zone', () => {
    fc.assert(
      fc.property(
        fc.record({
          zone: arbZone,
          anchor: fc.constantFrom(...DST_DAYS),
          weeksBefore: fc.integer({ min: 0, max: 6 }),
          hour: fc.integer({ min: 5, max: 21 }),
          minute: fc.constantFrom(0, 15, 30, 45),
          count: fc.integer({ min: 1, max: 12 }),
          excluded: fc.uniqueArray(fc.nat(11), { maxLength: 4 }),
          exInUtc: fc.boolean(),
          moved: fc.option(fc.nat(11), { nil: null }),
        }),
        (c) => {
          const first = DateTime.fromISO(c.anchor, { zone: c.zone })
            .minus({ weeks: c.weeksBefore })
            .set({ hour: c.hour, minute: c.minute });
          const instance = (k: number) => first.plus({ weeks: k });
          const local = (t: DateTime) => t.toFormat("yyyyMMdd'T'HHmmss");
          const utc = (t: DateTime) => `${t.toUTC().toFormat("yyyyMMdd'T'HHmmss")}Z`;
          const excluded = c.excluded.filter((k) => k < c.count && k !== c.moved);
          const moved = c.moved !== null && c.moved < c.count ? c.moved : null;
          const lines = [
            'BEGIN:VCALENDAR',
            'BEGIN:VEVENT',
            'UID:series@random',
            `DTSTART;TZID=${c.zone}:${local(first)}`,
            `DTEND;TZID=${c.zone}:${local(first.plus({ minutes: 45 }))}`,
            `RRULE:FREQ=WEEKLY;COUNT=${c.count}`,
            ...excluded.map((k) =>
              c.exInUtc ? `EXDATE:${utc(instance(k))}` : `EXDATE;TZID=${c.zone}:${local(instance(k))}`,
            ),
            'END:VEVENT',
            ...(moved === null
              ? []
              : [
                  'BEGIN:VEVENT',
                  'UID:series@random',
                  `RECURRENCE-ID:${utc(instance(moved))}`,
                  `DTSTART:${utc(instance(moved).plus({ days: 1 }))}`,
                  `DTEND:${utc(instance(moved).plus({ days: 1, minutes: 45 }))}`,
                  'END:VEVENT',
                ]),
            'END:VCALENDAR',
          ];
          const range = {
            from: first.minus({ days: 1 }).toJSDate(),
            to: first.plus({ weeks: 13 }).toJSDate(),
          };
          const read = busyFromIcs(lines.join('\r\n'), range, { zone: 'UTC' });
          const want = Array.from({ length: c.count }, (_, k) => k)
            .filter((k) => !excluded.includes(k))
            .map((k) => (k === moved ? instance(k).plus({ days: 1 }) : instance(k)).toMillis())
            .sort((a, b) => a - b);
          expect(read.warnings).toEqual([]);
          expect(read.busy.map((b) => b.start.getTime())).toEqual(want);
          for (const b of read.busy) expect(b.end.getTime() - b.start.getTime()).toBe(45 * MIN);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('no slot found from a random calendar overlaps any of its events', () => {
    fc.assert(
      fc.property(arbCalendar(30), arbZone, arbWorking(60), ({ events: raw, range }, zone, working) => {
        const events = raw.filter(
          (e) => unambiguous(e.at, e.zone) && unambiguous(e.at + e.minutes * MIN, e.zone),
        );
        const { busy } = busyFromIcs(icsOf(events), range, { zone });
        const slots = freeSlots({
          range,
          durationMinutes: 30,
          bufferMinutes: 10,
          stepMinutes: 15,
          zone,
          workingHours: working.spec,
          busy,
          held: [],
          limit: 50,
          perDay: 5,
        });
        const originals = events.map((e) => ({
          start: new Date(e.at),
          end: new Date(e.at + e.minutes * MIN),
        }));
        for (const s of slots) expect(clashes(s, originals, 10)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on a damaged calendar: lines dropped, duplicated or cut', () => {
    const weekly = [
      'BEGIN:VCALENDAR',
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:DAYLIGHT',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'DTSTART:19700329T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:w@x',
      'DTSTART;TZID=Europe/Berlin:20260302T100000',
      'DTEND;TZID=Europe/Berlin:20260302T110000',
      'RRULE:FREQ=WEEKLY;BYDAY=MO,TH;UNTIL=20260601T000000Z',
      'EXDATE;TZID=Europe/Berlin:20260316T100000',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:w@x',
      'RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000',
      'DTSTART;TZID=Europe/Berlin:20260324T140000',
      'DURATION:PT1H',
      'END:VEVENT',
      'END:VCALENDAR',
    ];
    const damage = fc.array(
      fc.record({
        line: fc.nat(),
        how: fc.constantFrom('drop', 'dup', 'cut', 'noise'),
        noise: fc.string({ maxLength: 12 }),
      }),
      { minLength: 1, maxLength: 6 },
    );
    fc.assert(
      fc.property(damage, (edits) => {
        const lines = [...weekly];
        for (const e of edits) {
          const i = e.line % lines.length;
          if (e.how === 'drop') lines.splice(i, 1);
          else if (e.how === 'dup') lines.splice(i, 0, lines[i]!);
          else if (e.how === 'cut')
            lines[i] = lines[i]!.slice(0, Math.max(1, Math.floor(lines[i]!.length / 2)));
          else lines[i] = `${lines[i]}${e.noise}`;
        }
        const read = busyFromIcs(
          lines.join('\r\n'),
          { from: new Date('2026-03-01'), to: new Date('2026-07-01') },
          { zone: 'UTC' },
        );
        expect(Array.isArray(read.busy)).toBe(true);
        for (const b of read.busy) expect(b.end.getTime()).toBeGreaterThan(b.start.getTime());
      }),
      { numRuns: 300 },
    );
  });
});
