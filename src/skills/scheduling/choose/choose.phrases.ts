/**
 * The words around the mentions that change what they mean: a negation turns "Tuesday" into an
 * exclusion ("I can't do Tuesday", "Wednesday is out", "any of them except Thursday"); "none of
 * these" declines the whole set; "any of them" leaves the pick to us; a bare "yes" agrees without
 * saying to what. Clause edges (".", ",", "but", a dash) bound how far a negation reaches, so
 * "I can't do Tuesday, but Wednesday works" excludes only Tuesday. Pure.
 */

const BOUNDARY = /[.;!?\n,()]|—|\s[-–]\s|\b(?:but|however|though|although|whereas|while)\b/gi;

const NEGATION_BEFORE =
  /\b(?:can'?t|cannot|can not|couldn'?t|unable|not|never|except|excluding|other than|apart from|besides|unavailable|busy|neither|nor|won'?t)\b|n't\b|\bno\s+(?:on\s+)?$/i;
const NEGATION_AFTER =
  /\b(?:not|cannot|busy|booked|unavailable|no good|impossible)\b|n't\b|\b(?:is|are|'s|'re)\s+(?:out|bad|tough|difficult|taken|full|off)\b/i;

const DECLINE =
  /\bnone\s+(?:of\s+(?:these|those|them|the(?:se)?\s+\w+)|(?:of\s+them\s+)?(?:works?|suits?|fits?|is\s+(?:good|possible|convenient|ok(?:ay)?)))\b|\bneither\s+(?:one\s+)?(?:works?|suits?|of\s+(?:these|those|them)|is\s+(?:good|possible|ok(?:ay)?))\b|\b(?:can'?t|cannot|can not|couldn'?t)\s+(?:do|make|manage)\s+any\b|\bnothing\s+(?:here\s+)?(?:works|fits|suits)\b|\b(?:these|those|the)\s+(?:times|slots|options|dates)\s+(?:all\s+)?(?:don'?t|do not|won'?t)\s+work\b|^\s*(?:none|neither)\s*[.!]*\s*$/im;

const ANY =
  /\b(?:any\s+(?:of\s+(?:them|these|those|the\s+(?:options|slots|times))|one|option|slot|time|works?|is\s+fine)|either\s+(?:one|works?|is\s+(?:fine|good|ok(?:ay)?)|would\s+work|of\s+(?:them|these|those))|all\s+(?:of\s+(?:them|these|those)\s+|three\s+|(?:of\s+)?these\s+)?(?:work|are\s+(?:fine|good|ok(?:ay)?))|whichever|anything\s+works|any\s*[.!]*\s*$|either\s*[.!]*\s*$)/im;

const AFFIRM =
  /\b(?:yes|yep|yeah|yup|sure|ok(?:ay)?|sounds good|works for me|that works|perfect|great|fine|confirm(?:ed)?|agreed|deal)\b/i;

/** What a counter proposal looks like when it names no day or time we could read. */
const PROPOSAL =
  /\b(?:how about|what about|could we|can we|would .{1,30}? work|instead|next week|later|earlier|another (?:day|time)|other (?:days?|times?))\b/i;

export interface Found {
  start: number;
  end: number;
  text: string;
}

function clauseStart(text: string, at: number): number {
  let start = 0;
  for (const m of text.slice(0, at).matchAll(BOUNDARY)) start = m.index + m[0].length;
  return start;
}

function clauseEnd(text: string, from: number): number {
  const m = new RegExp(BOUNDARY.source, 'i').exec(text.slice(from));
  return m ? from + m.index : text.length;
}

/** Whether the words in the same clause before `start` or after `end` negate what lies between. */
export function negated(text: string, start: number, end: number): boolean {
  const before = text.slice(clauseStart(text, start), start);
  const after = text.slice(end, clauseEnd(text, end));
  return NEGATION_BEFORE.test(before) || NEGATION_AFTER.test(after);
}

/** Whether a clause edge ("but", a comma, a full stop) lies between two positions. */
export function crossesClause(text: string, from: number, to: number): boolean {
  return new RegExp(BOUNDARY.source, 'i').test(text.slice(from, to));
}

/** Whether a line break, full stop or question mark lies between two positions. */
export function crossesSentence(text: string, from: number, to: number): boolean {
  return /[.;!?\n]/.test(text.slice(from, to));
}

function first(re: RegExp, text: string): Found | null {
  const m = re.exec(text);
  return m ? { start: m.index, end: m.index + m[0].length, text: m[0].trim() } : null;
}

export function findDecline(text: string): Found | null {
  return first(DECLINE, text);
}

/** "Any of them", unless negated: "I can't do any of them" is a decline. */
export function findAny(text: string): Found | null {
  const found = first(ANY, text);
  return found && !negated(text, found.start, found.start) ? found : null;
}

export function findAffirmation(text: string): Found | null {
  const found = first(AFFIRM, text);
  return found && !negated(text, found.start, found.start) ? found : null;
}

export function looksLikeProposal(text: string): boolean {
  return PROPOSAL.test(text);
}

/** The sentence around a position, for a counter proposal's text. */
export function sentenceAround(text: string, start: number, end: number): string {
  const before = text.slice(0, start);
  const from = Math.max(before.lastIndexOf('\n'), ...['.', '!', '?'].map((p) => before.lastIndexOf(p))) + 1;
  const m = /[.!?\n]/.exec(text.slice(end));
  const to = m ? end + m.index + (m[0] === '\n' ? 0 : 1) : text.length;
  return text.slice(from, to).trim();
}
