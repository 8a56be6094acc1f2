import ICAL from 'ical.js';
import type { WallTime } from './zone-clock.ts';

/**
 * Bounded RRULE expansion. ical.js iterates a rule in the wall clock of its DTSTART (RFC 5545
 * §3.3.10: a weekly 09:00 stays 09:00 across DST), but some impossible rules
 * (`FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`) make its `next()` loop forever, and a legal
 * `FREQ=SECONDLY` rule from 1970 has billions of instances before today. So every candidate the
 * iterator tests is counted and the expansion stops at a step limit; the caller reports the cut.
 * The rule is iterated on a UTC clock holding the wall-clock fields ("fake UTC"), which keeps
 * ical.js away from feed-defined zones; the caller converts each start to an instant. Pure.
 */

/** A recurrence start: the wall-clock fields, and the same as fake-UTC epoch ms for ordering. */
export interface WallStart {
  wall: WallTime;
  wallMs: number;
  isDate: boolean;
}

/** Steps a caller may still spend; shared by every rule in one feed. */
export interface StepBudget {
  left: number;
}

/** Why an expansion ended before the rule did. */
export type Cut = 'step-limit' | 'invalid-rule';

export function wallMs(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

class StepLimit extends Error {}

/**
 * Yields the starts of `rule` from `dtstart` in order, until the rule ends, a start's wall clock
 * passes `stopWallMs`, or `maxSteps` (or the shared budget) is spent. The rule's UNTIL is ignored
 * here: it is an instant (or a date) the caller compares in the right zone. Returns why it stopped
 * early, or null.
 */
export function* ruleStarts(
  rule: ICAL.Recur,
  dtstart: WallTime,
  isDate: boolean,
  opts: { stopWallMs: number; maxSteps: number; budget: StepBudget },
): Generator<WallStart, Cut | null> {
  // The feed's UNTIL is replaced by the stop: it also bounds ical.js's search for a first year
  // in which an impossible yearly rule matches, which otherwise runs to the year 20000.
  const until = ICAL.Time.fromJSDate(new Date(opts.stopWallMs), true);
  const bare = ICAL.Recur.fromData({ ...rule.toJSON(), until });
  const start = ICAL.Time.fromData({ ...dtstart, isDate }, ICAL.Timezone.utcTimezone);
  let steps = 0;
  let iterator: ICAL.RecurIterator;
  try {
    iterator = bare.iterator(start);
  } catch {
    return 'invalid-rule';
  }
  const check = iterator.check_contracting_rules.bind(iterator);
  // Every pass of ical.js's search loop calls this first: counting it bounds `next()`.
  iterator.check_contracting_rules = () => {
    if (++steps > opts.maxSteps || --opts.budget.left < 0) throw new StepLimit();
    return check();
  };
  for (;;) {
    let next: ICAL.Time | null;
    try {
      next = iterator.next();
    } catch (err) {
      return err instanceof StepLimit ? 'step-limit' : 'invalid-rule';
    }
    if (!next) return null;
    const wall: WallTime = {
      year: next.year,
      month: next.month,
      day: next.day,
      hour: isDate ? 0 : next.hour,
      minute: isDate ? 0 : next.minute,
      second: isDate ? 0 : next.second,
    };
    const ms = wallMs(wall);
    if (ms > opts.stopWallMs) return null;
    yield { wall, wallMs: ms, isDate };
  }
}
