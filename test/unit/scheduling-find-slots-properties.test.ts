import fc from 'fast-check';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { StandingRule, WEEKDAYS } from '../../src/skills/instructions/instruction.model.ts';
import type { IcsFetchResult } from '../../src/skills/scheduling/availability/ics-fetch.ts';
import type { Interval } from '../../src/skills/scheduling/availability/interval.ts';
import type { Slot } from '../../src/skills/scheduling/availability/slots.ts';
import {
  findSlots,
  type SlotAnswer,
  type SlotQuery,
} from '../../src/skills/scheduling/meeting/meeting.availability.ts';
import { type Daypart, OPEN_RANGE_DAYS } from '../../src/skills/scheduling/understand/understand.model.ts';
import { eml, memoryDb, resetDb, store, testConfig } from '../support/pglite.ts';

/**
 * The wired slot finder, end to end and property-based: random configuration (zone, working
 * hours, buffer, notice, slot count, one or two calendar URLs), random ICS feeds served through
 * the injected `fetchIcs` (single events in UTC, in an IANA TZID, in a TZID defined by a
 * VTIMEZONE — also under an Outlook-style name — or floating; all-day events; weekly series with
 * EXDATEs, UNTIL or COUNT and a moved instance; cancelled and "free" events), random meetings
 * deskhand holds in PGlite (booked, offers whose proposal is alive or dead), random standing rules
 * (some undone) and a random query. Every check is computed here from what the generators made —
 * the feeds' instances, the holds, the rules and the working hours are re-derived with luxon,
 * never read back through the code under test.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY_NAMES = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const hhmm = (m: number) =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Europe/London',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'America/Los_Angeles',
  'Asia/Tokyo',
  'UTC',
];
const DST_ZONES = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney'];
/** 2026 switch days per zone (spring forward, fall back). */
const DST_DAYS: Record<string, string[]> = {
  'Europe/Berlin': ['2026-03-29', '2026-10-25'],
  'America/New_York': ['2026-03-08', '2026-11-01'],
  'Australia/Sydney': ['2026-04-05', '2026-10-04'],
};

/** Hand-written VTIMEZONEs (2026 rules) and the Outlook names feeds use for them. */
const VTZ: Record<string, { outlook: string; lines: string[] }> = {
  'Europe/Berlin': {
    outlook: 'W. Europe Standard Time',
    lines: [
      'BEGIN:DAYLIGHT',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'TZNAME:CEST',
      'DTSTART:19700329T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'TZNAME:CET',
      'DTSTART:19701025T030000',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'END:STANDARD',
    ],
  },
  'America/New_York': {
    outlook: 'Eastern Standard Time',
    lines: [
      'BEGIN:DAYLIGHT',
      'TZOFFSETFROM:-0500',
      'TZOFFSETTO:-0400',
      'TZNAME:EDT',
      'DTSTART:19700308T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'TZOFFSETFROM:-0400',
      'TZOFFSETTO:-0500',
      'TZNAME:EST',
      'DTSTART:19701101T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
      'END:STANDARD',
    ],
  },
  'Australia/Sydney': {
    outlook: 'AUS Eastern Standard Time',
    lines: [
      'BEGIN:STANDARD',
      'TZOFFSETFROM:+1100',
      'TZOFFSETTO:+1000',
      'TZNAME:AEST',
      'DTSTART:19700405T030000',
      'RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'TZOFFSETFROM:+1000',
      'TZOFFSETTO:+1100',
      'TZNAME:AEDT',
      'DTSTART:19701004T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU',
      'END:DAYLIGHT',
    ],
  },
  'Asia/Kolkata': {
    outlook: 'India Standard Time',
    lines: [
      'BEGIN:STANDARD',
      'TZOFFSETFROM:+0530',
      'TZOFFSETTO:+0530',
      'TZNAME:IST',
      'DTSTART:19700101T000000',
      'END:STANDARD',
    ],
  },
};

// ---------------------------------------------------------------------------------------------
// Calendar feeds

type Style = 'utc' | 'tzid' | 'vtimezone' | 'outlook' | 'floating';
type Show = 'busy' | 'cancelled' | 'free';

interface SeriesSpec {
  count: number;
  interval: 1 | 2;
  weeksBefore: number;
  exdates: number[];
  exUtc: boolean;
  until: boolean;
  moved: { k: number; dayShift: number; minute: number } | null;
}

interface TimedEvent {
  allDay: false;
  style: Style;
  /** The IANA zone of a TZID (for `tzid`, `vtimezone`, `outlook`). */
  zone: string;
  /** Days after the local date of "now" on the event's clock. */
  day: number;
  /** Local start, minutes since midnight. Zoned events start 06:00–20:00, clear of DST changes. */
  minute: number;
  minutes: number;
  show: Show;
  series: SeriesSpec | null;
}

interface AllDayEvent {
  allDay: true;
  /** Days after the owner's local date of "now". */
  day: number;
  days: number;
  show: Show;
}

