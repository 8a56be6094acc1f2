/**
 * How long the meeting should be, as people write it: "30 min", "a 45-minute call", "half an
 * hour", "an hour and a half", "1h30", "15 minutes or so of your time", "5 - 10 minutes" (the
 * upper bound: the invite must fit). "Quick call" states no length: the caller uses the default
 * (MEETING_MINUTES). Times that are not lengths ("in 5 minutes", "an hour before", "10 minutes
 * late") are skipped. Pure.
 */

export interface DurationFinding {
  minutes: number;
  /** The words it was read from. */
  text: string;
}

const WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  ten: 10,
  fifteen: 15,
  twenty: 20,
  'twenty-five': 25,
  thirty: 30,
  forty: 40,
  'forty-five': 45,
  fifty: 50,
  sixty: 60,
  ninety: 90,
  'a couple of': 2,
  'couple of': 2,
};
const NUM = `(\\d+(?:\\.\\d+)?|${Object.keys(WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;
const MIN = '(?:minutes?|mins?|min)(?![a-z])';
const HOUR = '(?:hours?|hrs?|h)(?![a-z])';

/** Most specific first; each yields minutes from its groups. */
const PATTERNS: Array<[RegExp, (m: RegExpExecArray) => number]> = [
  [/(?<![a-z])(?:(?:an?|one) )?hour and a half|one and a half hours|1 1\/2 hours?/i, () => 90],
  [
    new RegExp(`(?<![\\d.])(\\d+)\\s*${HOUR}\\s*(\\d{1,2})\\s*(?:${MIN})?`, 'i'),
    (m) => n(m[1]) * 60 + n(m[2]),
  ],
  [
    new RegExp(`(?<![\\d.])(\\d+)\\s*(?:-|–|to|or)\\s*(\\d+)\\s*-?\\s*${MIN}`, 'i'),
    (m) => Math.max(n(m[1]), n(m[2])),
  ],
  [/(?<![a-z])(?:half an hour|half-hour|half hour)(?![a-z])/i, () => 30],
  [new RegExp(`(?<![a-z\\d.])${NUM}[\\s-]*${MIN}`, 'i'), (m) => n(m[1])],
  [new RegExp(`(?<![a-z\\d.])${NUM}[\\s-]*${HOUR}`, 'i'), (m) => n(m[1]) * 60],
];

/** Words around a length that make it a moment or a past fact instead. */
const NOT_AFTER =
  /^[\s-]*(?:ago|from now|late|early|earlier|later|before|after|behind|away|drive|walk|flight|ride|notice|delay|prior)/i;
const NOT_BEFORE =
  /(?:\b(?:in|within|wait|waited|every|took|lasted|spent|for the (?:first|last))\s+(?:about\s+|around\s+)?)$/i;

const QUICK =
  /\b(?:quick|short|brief)\s+(?:phone\s+|video\s+|zoom\s+)?(?:call|chat|sync|catch-?up|meeting|check-?in|touch-?base|word)\b/i;

function n(raw: string | undefined): number {
  const w = (raw ?? '').toLowerCase();
  return WORDS[w] ?? Number(w);
}

/** The first stated meeting length in `text`, 5 to 480 minutes; null when none is stated. */
export function statedDuration(text: string): DurationFinding | null {
  let best: { index: number; finding: DurationFinding } | null = null;
  for (const [re, minutesOf] of PATTERNS) {
    const global = new RegExp(re.source, 'gi');
    for (const m of text.matchAll(global)) {
      const exec = m as unknown as RegExpExecArray;
      const after = text.slice(m.index + m[0].length);
      const before = text.slice(Math.max(0, m.index - 40), m.index);
      if (NOT_AFTER.test(after) || NOT_BEFORE.test(before)) continue;
      const minutes = Math.round(minutesOf(exec));
      if (!Number.isFinite(minutes) || minutes < 5 || minutes > 480) continue;
      if (best === null || m.index < best.index)
        best = { index: m.index, finding: { minutes, text: m[0].trim() } };
      break;
    }
  }
  return best?.finding ?? null;
}

/** "quick call", "short chat": a wish for a short meeting without a length. */
export function quickMention(text: string): string | null {
  return QUICK.exec(text)?.[0] ?? null;
}
