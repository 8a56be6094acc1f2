/**
 * Reads the small header block a mail client writes above an embedded message
 * ("From: …", "Sent: …", "To: …", "Subject: …", localized, possibly `>`-quoted,
 * `*bold*` or wrapped over two lines) and the addresses in it. Pure and linear:
 * every pattern here runs on one line of bounded length.
 */

import {
  alternation,
  FORWARD_PHRASES,
  HEADER_LABELS,
  type HeaderField,
  ORIGINAL_MESSAGE_PHRASES,
} from './forward.labels.ts';
import type { Address } from './message.model.ts';

/** CRLF to LF, invisible marks (BOM, zero-width, LRM/RLM) removed, no-break spaces made plain. */
export function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\uFEFF\u200B\u200E\u200F\u2060]/g, '')
    .replace(/\u00A0/g, ' ');
}

/** Lines longer than this are never header or separator lines (also bounds regex cost). */
export const MAX_HEADER_LINE = 400;

const LABEL_FIELD = new Map<string, HeaderField>();
for (const [field, labels] of Object.entries(HEADER_LABELS) as [HeaderField, readonly string[]][]) {
  for (const label of labels) LABEL_FIELD.set(label.toLowerCase(), field);
}
const LABELS = alternation([...Object.values(HEADER_LABELS).flat()]);

/** `[> ]* [*]Label[*] :[*] value`: bold (`*From:*`) and quoted (`> From:`) forms included. */
const LABEL_LINE = new RegExp(
  `^[ \\t]*(?:>[ \\t]?)*\\*{0,2}[ \\t]*(${LABELS})[ \\t]*\\*{0,2}[ \\t]*[:：]\\*{0,2}(.*)$`,
  'iu',
);
/** A second label inside the same line (Yahoo writes "To: x Subject: y"; HTML may inline them). */
const INLINE_LABEL = new RegExp(`\\s\\*{0,2}(${LABELS})[ \\t]?\\*{0,2}[ \\t]?[:：]\\*{0,2}\\s`, 'iu');
const QUOTE_PREFIX = /^[ \t]*(?:>[ \t]?)+/;
const SEPARATOR_RULE = /^[ \t>]*(?:[-_=*~—–]{2,}[ \t]*)$/;

function phraseLine(phrases: readonly string[]): RegExp {
  const p = alternation(phrases);
  // Either wrapped in dashes ("--- X ---", "-----X-----") or ending with a colon ("Begin forwarded message:").
  return new RegExp(
    `^[ \\t>]*(?:[-_=*]{2,}[ \\t]*(?:${p})[ \\t]*[-_=*]*|(?:${p})[ \\t]*(?:[-_=*]{2,}|:))[ \\t]*$`,
    'iu',
  );
}
const FORWARD_SEPARATOR = phraseLine(FORWARD_PHRASES);
const ORIGINAL_SEPARATOR = phraseLine(ORIGINAL_MESSAGE_PHRASES);
/** Yahoo writes the whole header on the separator's line: "----- Forwarded Message ----- From: …To: …". */
const FORWARD_INLINE = new RegExp(`(?<!-)-{2,}[ \\t]*(?:${alternation(FORWARD_PHRASES)})[ \\t]*-{2,}`, 'iu');

/** `---------- Forwarded message ---------`, `Begin forwarded message:` and their translations. */
export function isForwardSeparator(line: string): boolean {
  return line.length <= MAX_HEADER_LINE && FORWARD_SEPARATOR.test(line);
}

/** A line holding a dash-wrapped forward separator anywhere (Yahoo's one-line header included). */
export function hasForwardSeparator(line: string): boolean {
  return isForwardSeparator(line) || (line.length <= 2 * MAX_HEADER_LINE && FORWARD_INLINE.test(line));
}

/** `-----Original Message-----` and its translations (used above replies and forwards alike). */
export function isOriginalMessageSeparator(line: string): boolean {
  return line.length <= MAX_HEADER_LINE && ORIGINAL_SEPARATOR.test(line);
}

/** A line made only of rule characters (`____`, `-----`, `====`), as clients draw above a header block. */
export function isRuleLine(line: string): boolean {
  return line.length <= MAX_HEADER_LINE && SEPARATOR_RULE.test(line) && line.trim() !== '>';
}

export interface LabelMatch {
  field: HeaderField;
  value: string;
}

/** The header label a line starts with, if any. */
export function matchLabel(line: string): LabelMatch | null {
  if (line.length > MAX_HEADER_LINE) return null;
  const m = LABEL_LINE.exec(line);
  if (!m) return null;
  const field = LABEL_FIELD.get((m[1] ?? '').toLowerCase());
  return field ? { field, value: (m[2] ?? '').replace(/^\*+/, '').trim() } : null;
}

export interface HeaderBlock {
  /** First line of the block (index into the lines given). */
  start: number;
  /** One past the last line of the block. */
  end: number;
  /** Number of labels seen, inline ones included. */
  labels: number;
  /** Whether the block's lines were `>`-quoted. */
  quoted: boolean;
  fields: Partial<Record<HeaderField, string>>;
}