type EventSpec = TimedEvent | AllDayEvent;
type Feed = EventSpec[];

const arbShow = fc.constantFrom<Show>('busy', 'busy', 'busy', 'busy', 'cancelled', 'free');

const arbSeries = fc.record({
  count: fc.integer({ min: 1, max: 10 }),
  interval: fc.constantFrom<1 | 2>(1, 1, 2),
  weeksBefore: fc.integer({ min: 0, max: 4 }),
  exdates: fc.uniqueArray(fc.nat(9), { maxLength: 3 }),
  exUtc: fc.boolean(),
  until: fc.boolean(),
  moved: fc.option(
    fc.record({
      k: fc.nat(9),
      dayShift: fc.integer({ min: -1, max: 2 }),
      minute: fc.integer({ min: 24, max: 80 }).map((q) => q * 15),
    }),
    { nil: null },
  ),
});

const arbTimed = (zones: string[]): fc.Arbitrary<TimedEvent> =>
  fc.constantFrom<Style>('utc', 'tzid', 'tzid', 'vtimezone', 'outlook', 'floating').chain((style) =>
    fc.record({
      allDay: fc.constant(false as const),
      style: fc.constant(style),
      zone:
        style === 'vtimezone' || style === 'outlook'
          ? fc.constantFrom(...Object.keys(VTZ).filter((z) => zones.includes(z) || zones.length > 3))
          : fc.constantFrom(...zones),
      day: fc.integer({ min: -2, max: 16 }),
      // UTC has no DST: any quarter hour. Local clocks: 06:00–20:00, so start and end (≤ 23:00)
      // are never skipped nor repeated by a DST change and their reading is unambiguous.
      minute:
        style === 'utc'
          ? fc.integer({ min: 0, max: 95 }).map((q) => q * 15)
          : fc.integer({ min: 24, max: 80 }).map((q) => q * 15),
      minutes: fc.integer({ min: 1, max: 12 }).map((q) => q * 15),
      show: arbShow,
      series: fc.option(arbSeries, { nil: null, freq: 2 }),
    }),
  );

const arbAllDay: fc.Arbitrary<AllDayEvent> = fc.record({
  allDay: fc.constant(true as const),
  day: fc.integer({ min: -1, max: 16 }),
  days: fc.integer({ min: 1, max: 2 }),
  show: arbShow,
});

const arbFeed = (zones: string[], max: number): fc.Arbitrary<Feed> =>
  fc.array(fc.oneof({ weight: 12, arbitrary: arbTimed(zones) }, { weight: 1, arbitrary: arbAllDay }), {
    maxLength: max,
  });

const clockOf = (e: TimedEvent, owner: string) =>
  e.style === 'utc' ? 'UTC' : e.style === 'floating' ? owner : e.zone;

const local = (t: DateTime) => t.toFormat("yyyyMMdd'T'HHmmss");
const utc = (t: DateTime) => `${local(t.toUTC())}Z`;

function stamp(t: DateTime, e: TimedEvent): string {
  switch (e.style) {
    case 'utc':
      return `:${utc(t)}`;
    case 'floating':
      return `:${local(t)}`;
    case 'outlook':
      return `;TZID=${VTZ[e.zone]!.outlook}:${local(t)}`;
    default:
      return `;TZID=${e.zone}:${local(t)}`;
  }
}

/** The first start of a timed event (its series' DTSTART), on the event's own clock. */
function firstStart(e: TimedEvent, owner: string, now: number): DateTime {
  const clock = clockOf(e, owner);
  return DateTime.fromMillis(now, { zone: clock })
    .startOf('day')
    .plus({ days: e.day - (e.series ? e.series.weeksBefore * 7 : 0) })
    .set({ hour: Math.floor(e.minute / 60), minute: e.minute % 60 });
}

/** Instance k of a series: the same wall time k weeks (times the interval) later. */
const nth = (first: DateTime, s: SeriesSpec, k: number) => first.plus({ weeks: k * s.interval });

function movedStart(first: DateTime, s: SeriesSpec): DateTime | null {
  if (!s.moved || s.moved.k >= s.count) return null;
  return nth(first, s, s.moved.k)
    .plus({ days: s.moved.dayShift })
    .set({ hour: Math.floor(s.moved.minute / 60), minute: s.moved.minute % 60 });
}

const exdatesOf = (s: SeriesSpec) => s.exdates.filter((k) => k < s.count && k !== s.moved?.k);

function showLines(show: Show): string[] {
  if (show === 'cancelled') return ['STATUS:CANCELLED'];
  if (show === 'free') return ['TRANSP:TRANSPARENT'];
  return [];
}

