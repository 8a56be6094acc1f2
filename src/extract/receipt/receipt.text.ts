/**
 * Text helpers for receipts read by OCR or taken from a mail body: lines, the repair of OCR's
 * usual letter-for-digit mistakes inside numbers, and label patterns that survive OCR's usual
 * digit-for-letter mistakes inside words ("Tota1", "Totai", "T0TAL"). Pure.
 */

export interface Line {
  /** 0-based index in the document's lines. */
  index: number;
  /** The line as written, whitespace collapsed: the evidence. */
  text: string;
}

/** Non-empty lines, whitespace collapsed. Keeps the original index order. */
export function toLines(text: string): Line[] {
  const out: Line[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw
      .replace(/[\t\u00a0\u2000-\u200b\u202f]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim();
    if (line) out.push({ index: out.length, text: line });
  }
  return out;
}

// Letters OCR puts where a digit was printed. Only rewritten when they touch a digit or a
// decimal point, so words stay words ("SOLD" is not "501D").
const AS_DIGIT: Record<string, string> = {
  O: '0',
  o: '0',
  D: '0',
  Q: '0',
  I: '1',
  l: '1',
  '|': '1',
  S: '5',
  s: '5',
  '§': '5',
  B: '8',
};
const DIGIT_NEIGHBOUR = /[0-9]/;

// After a currency mark, an amount made of look-alikes with a stray space at its point: "RMS. OO".
const MARKED_AMOUNT =
  /(?<![A-Za-z])(RM|MYR|\$)(\s?)([0-9OoDQIlSsB]{1,4})\s?([.,])\s?([0-9OoDQIlSs]{2})(?![A-Za-z0-9])/g;
const asDigits = (run: string) => [...run].map((c) => AS_DIGIT[c] ?? c).join('');

/**
 * Rewrites look-alike letters as digits where they sit inside a number: "RM1O.5O" → "RM10.50",
 * "l2.00" → "12.00", "RMS.00" → "RM5.00", "RMS. OO" → "RM5.00". Two passes, so "OO" after a
 * point becomes "00".
 */
export function repairDigits(s: string): string {
  let chars = [
    ...s.replace(
      MARKED_AMOUNT,
      (_, mark, gap, int, point, cents) => `${mark}${gap}${asDigits(int)}${point}${asDigits(cents)}`,
    ),
  ];
  for (let pass = 0; pass < 2; pass++) {
    const next = [...chars];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i]!;
      const repl = AS_DIGIT[c];
      if (!repl) continue;
      const prev = chars[i - 1] ?? '';
      const after = chars[i + 1] ?? '';
      const prev2 = chars[i - 2] ?? '';
      const after2 = chars[i + 2] ?? '';
      const digitBefore =
        DIGIT_NEIGHBOUR.test(prev) || ((prev === '.' || prev === ',') && DIGIT_NEIGHBOUR.test(prev2));
      const digitAfter =
        DIGIT_NEIGHBOUR.test(after) || ((after === '.' || after === ',') && /[0-9OoSs]/.test(after2));
      // A letter between two other letters is part of a word, whatever touches it.
      const inWord = /[A-Za-z]/.test(prev) && /[A-Za-z]/.test(after);
      if ((digitBefore || digitAfter) && !inWord) next[i] = repl;
    }
    chars = next;
  }
  return chars.join('');
}

// How OCR misreads each letter of a label, as a character class.
const LOOKALIKE: Record<string, string> = {
  o: '[o0q]',
  l: '[l1i!|]',
  i: '[il1!|]',
  t: '[t+]',
  s: '[s5$]',
  a: '[a@]',
  e: '[ec]',
  g: '[g6]',
};

/**
 * A case-insensitive pattern for a label phrase that tolerates OCR's look-alikes and loose
 * spacing: `label('sub total')` matches "SUBTOTAL", "Sub-Total", "5ub Tota1".
 */
export function label(phrase: string): string {
  return phrase
    .toLowerCase()
    .split(/\s+/)
    .map((word) => [...word].map((c) => LOOKALIKE[c] ?? (/[a-z0-9]/.test(c) ? c : `\\${c}`)).join(''))
    .join('[\\s._-]*');
}

/** A RegExp from label phrases (alternatives), matched on word boundaries, case-insensitive. */
export function labelRegex(phrases: string[]): RegExp {
  return new RegExp(`(?<![a-z])(?:${phrases.map(label).join('|')})(?![a-z])`, 'i');
}
