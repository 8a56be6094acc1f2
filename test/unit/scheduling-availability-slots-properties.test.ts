import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { meetingAllowed } from '../../src/skills/instructions/instruction.match.ts';
import { localTime } from '../../src/skills/instructions/instruction.zone.ts';
import { type FreeSlotsInput, freeSlots } from '../../src/skills/scheduling/availability/slots.ts';
import { allowedByRules } from '../../src/skills/scheduling/availability/standing-rules.ts';
import { parseWorkingHours } from '../../src/skills/scheduling/availability/working-hours.ts';
import {
  arbIntervals,
  arbRange,
  arbRule,
  arbWorking,
  arbZone,
  clashes,
  DAY_NAMES,
  hhmm,
  insideWorkingHours,
  MIN,
  onGrid,
  place,
} from '../fixtures/scheduling/arbitraries.ts';

describe('free slots over random calendars (property-based)', () => {
  it('every slot is inside working hours, on the grid, of the asked length, in the range, clear of busy and held time with the buffer, and allowed', () => {
    fc.assert(
      fc.property(
        fc.record({
          zone: arbZone,
          range: arbRange(0, 10),
          working: arbWorking(),
          duration: fc.integer({ min: 5, max: 240 }),
          step: fc.constantFrom(5, 10, 15, 20, 30, 45, 60),
          buffer: fc.integer({ min: 0, max: 60 }),
          busy: arbIntervals(25),
          held: arbIntervals(5),
          rules: arbRule,
          limit: fc.integer({ min: 1, max: 20 }),
          perDay: fc.integer({ min: 1, max: 3 }),
        }),
        (c) => {
          const busy = place(c.range, c.busy);
          const held = place(c.range, c.held);
          const input: FreeSlotsInput = {
            range: c.range,
            durationMinutes: c.duration,
            bufferMinutes: c.buffer,
            stepMinutes: c.step,
            zone: c.zone,
            workingHours: c.working.spec,
            busy,
            held,
            limit: c.limit,
            perDay: c.perDay,
            ...(c.rules ? { allowed: allowedByRules(c.rules, c.zone) } : {}),
          };
          const slots = freeSlots(input);
          expect(slots.length).toBeLessThanOrEqual(c.limit);
          for (const [i, s] of slots.entries()) {
            expect(s.end.getTime() - s.start.getTime()).toBe(c.duration * MIN);
            expect(s.start >= c.range.from && s.end <= c.range.to).toBe(true);
            expect(insideWorkingHours(s, c.working.spec, c.zone)).toBe(true);
            expect(onGrid(s, c.zone, c.step)).toBe(true);
            expect(clashes(s, [...busy, ...held], c.buffer)).toBe(false);
            if (c.rules) expect(meetingAllowed(c.rules, s.start, s.end, c.zone).allowed).toBe(true);
            if (i > 0) expect(s.start.getTime()).toBeGreaterThan(slots[i - 1]!.start.getTime());
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('with no busy time and a window that fits the meeting, at least one slot is found', () => {
    fc.assert(
      fc.property(
        fc.record({
          zone: arbZone,
          range: arbRange(15, 20),
          duration: fc.integer({ min: 5, max: 240 }),
          step: fc.constantFrom(5, 10, 15, 20, 30, 45, 60),
          days: fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
          start: fc.integer({ min: 0, max: 1439 }),
          slack: fc.integer({ min: 0, max: 600 }),
        }),
        (c) => {
          const end = c.start + c.duration + c.step + c.slack;
          fc.pre(end <= 1440);
          const text = `${c.days.map((d) => DAY_NAMES[d]).join(',')} ${hhmm(c.start)}-${hhmm(end)}`;
          const slots = freeSlots({
            range: c.range,
            durationMinutes: c.duration,
            bufferMinutes: 0,
            stepMinutes: c.step,
            zone: c.zone,
            workingHours: parseWorkingHours(text),
            busy: [],
            held: [],
            limit: 3,
          });
          expect(slots.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('without a limit, every free grid time is offered or overlaps an offered slot', () => {
    fc.assert(
      fc.property(
        fc.record({
          zone: arbZone,
          range: arbRange(0, 4),
          working: arbWorking(),
          duration: fc.integer({ min: 15, max: 180 }),
          step: fc.constantFrom(15, 30, 45, 60),
          buffer: fc.constantFrom(0, 5, 15),
          busy: arbIntervals(15),
        }),
        (c) => {
          const busy = place(c.range, c.busy);
          const slots = freeSlots({
            range: c.range,
            durationMinutes: c.duration,
            bufferMinutes: c.buffer,
            stepMinutes: c.step,
            zone: c.zone,
            workingHours: c.working.spec,
            busy,
            held: [],
            limit: 10_000,
            perDay: 10_000,
          });
          const first = Math.ceil(c.range.from.getTime() / (15 * MIN)) * 15 * MIN;
          for (let t = first; t + c.duration * MIN <= c.range.to.getTime(); t += 15 * MIN) {
            const slot = { start: new Date(t), end: new Date(t + c.duration * MIN) };
            const here = localTime(slot.start, c.zone);
            // The second reading of a repeated autumn hour is never offered: the first one is.
            const repeated = [30, 60].some((back) => {
              const earlier = localTime(new Date(t - back * MIN), c.zone);
              return earlier.dayNumber === here.dayNumber && earlier.minutes === here.minutes;
            });
            // A slot across a DST change is only checked for safety (first property), not here.
            const endLocal = localTime(new Date(slot.end.getTime() - 1), c.zone);
            const wallLength =
              (endLocal.dayNumber - here.dayNumber) * 1440 + endLocal.minutes + 1 - here.minutes;
            if (repeated || wallLength !== c.duration || !onGrid(slot, c.zone, c.step)) continue;
            if (!insideWorkingHours(slot, c.working.spec, c.zone) || clashes(slot, busy, c.buffer)) continue;
            expect(slots.some((s) => s.start < slot.end && slot.start < s.end)).toBe(true);
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
