/**
 * Reads tesseract's TSV output (one row per page, block, paragraph, line and word, with a 0–100
 * confidence per word) into plain text plus an overall confidence. TSV rather than the plain
 * text output because the confidence is what lets extraction say how sure it is. Pure.
 */

export interface OcrText {
  /** Lines in reading order; paragraphs separated by an empty line. */
  text: string;
  /** 0..1: the character-weighted mean of the word confidences; 0 when nothing was read. */
  confidence: number;
  /** Words recognised. */
  words: number;
}

interface WordRow {
  key: string;
  paragraph: string;
  conf: number;
  text: string;
}

const WORD_LEVEL = '5';

function wordRows(tsv: string): WordRow[] {
  const rows: WordRow[] = [];
  for (const line of tsv.split('\n')) {
    const cols = line.split('\t');
    // level page block par line word left top width height conf text
    if (cols.length < 12 || cols[0] !== WORD_LEVEL) continue;
    const text = cols.slice(11).join('\t').trim();
    if (!text) continue;
    const [, page, block, par, ln] = cols;
    rows.push({
      key: `${page}.${block}.${par}.${ln}`,
      paragraph: `${page}.${block}.${par}`,
      conf: Number(cols[10]),
      text,
    });
  }
  return rows;
}

/** Text and confidence of one tesseract TSV document. Never throws; junk gives an empty result. */
export function parseTesseractTsv(tsv: string): OcrText {
  const rows = wordRows(tsv);
  const lines: string[] = [];
  let current: string[] = [];
  let lastKey = '';
  let lastParagraph = '';
  let weighted = 0;
  let chars = 0;
  for (const row of rows) {
    if (row.key !== lastKey && current.length) {
      lines.push(current.join(' '));
      current = [];
      if (row.paragraph !== lastParagraph) lines.push('');
    }
    current.push(row.text);
    lastKey = row.key;
    lastParagraph = row.paragraph;
    if (Number.isFinite(row.conf) && row.conf >= 0) {
      weighted += Math.min(row.conf, 100) * row.text.length;
      chars += row.text.length;
    }
  }
  if (current.length) lines.push(current.join(' '));
  const confidence = chars ? Math.round((weighted / chars) * 10) / 1000 : 0;
  return { text: lines.join('\n'), confidence, words: rows.length };
}
