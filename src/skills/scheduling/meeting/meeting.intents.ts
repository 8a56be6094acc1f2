/**
 * What a message in a meeting's thread asks for: to cancel the meeting, or to move it. Rules on the
 * new text only. The ask must be about the meeting ("cancel it", "please cancel the meeting",
 * "call it off") — "I cancelled my other call" or "I had to cancel my flight" cancel nothing — and
 * a negation earlier in the same sentence ("please do not, under any circumstances, cancel it")
 * asks for nothing. Pure.
 */

const MEETING = String.raw`(?:it|this|that|the\s+(?:meeting|call|invite|invitation|appointment)|our\s+(?:meeting|call)|this\s+(?:meeting|call))`;
const CANCEL = new RegExp(
  String.raw`\b(?:cancel(?:l?ing|l?ed)?|scrap|call\s+off)\s+${MEETING}\b|\bcall\s+${MEETING}\s+off\b|\blet'?s\s+cancel\b|\b(?:meeting|call)\s+(?:is\s+)?(?:cancell?ed|off)\b|\b(?:absagen|annuler|cancelar)\b`,
  'i',
);
const MOVE =
  /\b(?:re-?schedul\w*|move (?:it|this|the (?:call|meeting)|our (?:call|meeting))|push (?:it|the (?:call|meeting))|postpone\w*|another (?:time|day|slot)|different (?:time|day|slot)|(?:can(?:no|')t|can not|won't be able to|no longer) make (?:it|that|the (?:call|meeting))|verschieben|déplacer|reprogramar)\b/i;
const NEGATION = /\b(?:no need to|don'?t|do not|not|never|no)\b/i;

/** The sentence up to `at`: where a negation would govern the ask. */
function sentenceBefore(text: string, at: number): string {
  const start = Math.max(
    text.lastIndexOf('.', at - 1),
    text.lastIndexOf('!', at - 1),
    text.lastIndexOf('?', at - 1),
    text.lastIndexOf('\n', at - 1),
  );
  return text.slice(start + 1, at);
}

function asks(text: string, re: RegExp): boolean {
  const m = re.exec(text.slice(0, 20_000));
  if (!m) return false;
  // "can't make it" is itself the ask: its negation is part of the phrase.
  if (/make/i.test(m[0])) return true;
  return !NEGATION.test(sentenceBefore(text, m.index));
}

export function asksToCancel(text: string): boolean {
  return asks(text, CANCEL);
}

export function asksToMove(text: string): boolean {
  return asks(text, MOVE);
}
