import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.ts';
import { parseWorkingHours, workingWindows } from '../../src/skills/scheduling/availability/working-hours.ts';

const at = (iso: string) => new Date(iso);
const iso = (i: { start: Date; end: Date }) => [i.start.toISOString(), i.end.toISOString()];

describe('parsing WORKING_HOURS', () => {
  it('reads the default "Mon-Fri 09:00-17:30" as one window on each weekday and none at the weekend', () => {
    const spec = parseWorkingHours('Mon-Fri 09:00-17:30');
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) {
      expect(spec[d]).toEqual([{ startMinutes: 540, endMinutes: 1050 }]);
    }
    expect(spec.sat).toEqual([]);
    expect(spec.sun).toEqual([]);
  });

  it('reads lists, ranges in any case, a range that wraps past Sunday, and 24:00 as an end', () => {
    const list = parseWorkingHours('Mon,wed-THU 08:00-12:00');
    expect(
      Object.entries(list)
        .filter(([, w]) => w.length > 0)
        .map(([d]) => d),
    ).toEqual(['mon', 'wed', 'thu']);
    const wrap = parseWorkingHours('Fri-Mon 10:00-24:00');
    expect(
      Object.entries(wrap)
        .filter(([, w]) => w.length > 0)
        .map(([d]) => d),
    ).toEqual(['mon', 'fri', 'sat', 'sun']);
    expect(wrap.fri).toEqual([{ startMinutes: 600, endMinutes: 1440 }]);
  });

  it.each([
    ['Mon-Fri 17:30-09:00', 'must end after it starts'],
    ['Mon-Fri 09:00-09:00', 'must end after it starts'],
    ['Mon-Fry 09:00-17:00', '"Fry"'],
    ['Mon-Fri 09:00-25:00', '24-hour clock'],
    ['Mon-Fri 09:60-17:00', '24-hour clock'],
    ['Mon-Fri 9-5', 'must look like'],
  ])('refuses %s with a ConfigError naming the variable', (text, why) => {
    expect(() => parseWorkingHours(text)).toThrow(ConfigError);
    expect(() => parseWorkingHours(text)).toThrow(/^WORKING_HOURS: .*/);
    expect(() => parseWorkingHours(text)).toThrow(why);
  });
});

describe('working windows in UTC', () => {
  const everyDay = parseWorkingHours('Mon-Sun 09:00-17:30');

  it('places a Berlin working week in UTC and skips the weekend', () => {
    const windows = workingWindows(
      { from: at('2026-03-02T00:00:00Z'), to: at('2026-03-09T00:00:00Z') },
      parseWorkingHours('Mon-Fri 09:00-17:30'),
      'Europe/Berlin',
    );
    expect(windows.map(iso)).toEqual(
      [2, 3, 4, 5, 6].map((d) => [`2026-03-0${d}T08:00:00.000Z`, `2026-03-0${d}T16:30:00.000Z`]),
    );
  });

  it.each([
    ['Europe/Berlin', '2026-03-28', '2026-03-28T08:00:00.000Z', '2026-03-28T16:30:00.000Z'],
    ['Europe/Berlin', '2026-03-29', '2026-03-29T07:00:00.000Z', '2026-03-29T15:30:00.000Z'],
    ['Europe/Berlin', '2026-10-24', '2026-10-24T07:00:00.000Z', '2026-10-24T15:30:00.000Z'],
    ['Europe/Berlin', '2026-10-25', '2026-10-25T08:00:00.000Z', '2026-10-25T16:30:00.000Z'],
    ['America/New_York', '2026-03-07', '2026-03-07T14:00:00.000Z', '2026-03-07T22:30:00.000Z'],
    ['America/New_York', '2026-03-08', '2026-03-08T13:00:00.000Z', '2026-03-08T21:30:00.000Z'],
    ['America/New_York', '2026-10-31', '2026-10-31T13:00:00.000Z', '2026-10-31T21:30:00.000Z'],
    ['America/New_York', '2026-11-01', '2026-11-01T14:00:00.000Z', '2026-11-01T22:30:00.000Z'],
  ])('keeps 09:00–17:30 local in %s on %s, around the daylight-saving switch', (zone, day, start, end) => {
    const from = at(`${day}T00:00:00Z`);
    const windows = workingWindows(
      { from: new Date(from.getTime() - 43_200_000), to: new Date(from.getTime() + 129_600_000) },
      everyDay,
      zone,
    );
    expect(windows.map(iso)).toContainEqual([start, end]);
  });

  it('makes a window across the switch an hour shorter in spring and an hour longer in autumn', () => {
    const night = parseWorkingHours('Sun 00:00-06:00');
    const spring = workingWindows(
      { from: at('2026-03-28T00:00:00Z'), to: at('2026-03-30T00:00:00Z') },
      night,
      'Europe/Berlin',
    );
    const autumn = workingWindows(
      { from: at('2026-10-24T00:00:00Z'), to: at('2026-10-26T00:00:00Z') },
      night,
      'Europe/Berlin',
    );
    expect(spring.map(iso)).toEqual([['2026-03-28T23:00:00.000Z', '2026-03-29T04:00:00.000Z']]);
    expect(autumn.map(iso)).toEqual([['2026-10-24T22:00:00.000Z', '2026-10-25T05:00:00.000Z']]);
  });

  it('moves a window edge that the spring-forward switch skips to the moment of the switch', () => {
    const spring = { from: at('2026-03-28T12:00:00Z'), to: at('2026-03-29T12:00:00Z') };
    const late = workingWindows(spring, parseWorkingHours('Sun 02:30-04:00'), 'Europe/Berlin');
    const early = workingWindows(spring, parseWorkingHours('Sun 01:00-02:30'), 'Europe/Berlin');
    expect(late.map(iso)).toEqual([['2026-03-29T01:00:00.000Z', '2026-03-29T02:00:00.000Z']]);
    expect(early.map(iso)).toEqual([['2026-03-29T00:00:00.000Z', '2026-03-29T01:00:00.000Z']]);
  });

  it('starts a window in the repeated autumn hour at its first occurrence', () => {
    const autumn = { from: at('2026-10-24T12:00:00Z'), to: at('2026-10-25T12:00:00Z') };
    const windows = workingWindows(autumn, parseWorkingHours('Sun 02:30-04:00'), 'Europe/Berlin');
    expect(windows.map(iso)).toEqual([['2026-10-25T00:30:00.000Z', '2026-10-25T03:00:00.000Z']]);
  });

  it('clips the windows to the range', () => {
    const windows = workingWindows(
      { from: at('2026-03-02T12:00:00Z'), to: at('2026-03-03T10:00:00Z') },
      parseWorkingHours('Mon-Fri 09:00-17:30'),
      'Europe/Berlin',
    );
    expect(windows.map(iso)).toEqual([
      ['2026-03-02T12:00:00.000Z', '2026-03-02T16:30:00.000Z'],
      ['2026-03-03T08:00:00.000Z', '2026-03-03T10:00:00.000Z'],
    ]);
  });
});
