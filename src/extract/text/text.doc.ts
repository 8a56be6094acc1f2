/**
 * Prepares a document once for all finders: lines and cells, folded text, language, decimal mark,
 * day/month order and label blocks. The habits are decided here, from the whole document, because
 * one line alone cannot say whether "01/03/2024" is January or March. Pure.
 */
import { US_EVIDENCE } from './text.currency.ts';
import { dateOrder } from './text.dates.ts';
import { pairBlocks } from './text.labeled.ts';
import { detectLanguage } from './text.language.ts';
import { fold, toLines } from './text.lines.ts';
import type { Doc } from './text.model.ts';
import { decimalHabit } from './text.numbers.ts';

/**
 * Signs that slashed dates are American: a dollar amount with a US address or the words "US
 * dollars"/USD; false when the money is pounds, euros or rupees; null when nothing says (a dollar
 * alone may be Canadian or Australian).
 */
export function usEvidence(texts: string[]): boolean | null {
  const all = texts.join('\n');
  const dollar = /\$\s?\d|\bUSD\b|US[ -]?Dollars?/i.test(all);
  if (!dollar) return /\b(?:GBP|EUR|INR|AUD|CAD|NZD)\b|[£€₹]/.test(all) ? false : null;
  return US_EVIDENCE.test(all) ? true : null;
}

export function buildDoc(pages: string[], paged: boolean): { doc: Doc; truncated: boolean } {
  const { lines, truncated } = toLines(pages, paged);
  const texts = lines.map((l) => l.text);
  const language = detectLanguage(texts);
  const raw = pages.join('\n').slice(0, 200_000);
  const spaceGroups = language === 'fr' || /\d[\u00a0\u202f\u2009]\d{3}(?!\d)/.test(raw);
  const cellStarts = lines.map((l) => {
    const starts: number[] = [];
    let pos = 0;
    for (const c of l.cells) {
      starts.push(pos);
      pos += c.length + 1;
    }
    return starts;
  });
  const doc: Doc = {
    lines,
    folded: texts.map(fold),
    cellStarts,
    language,
    habit: decimalHabit(texts) ?? (language === null ? null : language === 'en' ? '.' : ','),
    spaceGroups,
    order: dateOrder(texts, language, usEvidence(texts)),
    blocks: pairBlocks(lines),
  };
  return { doc, truncated };
}
