/**
 * The text reader works on lines, not on one big string: every value it returns must point at the
 * line it came from (the evidence), and PDF text layers put one visual row on one line. Pure.
 */

/** One line of the document as the reader sees it. */
export interface Line {
  /** 1-based page; null when the source has no pages (mail body, HTML). */
  page: number | null;
  /** Index in the document's line list, for "the next line" and "nearest the end". */
  index: number;
  /** Index of the line within its page, 0-based: the letterhead is near 0, the footer near `pageLength`. */
  inPage: number;
  /** How many lines the page has. */
  pageLength: number;
  /**
   * The line as written, its cells joined by one tab and other whitespace runs collapsed to one
   * space. The tab keeps "3⇥250,00" from reading as the French "3 250,00"; evidence shows it as a space.
   */
  text: string;
  /**
   * The line's cells: PDF text layers separate table cells with tabs, plain text with runs of spaces.
   * Reading order inside a row is not always visual order ("993548900⇥Invoice number:").
   */
  cells: string[];
}

/** Limits that keep the reader linear on hostile input (a 50 MB text layer, one 1 MB line). */
export const MAX_LINES = 20_000;
export const MAX_LINE_CHARS = 1_000;

/**
 * Spaces PDF producers and typographers use inside numbers and between words: no-break space,
 * narrow no-break space (French "1 190,00"), thin, figure and other fixed-width spaces.
 */
const ODD_SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g;
/** Zero-width characters that split words invisibly. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/** Splits pages into lines and cells. `truncated` is true when a limit cut the input. */
export function toLines(pages: string[], paged: boolean): { lines: Line[]; truncated: boolean } {
  const lines: Line[] = [];
  let truncated = false;
  for (let p = 0; p < pages.length; p++) {
    const rawLines = (pages[p] ?? '').replace(/\r\n?/g, '\n').split('\n');
    const pageLines: Line[] = [];
    for (const raw of rawLines) {
      if (lines.length + pageLines.length >= MAX_LINES) {
        truncated = true;
        break;
      }
      let clean = raw.replace(INVISIBLE, '').replace(ODD_SPACES, ' ');
      if (clean.length > MAX_LINE_CHARS) {
        clean = clean.slice(0, MAX_LINE_CHARS);
        truncated = true;
      }
      const cells = clean
        .split(/\t| {3,}/)
        .map((c) => c.replace(/\s+/g, ' ').trim())
        .filter((c) => c !== '');
      if (cells.length === 0) continue;
      pageLines.push({
        page: paged ? p + 1 : null,
        index: lines.length + pageLines.length,
        inPage: pageLines.length,
        pageLength: 0,
        text: cells.join('\t'),
        cells,
      });
    }
    for (const l of pageLines) l.pageLength = pageLines.length;
    lines.push(...pageLines);
    if (truncated && lines.length >= MAX_LINES) break;
  }
  return { lines, truncated };
}

/**
 * Lower-cased, accents folded away ("Fälligkeit" → "falligkeit") and typographic apostrophes made
 * plain ("d’échéance"), so labels match however they were typed. Length-preserving, character for character, so an index into the folded text is an
 * index into the original.
 */
export function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '’' || ch === '‘') {
      out += "'";
      continue;
    }
    const base = ch
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase();
    out += base.length === ch.length ? base : ch;
  }
  return out;
}
