import { describe, expect, it } from 'vitest';
import { type RuleEntry, StandingRule } from '../../src/skills/instructions/instruction.model.ts';
import { type FreeSlotsInput, freeSlots } from '../../src/skills/scheduling/availability/slots.ts';
import { allowedByRules } from '../../src/skills/scheduling/availability/standing-rules.ts';
import { parseWorkingHours } from '../../src/skills/scheduling/availability/working-hours.ts';

const at = (iso: string) => new Date(iso);
const span = (start: string, end: string) => ({ start: at(start), end: at(end) });
const starts = (slots: Array<{ start: Date }>) => slots.map((s) => s.start.toISOString().slice(0, 16));

/** Monday 2 March 2026 to Saturday 7 March, Berlin (CET, UTC+1). */
const base = (over: Partial<FreeSlotsInput> = {}): FreeSlotsInput => ({
  range: { from: at('2026-03-02T00:00:00Z'), to: at('2026-03-07T00:00:00Z') },
  durationMinutes: 30,
  bufferMinutes: 0,
  stepMinutes: 30,
  zone: 'Europe/Berlin',
  workingHours: parseWorkingHours('Mon-Fri 09:00-17:30'),
  busy: [],
  held: [],
  limit: 6,
  ...over,
});

describe('free slots', () => {
  it('offers two spread-out times a day, earliest days first', () => {
    expect(starts(freeSlots(base()))).toEqual([
      '2026-03-02T08:00',
      '2026-03-02T10:00',
      '2026-03-03T08:00',
      '2026-03-03T10:00',
      '2026-03-04T08:00',
      '2026-03-04T10:00',
    ]);
  });

  it('comes back to a day for more only after every day has offered its share', () => {
    const slots = freeSlots(
      base({ range: { from: at('2026-03-02T00:00:00Z'), to: at('2026-03-04T00:00:00Z') } }),
    );
    expect(starts(slots)).toEqual([
      '2026-03-02T08:00',
      '2026-03-02T10:00',
      '2026-03-02T12:00',
      '2026-03-02T14:00',
      '2026-03-03T08:00',
      '2026-03-03T10:00',
    ]);
  });

  it('never offers overlapping times on one day', () => {
    const slots = freeSlots(base({ durationMinutes: 120, limit: 50, perDay: 10 }));
    for (let i = 1; i < slots.length; i++) expect(slots[i]!.start >= slots[i - 1]!.end).toBe(true);
  });

  it('keeps the buffer clear around busy and held time', () => {
    const input = base({
      range: { from: at('2026-03-02T00:00:00Z'), to: at('2026-03-03T00:00:00Z') },
      busy: [span('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z')],
      held: [span('2026-03-02T12:00:00Z', '2026-03-02T12:30:00Z')],
      bufferMinutes: 15,
      limit: 20,
      perDay: 20,
    });
    const got = starts(freeSlots(input));
    expect(got).toContain('2026-03-02T08:00'); // 09:00–09:30 local, free
    expect(got).not.toContain('2026-03-02T08:30'); // ends 09:00Z: the buffer before busy starts 08:45Z
    expect(got).not.toContain('2026-03-02T10:00'); // starts inside the 15 min after busy
    expect(got).toContain('2026-03-02T10:30');
    expect(got).not.toContain('2026-03-02T11:30'); // ends 12:00Z, inside the buffer before the held meeting
    expect(got).not.toContain('2026-03-02T12:00');
    expect(got).toContain('2026-03-02T13:00');
  });

  it('lets a meeting touch a busy one when there is no buffer', () => {
    const got = starts(
      freeSlots(
        base({
          busy: [span('2026-03-02T09:00:00Z', '2026-03-02T10:00:00Z')],
          range: { from: at('2026-03-02T00:00:00Z'), to: at('2026-03-03T00:00:00Z') },
          limit: 30,
          perDay: 30,
        }),
      ),
    );
    expect(got).toContain('2026-03-02T08:30');
    expect(got).toContain('2026-03-02T10:00');
    expect(got).not.toContain('2026-03-02T09:30');
  });

  it('obeys the owner’s standing instructions through meetingAllowed', () => {
    const rules: RuleEntry[] = [
      {
        id: 'r1',
        rule: StandingRule.parse({ kind: 'no_meetings', days: ['fri'], before: '10:00', after: null }),
      },
    ];
    const slots = freeSlots(base({ allowed: allowedByRules(rules, 'Europe/Berlin'), limit: 20, perDay: 20 }));
    expect(slots.length).toBeGreaterThan(0);
    expect(starts(slots).some((s) => s.startsWith('2026-03-06'))).toBe(false);
    expect(starts(slots)[0]).toBe('2026-03-02T09:00'); // 10:00 local
  });

  it('starts on the local grid even when the working day does not', () => {
    const slots = freeSlots(
      base({ workingHours: parseWorkingHours('Mon-Fri 09:10-17:30'), stepMinutes: 15, limit: 1 }),
    );
    expect(starts(slots)).toEqual(['2026-03-02T08:15']);
  });

  it('starts no earlier than the range (the caller’s "now")', () => {
    const slots = freeSlots(
      base({ range: { from: at('2026-03-02T13:05:00Z'), to: at('2026-03-03T00:00:00Z') }, limit: 1 }),
    );
    expect(starts(slots)).toEqual(['2026-03-02T13:30']);
  });

  it('returns nothing when asked for nothing, and refuses nonsense', () => {
    expect(freeSlots(base({ limit: 0 }))).toEqual([]);
    expect(() => freeSlots(base({ durationMinutes: 0 }))).toThrow(RangeError);
    expect(() => freeSlots(base({ stepMinutes: 2.5 }))).toThrow(RangeError);
    expect(() => freeSlots(base({ zone: 'Mars/Olympus' }))).toThrow(RangeError);
  });
});

