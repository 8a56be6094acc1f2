/**
 * Shapes shared by the text reader's parts: the prepared document every finder reads, and a value
 * found together with the line it came from (what becomes `evidence`).
 */
import type { DateOrder } from './text.dates.ts';
import type { Language } from './text.language.ts';
import type { Line } from './text.lines.ts';
import type { DecimalMark } from './text.numbers.ts';

/** The document prepared once: lines, their folded forms, and the reading habits decided for it. */
export interface Doc {
  lines: Line[];
  /** `fold(line.text)` per line, same indexes, same lengths. */
  folded: string[];
  /** Start offset of each cell within `line.text`, per line. */
  cellStarts: number[][];
  language: Language | null;
  /** The document's decimal mark, null when its numbers do not say. */
  habit: DecimalMark | null;
  /** Whether "1 190,00" is one number here (French habit, or typographic spaces between digits). */
  spaceGroups: boolean;
  /** Day/month order of slashed dates, null when undecided. */
  order: DateOrder | null;
  /**
   * Label lines paired with value lines when a text layer put a column of values before its column
   * of labels ("Jan 1, 2022 / Net 30 / Date: / Payment Terms:"): label line index → value line index.
   */
  blocks: Map<number, number>;
}

/** A value read from the document and where: the line it was read from and how sure the reader is. */
export interface Found<T> {
  value: T;
  line: Line;
  confidence: number;
  /** Optional extra note for the evidence ("strongest total label nearest the end"). */
  note?: string;
}

/** How a labelled value sat relative to its label. */
export type Placement = 'inline' | 'before' | 'below' | 'column' | 'block';

/** A labelled value: the value's line, the label's line, and the placement. */
export interface Hit<T> {
  value: T;
  line: Line;
  labelLine: Line;
  /** The label as matched (folded). */
  label: string;
  how: Placement;
  /** Offset of the label in its line, to tell several labels on one line apart. */
  at: number;
}

/** Reads a value at the start of `text`; `length` is how much of `text` it used. */
export type Parser<T> = (text: string) => { value: T; length: number } | null;
