/**
 * Is a reply to a rule confirmation the owner saying "undo"? Only a short reply whose first line is
 * one of a closed set of phrases counts: "don't undo" or a paragraph that happens to contain the
 * word must never remove a rule. Callers check the reply refers to the confirmation. Pure.
 */

const PHRASES = new Set([
  'undo',
  'undo that',
  'undo it',
  'undo this',
  'undo the rule',
  'undo that rule',
  'undo this rule',
  'undo the last rule',
  'revert',
  'revert that',
  'revert it',
  'revert the rule',
  'revert that rule',
  'cancel that',
  'cancel it',
  'cancel the rule',
  'cancel that rule',
  'cancel this rule',
  'scratch that',
  'forget that',
  'forget that rule',
  'forget the rule',
  'remove that rule',
  'remove the rule',
  'delete that rule',
  'delete the rule',
  'drop that rule',
  'rückgängig',
  'rückgängig machen',
  'mach das rückgängig',
  'mach es rückgängig',
  'das rückgängig machen',
  'annuler',
  'annule',
  'annulez',
  'annule ça',
  'annule ca',
  'annuler la règle',
  'deshacer',
  'deshazlo',
  'ongedaan maken',
  'maak ongedaan',
  'terugdraaien',
]);

// Politeness around the phrase: "please undo", "undo, thanks", "yes undo that".
const POLITE =
  /^(?:(?:please|pls|yes|yeah|ok|okay|bitte|merci|por favor|graag|oh|hmm|actually|sorry)\s+)+|(?:\s+(?:please|pls|thanks|thank you|thx|bitte|danke|merci|s'il te plaît|s'il vous plaît|por favor|gracias|graag|dank je|dank u))+$/g;
/** Words after the first line that take the undo back ("undo — no wait, keep it"). */
const RETRACT = /\b(?:no|not|don'?t|do not|keep|wait|ignore|nevermind|never mind|actually)\b/;

function normalize(line: string): string {
  return line
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\p{L}\p{N}'\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when the reply asks to undo the rule it answers. Never throws. */
export function isUndoReply(replyText: string): boolean {
  const text = replyText.trim();
  if (text.length === 0 || text.length > 200) return false;
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = normalize(lines[0] ?? '')
    .replace(POLITE, '')
    .trim();
  if (!PHRASES.has(first)) return false;
  // A short sign-off may follow ("Thanks, Maya"); anything that takes it back may not.
  const rest = normalize(lines.slice(1).join(' '));
  return rest.split(' ').length <= 6 && !RETRACT.test(rest);
}