function eventLines(e: EventSpec, i: number, owner: string, now: number): string[] {
  const head = ['BEGIN:VEVENT', `UID:${i}@feed.example`, 'DTSTAMP:20260101T000000Z', `SUMMARY:event ${i}`];
  if (e.allDay) {
    const d = DateTime.fromMillis(now, { zone: owner }).startOf('day').plus({ days: e.day });
    return [
      ...head,
      `DTSTART;VALUE=DATE:${d.toFormat('yyyyMMdd')}`,
      `DTEND;VALUE=DATE:${d.plus({ days: e.days }).toFormat('yyyyMMdd')}`,
      ...showLines(e.show),
      'END:VEVENT',
    ];
  }
  const first = firstStart(e, owner, now);
  const s = e.series;
  const lines = [
    ...head,
    `DTSTART${stamp(first, e)}`,
    `DTEND${stamp(first.plus({ minutes: e.minutes }), e)}`,
    ...showLines(e.show),
  ];
  if (!s) return [...lines, 'END:VEVENT'];
  const last = nth(first, s, s.count - 1);
  const end = s.until ? `UNTIL=${e.style === 'floating' ? local(last) : utc(last)}` : `COUNT=${s.count}`;
  lines.push(`RRULE:FREQ=WEEKLY;INTERVAL=${s.interval};${end}`);
  for (const k of exdatesOf(s)) {
    const t = nth(first, s, k);
    lines.push(s.exUtc && e.style !== 'floating' ? `EXDATE:${utc(t)}` : `EXDATE${stamp(t, e)}`);
  }
  lines.push('END:VEVENT');
  const moved = movedStart(first, s);
  if (moved) {
    lines.push(
      ...head,
      `RECURRENCE-ID${stamp(nth(first, s, s.moved!.k), e)}`,
      `DTSTART${stamp(moved, e)}`,
      `DTEND${stamp(moved.plus({ minutes: e.minutes }), e)}`,
      ...showLines(e.show),
      'END:VEVENT',
    );
  }
  return lines;
}