describe('free slots on daylight-saving days', () => {
  const every = parseWorkingHours('Mon-Sun 09:00-17:30');
  const firstOn = (zone: string, day: string) =>
    freeSlots(
      base({
        zone,
        workingHours: every,
        range: { from: at(`${day}T00:00:00Z`), to: at(`${day}T23:59:00Z`) },
        limit: 1,
      }),
    );

  it.each([
    ['Europe/Berlin', '2026-03-29', '2026-03-29T07:00'],
    ['Europe/Berlin', '2026-10-25', '2026-10-25T08:00'],
    ['America/New_York', '2026-03-08', '2026-03-08T13:00'],
    ['America/New_York', '2026-11-01', '2026-11-01T14:00'],
  ])('in %s on %s the first slot is 09:00 local', (zone, day, expected) => {
    expect(starts(firstOn(zone, day))).toEqual([expected]);
  });

  it('ends the day at 17:30 local on the switch day', () => {
    const slots = freeSlots(
      base({
        workingHours: every,
        range: { from: at('2026-03-29T00:00:00Z'), to: at('2026-03-30T00:00:00Z') },
        limit: 100,
        perDay: 100,
        stepMinutes: 30,
      }),
    );
    expect(slots.at(-1)!.end.toISOString()).toBe('2026-03-29T15:30:00.000Z');
  });

  it('does not offer local times the spring-forward switch skips', () => {
    const slots = freeSlots(
      base({
        workingHours: parseWorkingHours('Sun 01:00-04:00'),
        range: { from: at('2026-03-28T12:00:00Z'), to: at('2026-03-29T12:00:00Z') },
        limit: 100,
        perDay: 100,
      }),
    );
    // 01:00 and 01:30 CET, then 03:00 and 03:30 CEST; 02:00–02:59 does not exist.
    expect(starts(slots)).toEqual([
      '2026-03-29T00:00',
      '2026-03-29T00:30',
      '2026-03-29T01:00',
      '2026-03-29T01:30',
    ]);
  });
});
