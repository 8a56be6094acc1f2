/**
 * Text folded for injection rules, with a map back to the original characters. Pure.
 *
 * Attackers write trigger words so that a reader (or a model) still reads them but a naive
 * pattern does not match: accents and compatibility forms (`ｉｇｎｏｒｅ`, `ﬁ`), look-alike
 * Cyrillic or Greek letters (`ignоre` with a Cyrillic о), soft hyphens, quote markers of a
 * reply (`> `) in the middle of a wrapped sentence. Folding removes those differences so the
 * rules can be written in plain ASCII lower-case words with `\b` boundaries, while a finding
 * still quotes the text as it was written.
 */
import { stripInvisible } from '../shared/invisible.ts';

export interface FoldedText {
  /** NFKD without combining marks, look-alikes mapped to Latin, whitespace runs collapsed. */
  folded: string;
  /** For each index of `folded`, the index in the original text it came from. */
  origin: number[];
}

// Cyrillic and Greek letters that render like Latin ones (the common subset of Unicode's
// confusables), each mapped to the Latin letter at the same position.
const LOOKALIKE_FROM = 'авеёкмнорстухіїјѕԁԛԝɡıАВЕКМНОРСТХІЈЅαορντικυΑΒΕΖΗΙΚΜΝΟΡΤΥΧ';
const LOOKALIKE_TO = 'abeekmhopctyxiijsdqwgiABEKMHOPCTXIJSaopvtikuABEZHIKMNOPTYX';
const LOOKALIKES = new Map([...LOOKALIKE_FROM].map((ch, i) => [ch, LOOKALIKE_TO[i]!]));

// Invisible or ignorable characters that src/shared/invisible.ts leaves in place: soft hyphen,
// combining grapheme joiner, Hangul fillers, and the variation selectors.
const IGNORABLE = new Set([0xad, 0x34f, 0x115f, 0x1160, 0x3164, 0xffa0]);
const isIgnorable = (cp: number): boolean => IGNORABLE.has(cp) || (cp >= 0xfe00 && cp <= 0xfe0f);
const WHITESPACE = /\s/;

/** Folds `text` (invisible characters are removed too, so the map skips them). Linear time. */
export function foldText(text: string): FoldedText {
  // Parts are joined once at the end: reading the last character of a growing string would
  // flatten it on every step (quadratic on a long body).
  const parts: string[] = [];
  const origin: number[] = [];
  let last = '';
  let i = 0;
  for (const ch of text) {
    const at = i;
    i += ch.length;
    const cp = ch.codePointAt(0) ?? 0;
    if (cp > 0x7f && (isIgnorable(cp) || stripInvisible(ch).text === '')) continue;
    if (WHITESPACE.test(ch)) {
      const newline = ch === '\n' || ch === '\r';
      if (last === '\n' || (last === ' ' && !newline)) continue;
      if (last === ' ') {
        parts[parts.length - 1] = '\n'; // a space then a line break: keep the break, same origin
      } else {
        parts.push(newline ? '\n' : ' ');
        origin.push(at);
      }
      last = newline ? '\n' : ' ';
      continue;
    }
    const base = cp <= 0x7f ? ch : (LOOKALIKES.get(ch) ?? ch.normalize('NFKD').replace(/\p{M}/gu, ''));
    for (const unit of base) {
      parts.push(unit);
      origin.push(at);
      last = unit;
    }
  }
  return dropQuoteMarkers({ folded: parts.join(''), origin });
}

/** Removes `>` quote markers at the start of lines, so a quoted sentence reads as one. */
function dropQuoteMarkers(f: FoldedText): FoldedText {
  const parts: string[] = [];
  const origin: number[] = [];
  const marker = /^(?:[ ]?>)+[ ]?/gm;
  let from = 0;
  for (const m of f.folded.matchAll(marker)) {
    parts.push(f.folded.slice(from, m.index));
    for (let k = from; k < m.index; k++) origin.push(f.origin[k]!);
    from = m.index + m[0].length;
  }
  parts.push(f.folded.slice(from));
  for (let k = from; k < f.folded.length; k++) origin.push(f.origin[k]!);
  return { folded: parts.join(''), origin };
}

/** The original text behind `folded[start, end)`. */
export function originalSlice(text: string, f: FoldedText, start: number, end: number): string {
  if (end <= start || start >= f.origin.length) return '';
  const from = f.origin[start]!;
  const lastAt = f.origin[Math.min(end, f.origin.length) - 1]!;
  const last = text.codePointAt(lastAt) ?? 0;
  return text.slice(from, lastAt + (last > 0xffff ? 2 : 1));
}
