/**
 * Invisible Unicode in mail is a classic way to smuggle instructions past a human reader to a
 * model: tag characters (U+E0000–U+E007F) spell ASCII that no client renders, zero-width
 * characters split trigger words, bidi overrides make text read differently than it is stored.
 * Everything untrusted is passed through `stripInvisible` before a rule or a model sees it;
 * what was removed is reported so it can be flagged in the journal.
 */

export type InvisibleKind = 'tag' | 'zero-width' | 'bidi';

export interface StrippedText {
  text: string;
  /** How many characters were removed, by kind (absent kinds are omitted). */
  removed: Partial<Record<InvisibleKind, number>>;
  /** ASCII spelled by tag characters (the hidden message itself), '' when none. */
  hidden: string;
}

// Zero-width space/non-joiner/joiner, word joiner, invisible operators, BOM/ZWNBSP, Mongolian vowel
// separator, soft hyphen, combining grapheme joiner, Hangul fillers, and the variation selectors
// supplement (U+E0100–U+E01EF: 240 invisible code points, enough to smuggle bytes behind one glyph).
// Combining marks (U+034F, U+1160, the selectors) stand outside the class, which would misread them.
const ZERO_WIDTH =
  /[\u200B-\u200D\u2060-\u2064\uFEFF\u180E\u00AD\u115F\u3164\uFFA0]|\u034F|\u1160|[\u{E0100}-\u{E01EF}]/gu;
// LRM/RLM, ALM, embeddings/overrides (LRE…RLO, PDF) and isolates (LRI…PDI).
const BIDI = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/gu;
const TAG = /[\u{E0000}-\u{E007F}]/gu;

/** Removes invisible characters; pure and total. */
export function stripInvisible(input: string): StrippedText {
  const removed: Partial<Record<InvisibleKind, number>> = {};
  let hidden = '';
  let text = input.replace(TAG, (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    // U+E0020..U+E007E mirror printable ASCII; U+E0001 (LANGUAGE TAG) and U+E007F (CANCEL TAG) do not.
    if (cp >= 0xe0020 && cp <= 0xe007e) hidden += String.fromCharCode(cp - 0xe0000);
    removed.tag = (removed.tag ?? 0) + 1;
    return '';
  });
  text = text.replace(ZERO_WIDTH, () => {
    removed['zero-width'] = (removed['zero-width'] ?? 0) + 1;
    return '';
  });
  text = text.replace(BIDI, () => {
    removed.bidi = (removed.bidi ?? 0) + 1;
    return '';
  });
  return { text, removed, hidden };
}

/** Total characters removed. */
export function invisibleCount(s: StrippedText): number {
  return Object.values(s.removed).reduce((a, b) => a + (b ?? 0), 0);
}