function icsOf(feed: Feed, owner: string, now: number): string {
  const defined = new Map<string, string>();
  for (const e of feed) {
    if (e.allDay) continue;
    if (e.style === 'vtimezone') defined.set(e.zone, e.zone);
    if (e.style === 'outlook') defined.set(VTZ[e.zone]!.outlook, e.zone);
  }
  const zoneBlocks = [...defined].flatMap(([tzid, iana]) => [
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    ...VTZ[iana]!.lines,
    'END:VTIMEZONE',
  ]);
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//deskhand//property test//EN',
    ...zoneBlocks,
    ...feed.flatMap((e, i) => eventLines(e, i, owner, now)),
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

/** Every interval the feed makes busy, from the generator's own knowledge of what it wrote. */
function busyOf(feed: Feed, owner: string, now: number): Interval[] {
  const out: Interval[] = [];
  const add = (a: DateTime, b: DateTime) => out.push({ start: a.toJSDate(), end: b.toJSDate() });
  for (const e of feed) {
    if (e.show !== 'busy') continue;
    if (e.allDay) {
      const d = DateTime.fromMillis(now, { zone: owner }).startOf('day').plus({ days: e.day });
      add(d, d.plus({ days: e.days }));
      continue;
    }
    const first = firstStart(e, owner, now);
    const s = e.series;
    if (!s) {
      add(first, first.plus({ minutes: e.minutes }));
      continue;
    }
    const gone = new Set(exdatesOf(s));
    const moved = movedStart(first, s);
    for (let k = 0; k < s.count; k++) {
      if (gone.has(k) || (moved && k === s.moved!.k)) continue;
      const t = nth(first, s, k);
      add(t, t.plus({ minutes: e.minutes }));
    }
    if (moved) add(moved, moved.plus({ minutes: e.minutes }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Meetings deskhand holds

type MeetingStatus = 'booked' | 'proposing' | 'clarifying' | 'cancelled' | 'released';
type ProposalStatus =
  | 'awaiting_approval'
  | 'needs_input'
  | 'approved'
  | 'executed'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'superseded';
/** An offer holds its slots while its proposal waits for the owner or went out (DESIGN). */
const LIVE: ProposalStatus[] = ['awaiting_approval', 'needs_input', 'approved', 'executed'];
const DEAD: ProposalStatus[] = ['rejected', 'expired'];

/** Quarter hours after "now" rounded down to the quarter hour, and a length in quarter hours. */
interface HoldSpec {
  at: number;
  quarters: number;
}

interface MeetingSpec {
  status: MeetingStatus;
  booked: HoldSpec;
  offered: HoldSpec[];
  proposal: ProposalStatus | null;
}

const arbHold: fc.Arbitrary<HoldSpec> = fc.record({
  at: fc.integer({ min: -96, max: 16 * 96 }),
  quarters: fc.integer({ min: 1, max: 8 }),
});

const arbMeeting: fc.Arbitrary<MeetingSpec> = fc.record({
  status: fc.constantFrom<MeetingStatus>(
    'booked',
    'booked',
    'proposing',
    'proposing',
    'clarifying',
    'cancelled',
    'released',
  ),
  booked: arbHold,
  offered: fc.array(arbHold, { maxLength: 3 }),
  proposal: fc.option(fc.constantFrom<ProposalStatus>(...LIVE, ...LIVE, ...DEAD, 'cancelled', 'superseded'), {
    nil: null,
  }),
});

const holdInterval = (h: HoldSpec, now: number): Interval => {
  const base = Math.floor(now / (15 * MIN)) * 15 * MIN;
  return { start: new Date(base + h.at * 15 * MIN), end: new Date(base + (h.at + h.quarters) * 15 * MIN) };
};

/** What must stay held: booked meetings' times, live offers' slots; never the `except` meeting's. */
function heldOf(meetings: MeetingSpec[], except: number | null, now: number): Interval[] {
  return meetings.flatMap((m, i) => {
    if (i === except || !['booked', 'proposing', 'clarifying'].includes(m.status)) return [];
    return [
      ...(m.status === 'booked' ? [holdInterval(m.booked, now)] : []),
      ...(m.proposal && LIVE.includes(m.proposal) ? m.offered.map((o) => holdInterval(o, now)) : []),
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// Standing rules

interface RuleSpec {
  days: (typeof WEEKDAYS)[number][];
  before: number | null;
  after: number | null;
  undone: boolean;
}

const arbRule: fc.Arbitrary<RuleSpec> = fc
  .record({
    days: fc.subarray([...WEEKDAYS], { maxLength: 2 }),
    before: fc.option(
      fc.integer({ min: 14, max: 24 }).map((h) => h * 30),
      { nil: null },
    ),
    after: fc.option(
      fc.integer({ min: 26, max: 40 }).map((h) => h * 30),
      { nil: null },
    ),
    undone: fc.constantFrom(false, false, false, true),
  })
  .filter((r) => r.days.length > 0 || r.before !== null || r.after !== null);

/** The owner's rule, read on the owner's clock: no blocked day touched, not too early or late. */
function ruleAllows(r: RuleSpec, s: Slot, zone: string): boolean {
  const a = DateTime.fromJSDate(s.start, { zone });
  const last = DateTime.fromMillis(s.end.getTime() - 1, { zone });
  for (let d = a.startOf('day'); d <= last; d = d.plus({ days: 1 })) {
    if (r.days.includes(WEEKDAYS[d.weekday - 1]!)) return false;
  }
  if (r.before !== null && a.hour * 60 + a.minute < r.before) return false;
  if (r.after !== null) {
    if (!last.hasSame(a, 'day')) return false;
    if (last.hour * 60 + last.minute + 1 > r.after) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Configuration and query

interface Working {
  days: number[];
  start: number;
  end: number;
  text: string;
}

const working = (days: number[], start: number, end: number): Working => ({
  days,
  start,
  end,
  text: `${days.map((d) => DAY_NAMES[d]).join(',')} ${hhmm(start)}-${hhmm(end)}`,
});

const arbWorking: fc.Arbitrary<Working> = fc.oneof(
  fc.constant(working([0, 1, 2, 3, 4], 9 * 60, 17 * 60 + 30)),
  fc
    .record({
      days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
      start: fc.integer({ min: 0, max: 80 }).map((q) => q * 15),
      length: fc.integer({ min: 4, max: 96 }).map((q) => q * 15),
    })
    .map(({ days, start, length }) => working(days, start, Math.min(1440, start + length))),
);

/** Around the night hours where the clocks change, or all day, or an ordinary day. */
const arbDstWorking: fc.Arbitrary<Working> = fc.oneof(
  fc.constant(working([0, 1, 2, 3, 4, 5, 6], 0, 1440)),
  fc.constant(working([6], 0, 6 * 60)),
  fc.constant(working([5, 6], 60, 4 * 60 + 30)),
  fc.constant(working([0, 1, 2, 3, 4, 5, 6], 8 * 60, 18 * 60)),
  arbWorking,
);

/** Inside one of the owner's windows, on the owner's clock, start and end on the same local day. */
function insideWorking(s: Slot, w: Working, zone: string): boolean {
  const a = DateTime.fromJSDate(s.start, { zone });
  const last = DateTime.fromMillis(s.end.getTime() - 1, { zone });
  if (!last.hasSame(a, 'day') || !w.days.includes(a.weekday - 1)) return false;
  // Wall-clock minutes: the window is read on the wall clock, also on a DST day.
  return a.hour * 60 + a.minute + a.second / 60 >= w.start && last.hour * 60 + last.minute + 1 <= w.end;
}

const DAYPART_HOURS: Record<Daypart, [number, number]> = {
  morning: [8, 12],
  afternoon: [12, 18],
  evening: [17, 21],
};

interface QuerySpec {
  range: { from: number; length: number } | null;
  dayparts: Daypart[];
  weekdays: number[];
  preferredWeekdays: number[];
  excludedWeekdays: number[];
  askerZone: string;
  durationMinutes: number;
  guestZones: string[];
  except: number | null;
  /** Which of the first answer's slots the second query excludes. */
  excludeMask: boolean[];
}

const arbWeekdays = (max: number) =>
  fc.oneof(fc.constant([] as number[]), fc.subarray([1, 2, 3, 4, 5, 6, 7], { minLength: 1, maxLength: max }));

const arbQuery = (zones: string[]): fc.Arbitrary<QuerySpec> =>
  fc.record({
    range: fc.option(
      fc.record({ from: fc.integer({ min: -1, max: 6 }), length: fc.integer({ min: 0, max: 4 }) }),
      { nil: null },
    ),
    dayparts: fc.oneof(
      fc.constant([] as Daypart[]),
      fc.subarray<Daypart>(['morning', 'afternoon', 'evening'], { minLength: 1 }),
    ),
    weekdays: arbWeekdays(5),
    preferredWeekdays: arbWeekdays(2),
    excludedWeekdays: fc.oneof(
      fc.constant([] as number[]),
      fc.subarray([1, 2, 3, 4, 5, 6, 7], { maxLength: 2 }),
    ),
    askerZone: fc.constantFrom(...zones),
    durationMinutes: fc.integer({ min: 15, max: 90 }),
    guestZones: fc.array(fc.constantFrom(...ZONES), { maxLength: 2 }),
    except: fc.option(fc.nat(5), { nil: null, freq: 4 }),
    excludeMask: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  });

/** The asker's "Tuesday afternoon": weekday and time of day on the asker's clock. */
function fitsAsked(s: Slot, q: QuerySpec): string | null {
  const a = DateTime.fromJSDate(s.start, { zone: q.askerZone });
  if (q.weekdays.length && !q.weekdays.includes(a.weekday)) return `weekday ${a.weekday} not asked`;
  if (q.excludedWeekdays.includes(a.weekday)) return `weekday ${a.weekday} excluded`;
  if (q.dayparts.length) {
    const day = a.startOf('day');
    const fits = q.dayparts.some((d) => {
      const [h0, h1] = DAYPART_HOURS[d];
      return s.start >= day.set({ hour: h0 }).toJSDate() && s.end <= day.set({ hour: h1 }).toJSDate();
    });
    if (!fits) {
      const end = DateTime.fromJSDate(s.end, { zone: q.askerZone });
      return `${a.toFormat('ccc HH:mm')}–${end.toFormat('ccc HH:mm')} (${q.askerZone}) is not in ${q.dayparts.join('/')}`;
    }
  }
  return null;
}

interface Case {
  now: number;
  zone: string;
  working: Working;
  buffer: number;
  slots: number;
  notice: number;
  feeds: Feed[];
  meetings: MeetingSpec[];
  rules: RuleSpec[];
  query: QuerySpec;
}

const arbNow = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 15) });

const arbCase = (o: {
  now: fc.Arbitrary<number>;
  zone: fc.Arbitrary<string>;
  working: fc.Arbitrary<Working>;
  zones: string[];
}): fc.Arbitrary<Case> =>
  fc.record({
    now: o.now,
    zone: o.zone,
    working: o.working,
    buffer: fc.constantFrom(0, 0, 5, 10, 15, 30, 45),
    slots: fc.integer({ min: 1, max: 8 }),
    notice: fc.constantFrom(0, 1, 4, 4, 12, 24, 48, 1.5),
    feeds: fc.array(arbFeed(o.zones, 10), { minLength: 1, maxLength: 2 }),
    meetings: fc.array(arbMeeting, { maxLength: 5 }),
    rules: fc.array(arbRule, { maxLength: 2 }),
    query: arbQuery(o.zones),
  });

/** DST cases: "now" up to five days before a switch of the owner's zone; ranges span the switch. */
const arbDstCase: fc.Arbitrary<Case> = fc
  .record({
    zone: fc.constantFrom(...DST_ZONES),
    pick: fc.nat(1),
    before: fc.integer({ min: 0, max: 5 * 24 * 4 }).map((q) => q * 15 * MIN + 7 * MIN),
  })
  .chain(({ zone, pick, before }) => {
    const switchDay = DateTime.fromISO(DST_DAYS[zone]![pick]!, { zone });
    const now = switchDay.toMillis() - before;
    const today = DateTime.fromMillis(now, { zone }).startOf('day');
    const toSwitch = Math.round(switchDay.diff(today, 'days').days);
    return arbCase({
      now: fc.constant(now),
      zone: fc.constant(zone),
      working: arbDstWorking,
      zones: DST_ZONES,
    }).chain((c) =>
      fc
        .option(
          fc.record({
            from: fc.integer({ min: 0, max: Math.max(0, toSwitch) }),
            after: fc.integer({ min: 0, max: 3 }),
          }),
          { nil: null },
        )
        .map((r) => ({
          ...c,
          query: {
            ...c.query,
            range: r ? { from: r.from, length: Math.max(0, toSwitch + r.after - r.from) } : null,
          },
        })),
    );
  });

// ---------------------------------------------------------------------------------------------
// Running a case

const URLS = ['https://calendar.example/owner/work.ics', 'webcal://cal.example.org/u/private.ics'];

let h: DatabaseHandle;

beforeAll(async () => {
  h = await memoryDb();
});
afterAll(async () => {
  await h.close();
});

/** Writes the case's holds and rules; returns the meetings' ids in order. */
async function seed(c: Case): Promise<string[]> {
  const need = c.meetings.length + c.rules.length;
  if (need === 0) return [];
  const raws = Array.from({ length: need }, (_, i) => eml({ messageId: `m${i}@lumen.example` }));
  const { newIds } = await store(h, raws);
  const at = new Date(c.now);
  const ids: string[] = [];
  for (const [i, m] of c.meetings.entries()) {
    let proposalId: string | null = null;
    if (m.proposal) {
      const p = await h.db
        .insertInto('proposals')
        .values({
          kind: 'meeting',
          status: m.proposal,
          idempotency_key: `offer-${i}`,
          summary: 'Offer times',
          payload: JSON.stringify({}),
          created_at: at,
          updated_at: at,
        } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      proposalId = String(p.id);
    }
    const booked = holdInterval(m.booked, c.now);
    const bookedLike = m.status === 'booked' || m.status === 'cancelled';
    const row = await h.db
      .insertInto('meetings')
      .values({
        source_message: newIds[i]!,
        uid: `meeting-${i}@deskhand.test`,
        status: m.status,
        summary: `Meeting ${i}`,
        duration_minutes: m.booked.quarters * 15,
        organizer: JSON.stringify({ name: 'Maya', email: 'maya@northwind.example' }),
        attendees: JSON.stringify([]),
        request: JSON.stringify({}),
        offered: JSON.stringify(
          m.offered.map((o, index) => {
            const s = holdInterval(o, c.now);
            return { index: index + 1, start: s.start.toISOString(), end: s.end.toISOString() };
          }),
        ),
        offer_proposal_id: proposalId,
        start_at: bookedLike ? booked.start : null,
        end_at: bookedLike ? booked.end : null,
        created_at: at,
        updated_at: at,
      } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    ids.push(String(row.id));
  }
  for (const [i, r] of c.rules.entries()) {
    const rule = StandingRule.parse({
      kind: 'no_meetings',
      days: r.days,
      before: r.before === null ? null : hhmm(r.before),
      after: r.after === null ? null : hhmm(r.after),
    });
    await h.db
      .insertInto('standing_rules')
      .values({
        kind: 'no_meetings',
        rule: JSON.stringify(rule),
        words: 'no meetings then',
        method: 'rules',
        status: r.undone ? 'undone' : 'active',
        source_message: newIds[c.meetings.length + i]!,
        created_at: at,
      } as never)
      .execute();
  }
  return ids;
}

function rangeOf(c: Case): { from: string; to: string } | null {
  const r = c.query.range;
  if (!r) return null;
  const today = DateTime.fromMillis(c.now, { zone: c.zone }).startOf('day');
  return {
    from: today.plus({ days: r.from }).toISODate()!,
    to: today.plus({ days: r.from + r.length }).toISODate()!,
  };
}

function queryOf(c: Case, ids: string[], exclude: Interval[]): SlotQuery {
  const q = c.query;
  return {
    range: rangeOf(c),
    dayparts: q.dayparts,
    weekdays: q.weekdays,
    preferredWeekdays: q.preferredWeekdays,
    excludedWeekdays: q.excludedWeekdays,
    askerZone: q.askerZone,
    durationMinutes: q.durationMinutes,
    exclude,
    except: q.except !== null && q.except < ids.length ? ids[q.except]! : null,
    guestZones: q.guestZones,
  };
}

async function ask(c: Case, query: SlotQuery): Promise<{ answer: SlotAnswer; fetched: string[] }> {
  const urls = URLS.slice(0, c.feeds.length);
  const texts = new Map(urls.map((u, i) => [u, icsOf(c.feeds[i]!, c.zone, c.now)]));
  const fetched: string[] = [];
  const config = testConfig({
    OWNER_TIMEZONE: c.zone,
    WORKING_HOURS: c.working.text,
    MEETING_BUFFER_MINUTES: String(c.buffer),
    MEETING_SLOTS: String(c.slots),
    MEETING_NOTICE_HOURS: String(c.notice),
    CALENDAR_ICS_URLS: urls.join(','),
  });
  const answer = await findSlots(
    {
      db: h.db,
      config,
      clock: { now: () => new Date(c.now) },
      fetchIcs: async (url): Promise<IcsFetchResult> => {
        fetched.push(url);
        return { ok: true, text: texts.get(url) ?? '', source: 'network', warning: null };
      },
    },
    query,
  );
  return { answer, fetched };
}

const show = (i: Interval) => `${i.start.toISOString()}–${i.end.toISOString()}`;

/** Every way the answer breaks the rules of the case; empty when it keeps them all. */
function problems(c: Case, query: SlotQuery, answer: SlotAnswer): string[] {
  const out: string[] = [];
  const busy = c.feeds.flatMap((f) => busyOf(f, c.zone, c.now));
  const except = query.except === null ? null : c.query.except;
  const held = heldOf(c.meetings, except, c.now);
  const rules = c.rules.filter((r) => !r.undone);
  const earliest = c.now + c.notice * HOUR;
  const range = query.range;
  const openEnd = DateTime.fromMillis(c.now, { zone: c.zone })
    .startOf('day')
    .plus({ days: OPEN_RANGE_DAYS + 1 })
    .toMillis();
  const pad = c.buffer * MIN;
  if (answer.slots.length > c.slots) out.push(`${answer.slots.length} slots, MEETING_SLOTS is ${c.slots}`);
  for (const s of answer.slots) {
    const at = show(s);
    const a = DateTime.fromJSDate(s.start, { zone: c.zone });
    if (s.end.getTime() - s.start.getTime() !== query.durationMinutes * MIN) out.push(`${at}: wrong length`);
    if (!insideWorking(s, c.working, c.zone))
      out.push(`${at}: outside working hours (${a.toFormat('ccc HH:mm')} ${c.zone})`);
    if (s.start.getTime() < earliest) out.push(`${at}: before now + notice`);
    if (range) {
      const last = DateTime.fromMillis(s.end.getTime() - 1, { zone: c.zone });
      if (a.toISODate()! < range.from || last.toISODate()! > range.to)
        out.push(`${at}: outside the asked days`);
    } else if (s.end.getTime() > openEnd) out.push(`${at}: beyond the open range`);
    for (const b of busy) {
      if (s.start.getTime() < b.end.getTime() + pad && b.start.getTime() - pad < s.end.getTime())
        out.push(`${at}: clashes with calendar event ${show(b)} (buffer ${c.buffer})`);
    }
    for (const b of held) {
      if (s.start.getTime() < b.end.getTime() + pad && b.start.getTime() - pad < s.end.getTime())
        out.push(`${at}: clashes with held ${show(b)} (buffer ${c.buffer})`);
    }
    for (const r of rules) if (!ruleAllows(r, s, c.zone)) out.push(`${at}: breaks rule ${JSON.stringify(r)}`);
    const asked = fitsAsked(s, c.query);
    if (asked) out.push(`${at}: ${asked}`);
    if (query.exclude.some((x) => x.start.getTime() === s.start.getTime())) out.push(`${at}: excluded`);
  }
  for (const [i, s] of answer.slots.entries()) {
    for (const t of answer.slots.slice(i + 1)) {
      if (s.start < t.end && t.start < s.end) out.push(`${show(s)} overlaps ${show(t)}`);
    }
  }
  return out;
}

/** Runs the case twice (the second time excluding some of the first answer) and checks both. */
async function check(c: Case): Promise<number> {
  await resetDb(h);
  const ids = await seed(c);
  const first = queryOf(c, ids, []);
  const one = await ask(c, first);
  // Every feed is read, unless the asked days are already over (then nothing is searched).
  if (one.fetched.length > 0)
    expect(one.fetched.toSorted()).toEqual(URLS.slice(0, c.feeds.length).toSorted());
  expect(one.answer.warnings).toEqual([]);
  expect(one.answer.unknown).toEqual([]);
  expect(problems(c, first, one.answer)).toEqual([]);
  const exclude = one.answer.slots.filter((_, i) => c.query.excludeMask[i]);
  const second = queryOf(c, ids, exclude);
  const two = await ask(c, second);
  expect(problems(c, second, two.answer)).toEqual([]);
  return one.answer.slots.length;
}

// ---------------------------------------------------------------------------------------------

/**
 * A known counterexample, always tried first: Maya works in Berlin 09:00–17:30; a guest in Sydney
 * asks for a morning. No Berlin working time is a Sydney morning, yet Berlin 13:30–14:30 (Sydney
 * 23:30–00:30) is offered: the daypart check reads the end's hour past midnight as 0.5.
 */
const SYDNEY_MORNING: Case = {
  now: Date.UTC(2026, 0, 12, 8),
  zone: 'Europe/Berlin',
  working: working([0, 1, 2, 3, 4], 9 * 60, 17 * 60 + 30),
  buffer: 10,
  slots: 3,
  notice: 4,
  feeds: [[]],
  meetings: [],
  rules: [],
  query: {
    range: null,
    dayparts: ['morning'],
    weekdays: [],
    preferredWeekdays: [],
    excludedWeekdays: [],
    askerZone: 'Australia/Sydney',
    durationMinutes: 60,
    guestZones: ['Australia/Sydney'],
    except: null,
    excludeMask: [false, false, false, false, false, false, false, false],
  },
};

describe('findSlots over random calendars, holds and rules (property-based, PGlite)', () => {
  it('every slot is in working hours, long enough, after the notice, clear of events and holds with the buffer, allowed, as asked, not excluded, and apart', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(
        arbCase({ now: arbNow, zone: fc.constantFrom(...ZONES), working: arbWorking, zones: ZONES }),
        async (c) => {
          if ((await check(c)) > 0) answered++;
        },
      ),
      { numRuns: 40, examples: [[SYDNEY_MORNING]] },
    );
    // Not vacuous: most cases offer something.
    expect(answered).toBeGreaterThan(5);
  }, 60_000);

  it('an offer the owner rejected (or let expire) blocks nothing: the same slots as with no holds', async () => {
    const arb = fc
      .record({
        now: arbNow,
        zone: fc.constantFrom(...ZONES),
        start: fc.integer({ min: 12, max: 24 }).map((h) => h * 30),
        length: fc.integer({ min: 6, max: 20 }).map((h) => h * 30),
        buffer: fc.constantFrom(0, 10, 30),
        slots: fc.integer({ min: 1, max: 8 }),
        notice: fc.constantFrom(0, 4, 24),
        inDays: fc.integer({ min: 2, max: 5 }),
        days: fc.integer({ min: 0, max: 3 }),
        dead: fc.array(fc.constantFrom<ProposalStatus>('rejected', 'rejected', 'expired'), {
          minLength: 1,
          maxLength: 3,
        }),
        blockingRuleUndone: fc.boolean(),
        duration: fc.integer({ min: 15, max: 90 }),
        askerZone: fc.constantFrom(...ZONES),
        guestZones: fc.array(fc.constantFrom(...ZONES), { maxLength: 2 }),
        noise: arbFeed(ZONES, 4),
      })
      .map((o) => {
        const today = DateTime.fromMillis(o.now, { zone: o.zone }).startOf('day');
        // Each dead offer covers every asked day whole, in pieces: were it held, nothing would fit.
        const from = today.plus({ days: o.inDays });
        const base = Math.floor(o.now / (15 * MIN)) * 15 * MIN;
        const quarter = (t: DateTime) => Math.round((t.toMillis() - base) / (15 * MIN));
        const cover: HoldSpec[] = [];
        for (let d = -1; d <= o.days + 1; d++) {
          const a = quarter(from.plus({ days: d }));
          const b = quarter(from.plus({ days: d + 1 }));
          for (let q = a; q < b; q += 8) cover.push({ at: q, quarters: Math.min(8, b - q) });
        }
        const meetings: MeetingSpec[] = o.dead.map((p, i) => ({
          status: 'proposing',
          booked: { at: 0, quarters: 1 },
          offered: cover.filter((_, k) => k % o.dead.length === i || i === 0),
          proposal: p,
        }));
        // Only events that take no time: cancelled, free, or a series whose instances are all excluded.
        const feed: Feed = o.noise.map((e) =>
          e.show === 'busy'
            ? e.allDay || !e.series
              ? { ...e, show: 'free' as const }
              : {
                  ...e,
                  series: {
                    ...e.series,
                    moved: null,
                    exdates: Array.from({ length: e.series.count }, (_, k) => k),
                  },
                }
            : e,
        );
        const c: Case = {
          now: o.now,
          zone: o.zone,
          working: working([0, 1, 2, 3, 4, 5, 6], o.start, Math.min(1440, o.start + o.length)),
          buffer: o.buffer,
          slots: o.slots,
          notice: o.notice,
          feeds: [feed],
          meetings,
          rules: o.blockingRuleUndone
            ? [{ days: [...WEEKDAYS], before: null, after: null, undone: true }]
            : [],
          query: {
            range: { from: o.inDays, length: o.days },
            dayparts: [],
            weekdays: [],
            preferredWeekdays: [],
            excludedWeekdays: [],
            askerZone: o.askerZone,
            durationMinutes: o.duration,
            guestZones: o.guestZones,
            except: null,
            excludeMask: [],
          },
        };
        return c;
      });
    await fc.assert(
      fc.asyncProperty(arb, async (c) => {
        await resetDb(h);
        const query = queryOf(c, [], []);
        const none = await ask(c, query);
        await resetDb(h);
        await seed(c);
        const dead = await ask(c, query);
        expect(dead.answer.warnings).toEqual([]);
        expect(dead.answer.slots.length).toBeGreaterThan(0);
        expect(dead.answer.slots.map(show)).toEqual(none.answer.slots.map(show));
        expect(problems(c, query, dead.answer)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('across daylight-saving changes (Berlin, New York, Sydney) every slot still keeps every rule', async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(arbDstCase, async (c) => {
        if ((await check(c)) > 0) answered++;
      }),
      { numRuns: 40 },
    );
    expect(answered).toBeGreaterThan(5);
  }, 60_000);
});
