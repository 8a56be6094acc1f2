/**
 * Finds values by their labels, wherever a text layer put them. PDF text extraction keeps words
 * but not always their visual order, so one label/value pair can arrive as
 *   inline  "Invoice date: 03/20/2023"
 *   before  "993548900⇥Factuurnummer:"          (the value's cell first)
 *   below   "Invoice Date:" / "03/20/2023"      (label alone on its line)
 *   column  "Montant TTC⇥Montant TVA" / "29.99⇥5.00"   (a header row over a value row)
 *   block   "Jan 1, 2022" / "Net 30" / "Date:" / "Payment Terms:"   (values column, then labels)
 * Labels are matched on folded text (see `fold`) and must start a cell, optionally after a few
 * words that do not change their meaning ("zzgl.", "Total"): a label in the middle of a sentence is
 * not a label. Pure.
 */
import type { Line } from './text.lines.ts';
import type { Doc, Hit, Parser, Placement } from './text.model.ts';

export interface LabelOptions {
  /** Words allowed before the label inside its cell (folded), e.g. /^(?:zzgl\.?|plus)\s*$/. */
  prefix?: RegExp;
  /** Accept the label anywhere in a line (titles such as "Facture n°562044387 du …"). */
  anywhere?: boolean;
}

/** What may follow a label before its value: colons, hashes, dots, spaces, and dashes that are not a minus sign. */
const SEPARATORS = /^(?:[\s:#.=*]|[-–](?!\d))*/;
/** A label that fills its cell: nothing but separators after it. */
const CELL_END = /^[\s:#.*–-]*$/;

function cellOf(doc: Doc, line: Line, at: number): number {
  const starts = doc.cellStarts[line.index] ?? [0];
  let k = 0;
  while (k + 1 < starts.length && (starts[k + 1] ?? Infinity) <= at) k++;
  return k;
}

function wholeCell<T>(parse: Parser<T>, cell: string | undefined): T | null {
  if (cell === undefined) return null;
  const got = parse(cell);
  return got !== null && cell.slice(got.length).trim() === '' ? got.value : null;
}

/** Values for every occurrence of `label` in the document, in reading order. */
export function findLabeled<T>(doc: Doc, label: RegExp, parse: Parser<T>, opts: LabelOptions = {}): Hit<T>[] {
  const hits: Hit<T>[] = [];
  const re = new RegExp(label.source, label.flags.includes('g') ? label.flags : `${label.flags}g`);
  for (const line of doc.lines) {
    const folded = doc.folded[line.index] ?? '';
    re.lastIndex = 0;
    for (let m = re.exec(folded); m !== null; m = re.exec(folded)) {
      if (m[0] === '') {
        re.lastIndex++;
        continue;
      }
      const at = m.index;
      const end = at + m[0].length;
      // "PO-1", "RE-2024": glued to what follows, the "label" is the start of an identifier.
      if (/^[-/_][a-z0-9]/.test(folded.slice(end, end + 2))) continue;
      const k = cellOf(doc, line, at);
      const cellStart = doc.cellStarts[line.index]?.[k] ?? 0;
      const before = folded.slice(cellStart, at);
      if (!opts.anywhere && before.trim() !== '' && !(opts.prefix?.test(before) ?? false)) continue;
      const hit = (value: T, valueLine: Line, how: Placement) =>
        hits.push({ value, line: valueLine, labelLine: line, label: m?.[0] ?? '', how, at });
      const restRaw = line.text.slice(end);
      const sep = SEPARATORS.exec(restRaw)?.[0].length ?? 0;
      const inline = parse(restRaw.slice(sep));
      if (inline !== null) {
        hit(inline.value, line, 'inline');
        continue;
      }
      const cell = line.cells[k] ?? '';
      const cellRest = folded.slice(end, cellStart + cell.length);
      if (!CELL_END.test(cellRest)) continue;
      const found = placed(doc, line, k, parse);
      if (found) hit(found.value, found.line, found.how);
    }
  }
  return hits;
}

/** The value of a label that fills cell `k` of `line` and has nothing after it. */
function placed<T>(
  doc: Doc,
  line: Line,
  k: number,
  parse: Parser<T>,
): { value: T; line: Line; how: Placement } | null {
  const block = doc.blocks.get(line.index);
  if (block !== undefined) {
    const valueLine = doc.lines[block];
    const value = valueLine ? wholeCell(parse, valueLine.text) : null;
    return value !== null && valueLine ? { value, line: valueLine, how: 'block' } : null;
  }
  // Only a two-cell row: with more cells, which one is the label's value is a guess.
  if (k === 1 && line.cells.length === 2) {
    const value = wholeCell(parse, line.cells[k - 1]);
    if (value !== null) return { value, line, how: 'before' };
  }
  const next = doc.lines[line.index + 1];
  if (!next || next.page !== line.page) return null;
  if (line.cells.length === 1) {
    const value = wholeCell(parse, next.cells[0]);
    return value !== null ? { value, line: next, how: 'below' } : null;
  }
  // A header row: every cell a word, none a number; the value row holds at least as many cells.
  if (line.cells.some((c) => /\d/.test(c)) || next.cells.length < line.cells.length) return null;
  const value = wholeCell(parse, next.cells[k]);
  return value !== null ? { value, line: next, how: 'column' } : null;
}

/** A line that is only a label: short, ends with a colon, no digits outside brackets. */
function labelOnly(line: Line): boolean {
  const t = line.text.replace(/\([^)]*\)/g, '');
  return line.cells.length === 1 && /:\s*$/.test(t) && !/\d/.test(t) && t.split(/\s+/).length <= 5;
}

/**
 * Pairs runs of label-only lines with the equally long run of value lines right before them — the
 * order some PDF producers emit a two-column "label: value" box in.
 */
export function pairBlocks(lines: Line[]): Map<number, number> {
  const pairs = new Map<number, number>();
  let i = 0;
  while (i < lines.length) {
    if (!labelOnly(lines[i]!)) {
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && labelOnly(lines[j]!) && lines[j]!.page === lines[i]!.page) j++;
    // The values: the lines right above that are neither labels nor "label: value" lines.
    let m = 0;
    while (m < j - i && i - m - 1 >= 0) {
      const v = lines[i - m - 1]!;
      if (labelOnly(v) || /:\s/.test(v.text) || v.page !== lines[i]!.page) break;
      m++;
    }
    // As many values as labels; fewer values pair with the first labels (a trailing "Notes:" has none).
    const n = Math.min(j - i, m);
    if (n >= 2) for (let t = 0; t < n; t++) pairs.set(i + t, i - m + t);
    i = j;
  }
  return pairs;
}
