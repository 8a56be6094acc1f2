/**
 * Reads the owner's answer to a digest: "approve 1 3, reject 2", "1 yes", "2: no", "paid 4",
 * "yes to all", "approve 1-3". Each clause (a line, or a part between ',', ';' or '.') names a verb
 * and the item numbers it applies to; a clause of numbers alone continues the previous verb
 * ("approve 1, 3"). Anything doubtful decides nothing: a number given two verbs, a negated verb
 * ("don't approve 2"), a hedge ("maybe 3", "3?"), a number the digest did not list. Pure.
 */

export type DigestVerb = 'approve' | 'reject' | 'paid';

export interface DigestAnswer {
  /** One verb per number, in the order the owner wrote them. */
  actions: Array<{ number: number; verb: DigestVerb; evidence: string }>;
  /** "approve all" / "yes to all": applies to every unflagged approval item (flagged ones need their number). */
  all: DigestVerb | null;
  /** Numbers named with two different verbs, or in a doubtful clause: nothing is done for them. */
  unclear: Array<{ number: number; why: string }>;
  /** Numbers the digest did not list. */
  unknown: number[];
}

const VERBS: Array<[RegExp, DigestVerb]> = [
  [/\b(?:mark(?:ed)?\s+(?:as\s+)?paid|paid|bezahlt|payé|pagado)\b/i, 'paid'],
  [
    /\b(?:approved?|approving|yes|yep|yeah|ok(?:ay)?|go(?:\s+ahead)?|accept(?:ed)?|confirm(?:ed)?|fine|ja|oui|sí|si)\b|👍|✅/iu,
    'approve',
  ],
  [/\b(?:reject(?:ed)?|no|nope|decline(?:d)?|drop(?:\s+it)?|deny|denied|skip|nein|non)\b|👎|❌/iu, 'reject'],
];
const NEGATION = /\b(?:don'?t|do not|not|never|no need to|won'?t)\s+(?:\w+\s+)?$/i;
const HEDGE = /\b(?:maybe|perhaps|not sure|unsure|later|wait|hold|let me (?:check|think)|vielleicht)\b|\?/i;
/** "approve all", "yes to all", "all yes": the verb right next to "all", nothing else in the clause. */
const ALL = /^(?:\W*\w+\W+(?:to\s+)?(?:all|everything)|\W*(?:all|everything)\W+\w+)\W*$/i;
/** "all except 3", "all but 2": an exception the reader does not apply, so nothing is decided. */
const EXCEPT = /\b(?:except|but|apart from|other than|save|without|not)\b/i;
/** A negation anywhere in a clause ("2 not yet", "3 dont", "do not approve 4") makes it doubtful. */
const NEGATED_CLAUSE = /\b(?:not|don'?t|dont|never|no longer|nicht|pas)\b/i;
/** A clause of numbers alone ("approve 1, 3" → "3"): digits, ranges and joiners, nothing else. */
const NUMBERS_ONLY = /^(?:\s|#|&|-|–|\d{1,2}|\band\b|\bto\b)+$/i;
// Item numbers: 1–99, not part of a time, a date, an amount or an ordinal.
const NUMBER =
  /(?<![\d.,:/€$£-])\b(\d{1,2})\b(?![\d,/%]|[.:]\d|\s*(?:am|pm|h\b|st|nd|rd|th|eur|usd|gbp|€|\$))/gi;
const RANGE = /\b(\d{1,2})\s*(?:-|–|to|through)\s*(\d{1,2})\b/gi;

function numbersIn(clause: string): number[] {
  const out: number[] = [];
  const ranged = clause.replace(RANGE, (_, a: string, b: string) => {
    const [lo, hi] = [Number(a), Number(b)];
    if (hi >= lo && hi - lo <= 50) for (let n = lo; n <= hi; n++) out.push(n);
    return ' ';
  });
  for (const m of ranged.matchAll(NUMBER)) out.push(Number(m[1]));
  return out;
}

interface VerbHit {
  verb: DigestVerb;
  at: number;
  text: string;
  negated: boolean;
}

function verbsIn(clause: string): VerbHit[] {
  const hits: VerbHit[] = [];
  let masked = clause;
  for (const [re, verb] of VERBS) {
    const g = new RegExp(re.source, `${re.flags.replace('g', '')}g`);
    for (const m of masked.matchAll(g)) {
      hits.push({ verb, at: m.index, text: m[0], negated: NEGATION.test(masked.slice(0, m.index)) });
    }
    // "mark as paid" must not also read "as" … ; mask what was matched so later verbs skip it.
    masked = masked.replace(g, (s) => ' '.repeat(s.length));
  }
  return hits.sort((a, b) => a.at - b.at);
}

export function readDigestReply(text: string, listed: ReadonlySet<number>): DigestAnswer {
  const clauses = text
    .slice(0, 5000)
    .split(/\r?\n|[;,]|\.(?!\d)/)
    .map((c) => c.trim())
    .filter(Boolean);
  const seen = new Map<number, { verb: DigestVerb; evidence: string }>();
  const unclear = new Map<number, string>();
  const unknown = new Set<number>();
  let all: DigestVerb | null = null;
  let previous: DigestVerb | null = null;
  const assign = (n: number, verb: DigestVerb, evidence: string) => {
    if (!listed.has(n)) {
      unknown.add(n);
      return;
    }
    if (unclear.has(n)) return;
    const had = seen.get(n);
    if (had && had.verb !== verb) {
      seen.delete(n);
      unclear.set(n, `given both "${had.verb}" and "${verb}"`);
      return;
    }
    if (!had) seen.set(n, { verb, evidence });
  };
  for (const clause of clauses) {
    const verbs = verbsIn(clause);
    const nums = numbersIn(clause);
    if (verbs.length === 0) {
      // "approve 1, 3": a clause of numbers alone continues the previous verb.
      if (previous && nums.length && NUMBERS_ONLY.test(clause))
        for (const n of nums) assign(n, previous, clause);
      else for (const n of nums) if (listed.has(n)) unclear.set(n, `no verb next to it ("${clause}")`);
      continue;
    }
    const doubtful =
      HEDGE.test(clause) ||
      NEGATED_CLAUSE.test(clause) ||
      verbs.some((v) => v.negated) ||
      (/\ball\b/i.test(clause) && EXCEPT.test(clause));
    if (doubtful) {
      for (const n of nums)
        if (listed.has(n)) unclear.set(n, `"${clause}" is not a clear answer`);
        else unknown.add(n);
      previous = null;
      continue;
    }
    if (nums.length === 0) {
      if (ALL.test(clause) && verbs.length === 1 && verbs[0]?.verb !== 'paid') all = verbs[0]?.verb ?? null;
      previous = verbs[verbs.length - 1]?.verb ?? null;
      continue;
    }
    if (verbs.length === 1) for (const n of nums) assign(n, verbs[0]!.verb, clause);
    else {
      // Several verbs in one clause: "approve 1 reject 2" (verb first) gives each number the verb
      // before it; "1 yes 2 no" (number first) the verb after it. A number with no verb on its
      // side is not guessed.
      const numberFirst = (clause.search(/\d/) ?? 0) < (verbs[0]?.at ?? 0);
      const positions = [...clause.matchAll(/\d{1,2}/g)].map((h) => ({ n: Number(h[0]), at: h.index }));
      for (const n of nums) {
        const at = positions.find((p) => p.n === n)?.at ?? 0;
        const verb = numberFirst ? verbs.find((v) => v.at > at) : [...verbs].reverse().find((v) => v.at < at);
        if (verb) assign(n, verb.verb, clause);
        else if (listed.has(n)) unclear.set(n, `no verb on its side ("${clause}")`);
      }
    }
    previous = verbs[verbs.length - 1]?.verb ?? null;
  }
  return {
    actions: [...seen.entries()].map(([number, v]) => ({ number, verb: v.verb, evidence: v.evidence })),
    all,
    unclear: [...unclear.entries()].map(([number, why]) => ({ number, why })),
    unknown: [...unknown].sort((a, b) => a - b),
  };
}
