import { mondayOf } from './understand.calendar.ts';
import { OPEN_RANGE_DAYS } from './understand.model.ts';

/**
 * The word before a date that turns it into a range: "before April 2" (up to the day before),
 * "by the 25th" (up to and with it), "after the 15th" (from the day after), "from Monday"
 * (from it), "the week of the 24th" (that working week). Open ends run OPEN_RANGE_DAYS.
 * "before the board meeting on the 20th" counts as before: the event is on that day. Pure.
 */

export type Qualifier = 'before' | 'by' | 'after' | 'from' | 'weekOf';

const RULES: Array<[RegExp, Qualifier]> = [
  [/\b(?:the\s+)?week of\s+(?:the\s+)?$/i, 'weekOf'],
  [/\b(?:before|until|till|prior to|ahead of)\s+(?:the\s+|this\s+|next\s+)?$/i, 'before'],
  [/\b(?:before|ahead of)\s+(?:the|our|my|your)\s+(?:[\w-]+\s+){1,3}on\s+(?:the\s+)?$/i, 'before'],
  [/\b(?:by|no later than|latest)\s+(?:the\s+|this\s+|next\s+)?$/i, 'by'],
  [/\bafter\s+(?:the\s+|this\s+|next\s+)?$/i, 'after'],
  [/\b(?:from|starting|beginning|as of)\s+(?:on\s+)?(?:the\s+|this\s+|next\s+)?$/i, 'from'],
];

/** The qualifier written just before a date mention, given the text before it. */
export function qualifierBefore(textBefore: string): Qualifier | null {
  const tail = textBefore.slice(-60);
  for (const [re, q] of RULES) if (re.test(tail)) return q;
  return null;
}

/** The days a qualified date allows, or [day, day] without a qualifier. */
export function qualifiedRange(q: Qualifier | null, day: number, today: number): [number, number] {
  switch (q) {
    case 'before':
      return [today, day - 1];
    case 'by':
      return [today, day];
    case 'after':
      return [day + 1, day + OPEN_RANGE_DAYS];
    case 'from':
      return [day, day + OPEN_RANGE_DAYS - 1];
    case 'weekOf':
      return [mondayOf(day), mondayOf(day) + 4];
    default:
      return [day, day];
  }
}
