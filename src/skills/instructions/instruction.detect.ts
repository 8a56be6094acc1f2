import { cleanText, splitSentences } from './instruction.text.ts';

/**
 * Does the owner's message state a standing instruction ("from now on …") rather than ask for one
 * thing now ("please pay this invoice")? A cheap, deterministic gate run before any parsing; it
 * errs toward silence, because a one-off request misread as a rule would change how later mail is
 * handled. Pure.
 */

/** Phrases that make a sentence standing wherever they appear. */
const ANYWHERE: RegExp[] = [
  /\bfrom now on(?:wards?)?\b/,
  /\bgoing forward\b/,
  /\bhenceforth\b/,
  /\bfrom here on\b/,
  // "Let's meet in the future" is small talk, "in future, file …" is a rule.
  /(?<!\b(?:meet|talk|chat|speak|catch up|see you|work together|collaborate|again) )\bin (?:the )?future\b/,
  /\bfrom today (?:on|onwards?|forward)\b/,
  /\b(?:starting|as of) (?:today|now)\b/,
  /\bfrom this day (?:on|forward)\b/,
  /\bi (?:don'?t|do not|never) (?:take|do|accept|want|have) (?:any )?(?:meetings?|calls?|appointments?)\b/,
  /\bno (?:meetings?|calls?|appointments?) (?:on|before|after|during|in the|at)\b/,
  /\bno (?:mon|tues|wednes|thurs|fri|satur|sun)day (?:meetings?|calls?)\b/,
  /\b(?:don'?t|do not|never) (?:schedule|book|put|propose|accept) (?:any |me |anything)?(?:meetings?|calls?|appointments?|anything)\b/,
  /\bauto-?approve\b/,
  /\bautomatically (?:approve|file|move|sort|archive)\b/,
  /^(?!.*\b(?:today|tonight|tomorrow|this (?:week|month)|right now|asap)\b).*\b(?:approve|pay)\b.*\b(?:invoices|bills)\b.*\b(?:under|below|up to|less than|at most|not exceeding)\b/,
  /\b(?:put|move|file|sort|archive|label)\b.*\b(?:anything|everything|all (?:mail|e-?mails?|messages))\b.*\bfrom\b/,
  /\bignore (?:all |any )?(?:mail|e-?mails?|messages) from\b/,
  /\b(?:need|needs|require|requires) my (?:approval|ok|okay|sign-?off)\b/,
  // German, French, Spanish, Dutch.
  /\b(?:ab jetzt|ab sofort|von nun an|künftig|zukünftig|in zukunft)\b/u,
  /\bkeine (?:termine|meetings|besprechungen)\b/u,
  /(?:^|[^\p{L}])(?:désormais|dorénavant|à l'avenir|a l'avenir|à partir de maintenant)(?![\p{L}])/u,
  /\b(?:a partir de ahora|a partir de hoy|de ahora en adelante|en adelante)\b/,
  /\b(?:voortaan|vanaf nu|vanaf vandaag|in de toekomst)\b/,
];

// Openers that only make a rule at the start of a sentence: "Always ask me …" is standing,
// "Dana always replies late" is not; "Any time an invoice arrives …" is, "Any time next week" is not.
const LEAD = String.raw`^(?:(?:and|also|oh|ok|okay|so|but|please|pls|kindly|and please|also please)[,\s]+)*`;
const SENTENCE_START: RegExp[] = [
  new RegExp(`${LEAD}(?:always|never)\\s+(?!mind\\b)\\w`),
  new RegExp(
    `${LEAD}(?:whenever|any ?time|every ?time|each time)\\s+(?!next\\b|this\\b|tomorrow\\b|today\\b|on\\b|in\\b|before\\b|after\\b|between\\b|works\\b|is\\b|that\\b|you\\b\\s+(?:can|like|want)\\b)\\w`,
  ),
  new RegExp(`${LEAD}from today\\b`),
  new RegExp(`${LEAD}moving forward,`),
];

/** True when `text` (the owner's own words) states a standing instruction. Pure; never throws. */
export function looksLikeStandingInstruction(text: string): boolean {
  return splitSentences(cleanText(text)).some((s) => sentenceIsStanding(s.text));
}

/** The same test for one sentence; the parser uses it to report further rules it did not record. */
export function sentenceIsStanding(sentence: string): boolean {
  const s = sentence.toLowerCase().replace(/\s+/g, ' ').trim();
  return ANYWHERE.some((re) => re.test(s)) || SENTENCE_START.some((re) => re.test(s));
}
