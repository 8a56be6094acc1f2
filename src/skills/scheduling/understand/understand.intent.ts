import { MEETING_PHRASES, REQUEST_PHRASES } from '../../../triage/keywords.ts';
import { statedDuration } from './understand.duration.ts';
import { plain } from './understand.text.ts';

/**
 * Whether a message asks for a meeting. Triage's MEETING_PHRASES say a message is *about*
 * meetings; "the meeting went well" is too. Here a sentence must also ask or propose (a question,
 * "let's", "could we", "are you free", triage's REQUEST_PHRASES), or use a phrase that is a
 * request by itself ("find us a time", "cc'ing my assistant", "reschedule"). Mentions of a meeting
 * that already exists ("Tuesday's meeting", "notes from the call"), sign-offs ("talk soon") and
 * courtesy offers ("don't hesitate to give me a call") are taken out first. English only beyond
 * what triage's phrases cover. Pure.
 */

export interface MessageIntent {
  wanted: boolean;
  /** How sure the rules are about `wanted`, 0..1. */
  confidence: number;
  /** The message calls a meeting off ("meeting cancelled", "no need to meet"). */
  cancels: boolean;
  reasons: string[];
}

/** A request to meet on their own. */
const STRONG = new RegExp(
  [
    'find (?:us |me |you )?(?:a |an |some )?(?:time|slot|hour|\\d+ ?min\\w*|half an hour|\\d+ minutes)',
    "(?:cc.?(?:ing|d)|copying|looping in|loop in|adding|added)\\b[\\w\\s,']{0,30}?\\b(?:my|our) (?:assistant|scheduler|ea)\\b",
    '(?:my|our) assistant (?:will|can|to|who will) (?:find|coordinate|schedule|set up|arrange|book)',
    'coordinate a time|schedule a time|book a (?:time|slot|\\d+h? slot|call|meeting)',
    'reschedul(?:e|ing)',
    'request (?:a |an )?(?:meeting|call|appointment)',
    '(?:move|push|postpone|shift|bump) (?:our|the|my|this|that|today.s|tomorrow.s) (?:meeting|call|1:1|sync|chat|catch-?up|session)',
    'set (?:up )?an? (?:[\\w-]+ )?(?:call|meeting|time|meeting date)',
    '\\d+ (?:minutes|mins) (?:or so )?of your time',
  ].join('|'),
  'i',
);

/** The "cc'ing my assistant" form of STRONG, and what names another errand right after it. */
const ASSISTANT_COPIED = /\b(?:assistant|scheduler|ea)\b$/i;
const OTHER_ERRAND =
  /^\s*(?:for|about|on|regarding|re:?|to (?:handle|help with|process|pay|file|review|answer|look (?:at|into)|sort out|deal with|take care of))\b(?![^.?!]*\b(?:time|meeting|call|slot|date|diary|calendar|schedul\w*)\b)/i;

