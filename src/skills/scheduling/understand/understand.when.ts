import type { Daypart } from './understand.model.ts';
import type { MessageWhen } from './understand.range.ts';

/**
 * The when of a whole thread from the when of each message, oldest first. Everyone must attend,
 * so a later message narrows an earlier one where they overlap ("next week" then "Tuesday or
 * Wednesday" → those two days next week); where they do not, the later message is the newer
 * answer and wins. Ruled-out weekdays add up. Pure.
 */

export interface ThreadWhen {
  range: [number, number] | null;
  weekdays: number[];
  preferredWeekdays: number[];
  excludedWeekdays: number[];
  dayparts: Daypart[];
  reasons: string[];
}

function narrowList<T>(acc: T[], next: T[]): T[] {
  if (next.length === 0) return acc;
  if (acc.length === 0) return next;
  const both = acc.filter((x) => next.includes(x));
  return both.length > 0 ? both : next;
}

export function combineWhen(messages: readonly MessageWhen[]): ThreadWhen {
  const out: ThreadWhen = {
    range: null,
    weekdays: [],
    preferredWeekdays: [],
    excludedWeekdays: [],
    dayparts: [],
    reasons: [],
  };
  const excluded = new Set<number>();
  for (const w of messages) {
    if (w.range !== null) {
      const acc = out.range;
      if (acc === null) out.range = w.range;
      else if (w.range[0] <= acc[1] && w.range[1] >= acc[0]) {
        out.range = [Math.max(acc[0], w.range[0]), Math.min(acc[1], w.range[1])];
        if (out.range[0] !== acc[0] || out.range[1] !== acc[1])
          out.reasons.push('a later message narrowed the days');
      } else {
        out.range = w.range;
        out.reasons.push('a later message named other days: the later one counts');
      }
    }
    out.weekdays = narrowList(out.weekdays, w.weekdays);
    out.dayparts = narrowList(out.dayparts, w.dayparts);
    out.preferredWeekdays = narrowList(out.preferredWeekdays, w.preferredWeekdays);
    for (const d of w.excludedWeekdays) excluded.add(d);
  }
  out.excludedWeekdays = [...excluded].sort((a, b) => a - b);
  out.weekdays = out.weekdays.filter((d) => !excluded.has(d)).sort((a, b) => a - b);
  out.preferredWeekdays = out.preferredWeekdays.filter((d) => !excluded.has(d)).sort((a, b) => a - b);
  return out;
}
