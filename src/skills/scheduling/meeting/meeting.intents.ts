/**
 * What a message in a booked meeting's thread asks for: to cancel it, or to move it. Rules on the
 * new text only; a negated ask ("no need to cancel", "don't move it") asks for nothing. Pure.
 */

const CANCEL =
  /\b(?:cancel(?:l?ing|l?ed)?|call (?:it|this|the (?:call|meeting)) off|scrap (?:it|the (?:call|meeting))|absagen|annuler|cancelar)\b/i;
const MOVE =
  /\b(?:re-?schedul\w*|move (?:it|this|the (?:call|meeting)|our (?:call|meeting))|push (?:it|the (?:call|meeting))|postpone\w*|another (?:time|day|slot)|different (?:time|day|slot)|(?:can(?:no|')t|can not|won't be able to|no longer) make (?:it|that|the (?:call|meeting))|verschieben|déplacer|reprogramar)\b/i;
const NEGATED = /\b(?:no need to|don't|do not|not|never|no)\s+(?:\w+\s+){0,2}$/i;

function asks(text: string, re: RegExp): boolean {
  const m = re.exec(text);
  if (!m) return false;
  const before = text.slice(Math.max(0, m.index - 40), m.index);
  // "can't make it" is itself the ask: its negation is part of the phrase.
  return !NEGATED.test(before) || /make/i.test(m[0]);
}

export function asksToCancel(text: string): boolean {
  return asks(text, CANCEL);
}

export function asksToMove(text: string): boolean {
  return asks(text, MOVE);
}
