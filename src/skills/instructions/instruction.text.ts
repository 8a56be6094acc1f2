import { stripInvisible } from '../../shared/invisible.ts';

/**
 * Text helpers shared by detection, parsing and the evidence checks on model answers. Pure.
 */

/** A sentence of the owner's text with its position, so quotes can be mapped back to it. */
export interface Sentence {
  text: string;
  start: number;
  end: number;
}

/**
 * Invisible characters removed, typographic quotes and apostrophes made plain, non-breaking
 * spaces made ordinary (so `don’t` and `don't` read the same). Positions shift only where
 * invisible characters were removed, so callers that need positions split this result.
 */
export function cleanText(text: string): string {
  return stripInvisible(text)
    .text.replace(/[\u2018\u2019\u201A\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u00A0\u202F\u2007]/g, ' ');
}

// A boundary is a line break, or end punctuation followed by space and something that is not a
// lower-case letter: "10 a.m. on Friday" and "aws.amazon.com" stay whole, "…$500. File …" splits.
const BOUNDARY = /\n+|(?<=[.!?;])\s+(?=[^\p{Ll}\s])/gu;
const BULLET = /^(?:[-*•]\s+|\d{1,2}[.)]\s+)/u;

/** Splits text into trimmed, non-empty sentences (list bullets removed) with their spans. */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let from = 0;
  const push = (start: number, end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    let s = start + lead;
    const body = raw.trim();
    const bullet = BULLET.exec(body);
    if (bullet) s += bullet[0].length;
    const t = text.slice(s, start + lead + body.length).trim();
    if (t) out.push({ text: t, start: s, end: s + t.length });
  };
  for (const m of text.matchAll(BOUNDARY)) {
    push(from, m.index);
    from = m.index + m[0].length;
  }
  push(from, text.length);
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive pattern for `phrase` with any run of whitespace matching any other. */
function loosePattern(phrase: string): string {
  return phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
}

/** Where `needle` occurs in `haystack`, ignoring case and differences in whitespace; null if absent. */
export function findLoose(haystack: string, needle: string): { start: number; end: number } | null {
  if (!needle.trim()) return null;
  const m = new RegExp(loosePattern(needle), 'iu').exec(haystack);
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}

/**
 * True when `phrase` occurs in `text` as a whole word or phrase (not inside a longer word), ignoring
 * case and whitespace differences. "bank" is in "Northwind Bank" and "alerts@bank.example", not in
 * "mybank.example" or "banking". `joiners` are further characters that continue a word (a folder
 * "Clients" is not in "Clients/Contoso" when `/` joins).
 */
export function containsWord(text: string, phrase: string, opts: { joiners?: string } = {}): boolean {
  if (!phrase.trim()) return false;
  const edge = `[\\p{L}\\p{N}${escapeRegExp(opts.joiners ?? '')}]`;
  return new RegExp(`(?<!${edge})${loosePattern(phrase)}(?!${edge})`, 'iu').test(text);
}

/** Collapses whitespace and trims: the form sentences are matched in. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
