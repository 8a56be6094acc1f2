import { QuarantineError } from '../shared/errors.ts';

/** Limits applied before and during parsing (RELIABILITY.md item 22). */
export interface ParseLimits {
  /** Most MIME parts we parse; more is quarantined. */
  maxParts: number;
  /** HTML longer than this is not converted to text in full (it is truncated first). */
  maxHtmlChars: number;
  /** Text bodies are cut to this many characters for triage and skills. */
  maxTextChars: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = Object.freeze({
  maxParts: 500,
  maxHtmlChars: 1_000_000,
  maxTextChars: 200_000,
});

/**
 * Counts MIME part headers without parsing: a cheap guard that runs before mailparser
 * so a message with thousands of parts is refused in milliseconds. Overcounts rather
 * than undercounts (any line starting with `Content-Type:` counts). Throws
 * QuarantineError when over the limit.
 */
export function assertPartCount(raw: Buffer, limits: ParseLimits): void {
  let count = 0;
  const needle = 'content-type:';
  // Scan as latin1: byte-for-byte, no decoding cost, no invalid-UTF-8 surprises.
  const text = raw.toString('latin1');
  let i = 0;
  for (;;) {
    const nl = text.indexOf('\n', i);
    if (nl < 0) break;
    const start = nl + 1;
    const head = text.slice(start, start + needle.length).toLowerCase();
    if (head === needle && ++count > limits.maxParts) {
      throw new QuarantineError('TOO_MANY_PARTS', `message has more than ${limits.maxParts} MIME parts`, {
        maxParts: limits.maxParts,
      });
    }
    i = start;
  }
}
