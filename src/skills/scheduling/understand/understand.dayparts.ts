import { minutesOf, parseClock, TIME } from '../../instructions/instruction.when.ts';
import type { Daypart } from './understand.model.ts';

/**
 * Times of day a writer allows: words ("afternoon", "Thurs a.m.", "after lunch", "tonight") and
 * clock times ("at 3pm" is an afternoon, "before 4pm" a morning or afternoon). Ruled out parts
 * ("mornings are hard", "not evenings") leave the others. Morning ends at noon and afternoon at
 * 17:00. A clock time without am/pm from 1 to 6 is read as afternoon: nobody meets at 3 am. Pure.
 */

const ORDER: Daypart[] = ['morning', 'afternoon', 'evening'];
const WORDS: Array<[RegExp, Daypart]> = [
  [/\b(?:mornings?|before noon|before lunch|breakfast)\b|(?<![\w.])a\.m\.(?!\w)/gi, 'morning'],
  [/\b(?:afternoons?|after lunch|end of (?:the )?day)\b|(?<![\w.])p\.m\.(?!\w)/gi, 'afternoon'],
  [/\b(?:evenings?|tonight|after work|dinner|drinks)\b/gi, 'evening'],
];
const RULED_OUT_AFTER =
  /^\s*(?:my time\s+)?(?:are|is)?\s*(?:hard|difficult|bad|tough|out|impossible|no good|not good|don'?t work|do not work|busy|booked)\b/i;
const RULED_OUT_BEFORE = /\b(?:no|not|except|avoid|but not|other than)\s+(?:in the\s+)?$/i;
/** What follows a number that is a date or a quantity rather than a clock time ("after 5 days", "from 14-16 May"). */
const NOT_A_CLOCK =
  /^\s*(?:st|nd|rd|th|days?|weeks?|months?|years?|min|minutes?|mins|hours?|hrs?|people|%|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\b|^[/\d]/i;
const CLOCK = new RegExp(
  `\\b(at|after|before|from|around|by|until)\\s+(${TIME})(?:\\s*(?:-|–|to|and)\\s*(${TIME}))?`,
  'gi',
);

export interface DaypartFinding {
  dayparts: Daypart[];
  reasons: string[];
}

function clockMinutes(raw: string): number | null {
  const hhmm = parseClock(raw);
  if (hhmm === null) return null;
  const m = minutesOf(hhmm);
  return /[ap]\.?m/i.test(raw) || m >= 7 * 60 || m === 0 ? m : m + 12 * 60;
}

function partsBetween(from: number, to: number): Daypart[] {
  const bounds: Array<[Daypart, number, number]> = [
    ['morning', 0, 720],
    ['afternoon', 720, 1020],
    ['evening', 1020, 1440],
  ];
  return bounds.filter(([, s, e]) => from < e && to > s).map(([p]) => p);
}

function clockParts(word: string, a: number, b: number | null): Daypart[] {
  if (b !== null) return partsBetween(a, b);
  if (word === 'after' || word === 'from') return partsBetween(a, Math.max(a + 1, 1020));
  if (word === 'before' || word === 'until' || word === 'by') return partsBetween(480, a);
  return partsBetween(a, a + 1);
}

/** The dayparts `text` allows, in day order; empty when it says nothing about the time of day. */
export function daypartsIn(text: string): DaypartFinding {
  const allowed = new Set<Daypart>();
  const ruledOut = new Set<Daypart>();
  const reasons: string[] = [];
  for (const [re, part] of WORDS) {
    for (const m of text.matchAll(re)) {
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 30);
      const before = text.slice(Math.max(0, m.index - 20), m.index);
      const out = RULED_OUT_AFTER.test(after) || RULED_OUT_BEFORE.test(before);
      (out ? ruledOut : allowed).add(part);
      reasons.push(`"${m[0]}": ${out ? 'not ' : ''}${part}`);
    }
  }
  for (const m of text.matchAll(CLOCK)) {
    if (NOT_A_CLOCK.test(text.slice(m.index + m[0].length))) continue;
    const a = clockMinutes(m[2] ?? '');
    const b = m[3] === undefined ? null : clockMinutes(m[3]);
    if (a === null) continue;
    const parts = clockParts((m[1] ?? '').toLowerCase(), a, b);
    for (const p of parts) allowed.add(p);
    if (parts.length > 0) reasons.push(`"${m[0].trim()}": ${parts.join(' or ')}`);
  }
  const result =
    allowed.size > 0
      ? ORDER.filter((p) => allowed.has(p) && !ruledOut.has(p))
      : ORDER.filter((p) => ruledOut.size > 0 && !ruledOut.has(p));
  return { dayparts: result, reasons };
}