/** Nouns and verbs of meeting, beyond triage's list. */
const MEETING_WORDS =
  /\b(?:meet|meeting|meet up|get together|(?:phone|conference|video|zoom|teams|intro|quick|short) call|an? call|call with|chat|talk|speak|sync|catch up|coffee|lunch|dinner|drinks|breakfast|1:1|one-on-one|workshop|kick-?off|session|demo|connect|hop on|jump on|(?:schedule|book|plan) (?:a|an|the|our|this)|(?:are you|you) (?:still )?(?:free|available|around)|when (?:you(?:'re| are)|you'll be|you will be) (?:free|available|around)|your (?:calendar|schedule|availability))\b/i;

/** A day or time in a question about whether it works ("Would Thursday at 3 work for you?"). */
const DAY_WORKS =
  /\b(?:would|does|do|will|could|can|is)\b[^?.!]{1,40}\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b[^?.!]{0,30}\b(?:work|suit|fit)\b|\b(?:would|does|do|will|could|can|is)\b[^?.!]{0,40}(?:tomorrow|today|next week|\d\s*(?:am|pm)|at \d)[^?.!]{0,30}\b(?:work|suit|fit)\b/i;

/** "Are you available to review the contract?" asks for a task, not a meeting. */
const AVAILABLE_FOR_A_TASK =
  /\b(?:are you|you) (?:still )?(?:free|available|around) to (?!meet|talk|chat|speak|call|connect|sync|catch|hop|jump|grab)[a-z]+/gi;

/** Asking or proposing, beyond triage's REQUEST_PHRASES. */
const ASK =
  /\?|\b(?:let'?s|let us|lets|would (?:you )?(?:like|love|want) to|i'?d (?:like|love) to|i would (?:like|love) to|would love to|(?:can|could|shall|should|may) (?:we|i)|are you (?:still )?(?:free|available|around)|(?:you|u) (?:free|available|around)|do you have|how about|what about|happy to (?:meet|chat|talk|connect|jump|hop)|would \w+ (?:\w+ )?work|works for (?:me|you)|free for|available (?:for|to)|it (?:may|might|would) be (?:worthwhile|good|great|helpful|useful)|appreciate|want to meet|(?:i'?m|i am) free|need \d+ (?:min|minutes|mins)|grab \d+)\b/i;

/** Sentences that mention a meeting without asking for one. */
const NOT_AN_ASK =
  /\b(?:(?:talk|speak|chat|catch up) (?:to you )?soon|see you soon|talk to you (?:later|tomorrow)|if you have (?:any )?(?:questions|comments|concerns)|(?:don'?t|do not) hesitate|feel free to (?:call|contact)|plan to (?:dial|attend|join)|dial[- ]in(?:to)?|is confirmed|(?:has|have) been (?:scheduled|confirmed|booked)|will be held|register (?:here|now)|webinar|unsubscribe|look(?:ing)? forward to (?:our|the|meeting|seeing))\b/i;

/** A meeting that exists already; blanked before looking for meeting words. */
const EXISTING_MEETING =
  /\b(?:(?:from|at|after|during|in|about|since|before) (?:the|our|this|that|last|today'?s|yesterday'?s|tomorrow'?s|[a-z]+'s) (?:[a-z]+ ){0,2}(?:meeting|call|session)|[a-z]+'s (?:meeting|call)|(?:meeting|call) (?:notes|minutes|summary|recap)|(?:notes|minutes|summary|recap) (?:from|of) (?:the|our|this|that|today'?s|yesterday'?s) (?:[a-z]+ ){0,2}(?:meeting|call)|give (?:me|him|her|us|them) a (?:quick )?(?:call|ring))\b/gi;

const CANCEL = /\b(?:cancel(?:l?ed|s)?|call(?:ed)? off|no need to meet|never ?mind|let'?s skip)\b/i;

/** Why a sentence asks to meet, or null. */
export function askToMeet(raw: string): string | null {
  const sentence = plain(raw);
  const strong = STRONG.exec(sentence);
  // "Adding my assistant for the invoice question" copies the assistant for another errand.
  if (
    strong &&
    !(ASSISTANT_COPIED.test(strong[0]) && OTHER_ERRAND.test(sentence.slice(strong.index + strong[0].length)))
  )
    return `"${strong[0]}" asks for a meeting`;
  if (NOT_AN_ASK.test(sentence)) return null;
  const rest = sentence.replace(EXISTING_MEETING, ' ').replace(AVAILABLE_FOR_A_TASK, ' ');
  const works = DAY_WORKS.exec(rest);
  if (works) return `"${works[0].trim()}" proposes a time`;
  const word = MEETING_PHRASES.exec(rest)?.[0] ?? MEETING_WORDS.exec(rest)?.[0] ?? durationWord(rest);
  if (word === undefined) return null;
  const ask = ASK.exec(rest)?.[0] ?? REQUEST_PHRASES.exec(rest)?.[0];
  return ask === undefined ? null : `"${word.trim()}" with "${ask.trim()}": proposes a meeting`;
}

/** "a 45-minute review", "an hour to go through": a length of time asked for is a meeting. */
function durationWord(text: string): string | undefined {
  return statedDuration(text)?.text;
}

/** The intent of one message's new text, sentence by sentence. */
export function messageIntent(sentences: readonly string[]): MessageIntent {
  const reasons: string[] = [];
  let topic = false;
  let cancels = false;
  for (const s of sentences) {
    const why = askToMeet(s);
    if (why !== null) reasons.push(why);
    else if (MEETING_PHRASES.test(s) || MEETING_WORDS.test(s)) topic = true;
    if (why === null && CANCEL.test(s)) cancels = true;
  }
  if (reasons.length > 0) {
    const strong = reasons.some((r) => r.endsWith('asks for a meeting'));
    return { wanted: true, confidence: strong ? 0.9 : 0.75, cancels: false, reasons };
  }
  if (cancels) return { wanted: false, confidence: 0.8, cancels, reasons: ['calls the meeting off'] };
  return topic
    ? { wanted: false, confidence: 0.55, cancels, reasons: ['mentions a meeting but asks for none'] }
    : { wanted: false, confidence: 0.85, cancels, reasons: ['no meeting words'] };
}