function unbalanced(value: string): boolean {
  const count = (re: RegExp) => (value.match(re) ?? []).length;
  return count(/[<[(]/g) > count(/[>\])]/g);
}

function isContinuation(line: string, value: string, nextIsLabel: boolean): boolean {
  const t = line.trim();
  if (t === '' || t.length > 200) return false;
  if (unbalanced(value) || /^(?:[<[(]|mailto:)/i.test(t)) return true;
  // Outlook's "From: Foo [mailto:foo@bar.com]\nOn Behalf Of bar@bar.com": a short line between two labels.
  return nextIsLabel && value !== '';
}

/** Splits "To: a Subject: b" so each field keeps its own value. The subject is never split. */
function addField(block: HeaderBlock, field: HeaderField, raw: string): void {
  let value = raw;
  let rest: string | null = null;
  if (field !== 'subject') {
    const inline = INLINE_LABEL.exec(raw);
    if (inline) {
      value = raw.slice(0, inline.index);
      rest = raw.slice(inline.index + 1);
    }
  }
  block.labels++;
  if (block.fields[field] === undefined) block.fields[field] = value.trim();
  const next = rest === null ? null : matchLabel(rest);
  if (next) addField(block, next.field, next.value);
}

/**
 * Reads the header block starting at `start` (blank lines before it are skipped,
 * up to `maxBlankBefore`). Returns null when the first non-blank line is not a label.
 */
export function readHeaderBlock(
  lines: readonly string[],
  start: number,
  maxBlankBefore = 0,
): HeaderBlock | null {
  let i = start;
  while (
    i < lines.length &&
    i - start < maxBlankBefore &&
    (lines[i] ?? '').replace(QUOTE_PREFIX, '').trim() === ''
  )
    i++;
  const first = lines[i] ?? '';
  if (!matchLabel(first)) return null;
  const block: HeaderBlock = { start: i, end: i, labels: 0, quoted: QUOTE_PREFIX.test(first), fields: {} };
  let last: HeaderField | null = null;
  const limit = Math.min(lines.length, i + 24);
  for (; i < limit; i++) {
    const line = lines[i] ?? '';
    const label = matchLabel(line);
    if (label) {
      addField(block, label.field, label.value);
      last = label.field;
      continue;
    }
    const bare = line.replace(QUOTE_PREFIX, '');
    const value = last ? (block.fields[last] ?? '') : '';
    if (last && isContinuation(bare, value, matchLabel(lines[i + 1] ?? '') !== null)) {
      if (last !== 'from' || !/^on behalf of/i.test(bare.trim()))
        block.fields[last] = `${value} ${bare.trim()}`;
      continue;
    }
    break;
  }
  block.end = i;
  return block;
}

const EMAIL = /[^\s<>[\]()"',;:@]+@[^\s<>[\]()"',;:@]+\.[^\s<>[\]()"',;:@]+/;

/** Parses one mailbox ("Name <a@b>", "\"Name\" [mailto:a@b]", "a@b", "Name"). `address` is '' when absent. */
export function parseMailbox(raw: string): Address | null {
  const text = raw.replace(/mailto:/gi, ' ').trim();
  if (text === '') return null;
  const address = (EMAIL.exec(text)?.[0] ?? '').replace(/[.>]+$/, '').toLowerCase();
  let name = text;
  for (let i = 0; i < 3; i++) name = name.replace(/<[^<>]*>|\[[^[\]]*@[^[\]]*\]|\([^()]*@[^()]*\)/g, ' ');
  if (address) name = name.replace(EMAIL, ' ');
  name = name
    .replace(/[<>[\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^["'\s]+|["'\s]+$/g, '')
    .trim();
  if (name.toLowerCase() === address) name = '';
  if (!address && !name) return null;
  return { name, address };
}

/** Splits an address list on `,`/`;` outside quotes and brackets; keeps "Doe, John <j@d>" together. */
export function parseAddressList(raw: string): Address[] {
  const parts: string[] = [];
  let current = '';
  let depth = 0;
  let quoted = false;
  for (const ch of raw) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && '<[('.includes(ch)) depth++;
    else if (!quoted && '>])'.includes(ch)) depth = Math.max(0, depth - 1);
    if (!quoted && depth === 0 && (ch === ',' || ch === ';')) {
      parts.push(current);
      current = ch === ',' ? '\u0000' : '';
      continue;
    }
    current += ch;
  }
  parts.push(current);
  const merged: string[] = [];
  for (const part of parts) {
    const prev = merged[merged.length - 1];
    const byComma = part.startsWith('\u0000');
    const clean = part.replace('\u0000', '');
    // "Walter, Sheltan <w@s>": a name-only piece followed, after a comma, by "name <address>".
    if (prev !== undefined && byComma && !EMAIL.test(prev) && /^\s*[^<@]+<[^>]*@/.test(clean)) {
      merged[merged.length - 1] = `${prev},${clean}`;
    } else merged.push(clean);
  }
  return merged.map(parseMailbox).filter((a): a is Address => a !== null);
}
