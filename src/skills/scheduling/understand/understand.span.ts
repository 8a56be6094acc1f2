/**
 * A run of days some words allow ("next week" → Monday to Friday), with where the words were,
 * so later passes can skip text already read. The currency between the date rules. Pure.
 */

export interface Span {
  /** Day numbers, inclusive. */
  from: number;
  to: number;
  /** Offsets of the words in the message text. */
  start: number;
  end: number;
  text: string;
  /** A whole working week ("next week", "the week of the 24th"): weekday names narrow it. */
  week: boolean;
}

/** The span cut to start no earlier than `today`; null when it lies wholly in the past. */
export function fromToday(span: Span, today: number): Span | null {
  if (span.to < today) return null;
  return span.from < today ? { ...span, from: today } : span;
}
