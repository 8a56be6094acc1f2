/**
 * Extracts what the sender newly wrote in a reply: the quoted history, its header
 * ("On … wrote:", localized and wrapped; "-----Original Message-----"; Outlook's
 * "From:/Sent:" block) and the signature are removed.
 *
 * Line-based, in the manner of mailgun/talon: each line is classified, the quote
 * is the `>` block after a quote header, or everything after a header the client
 * did not `>`-quote (Gmail, Outlook). Unquoted text after a `>` block is kept
 * (bottom posts, inline answers). A forwarded block is not history: it is kept.
 *
 * Why not `email-reply-parser`: its signature rules cut prose ("----" rules, any
 * "Sent from …" line), its from-line rule cuts "from: a@b" in a sentence, and it
 * runs for minutes on the 767 KB github fixture. Its quote-header and sign-off
 * coverage is folded into our tables (`forward.labels.ts`, `reply.signature.ts`).
 *
 * Every pattern runs on one line (or a short window of lines) of bounded length,
 * so time is linear in the input.
 */
import {
  hasForwardSeparator,
  isOriginalMessageSeparator,
  MAX_HEADER_LINE,
  normalizeText,
  readHeaderBlock,
} from './forward.header.ts';
import { alternation, ON_WORDS, WROTE_WORDS } from './forward.labels.ts';
import { isBlank, isDelimiter, signatureStart, trimTail } from './reply.signature.ts';

export { stripSignature } from './reply.signature.ts';

const ON = new RegExp(`^[-\\s]*(?:${alternation(ON_WORDS)})(?:\\s|(?=\\d))`, 'iu');
const WROTE = alternation(WROTE_WORDS, false);
// CJK writes the verb right after a digit or an ideogram ("10:15写道："), with no space.
const ENDS_WROTE = new RegExp(
  `(?:^|[\\s>"'),.，\\p{N}\\p{sc=Han}\\p{sc=Hangul}])(?:${WROTE})\\s*[:：]?[\\s-]*$`,
  'iu',
);
const MID_WROTE = new RegExp(`\\s(?:${WROTE})\\s.*[:：]\\s*$`, 'iu');
const STARTS_DATE = /^[-\s]*(?:\p{L}{1,12}\.?,?\s)?\d{1,4}(?:[./:\-\s,年년]|$)/u;
const EMAIL = /[^\s@<>()[\]"]+@[^\s@<>()[\]"]+/;
const ENDS_BRACKETED_EMAIL_COLON = /@[^\s@<>()[\]]+\s*[>)\]]\s*[:：]\s*$/;
/** A time ("10:07", "17.50") or a year: what makes a line that starts with a number a date. */
const DATEISH = /\d{1,2}[:.]\d{2}|\b(?:19|20)\d{2}\b/;
const GMAIL_OLD = /^\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b.*@[^\s@<>]+>\s*[:：]?\s*$/;
const QUOTED = /^[ \t]*>/;

const isQuoted = (line: string): boolean => QUOTED.test(line);

/** Whether a joined window of lines reads as an attribution ("On …, Name <a@b> wrote:"). */
function attributionStrength(w: string, hasBlank: boolean): 'strong' | 'weak' | null {
  const wrote = ENDS_WROTE.test(w) || (MID_WROTE.test(w) && /[:：]\s*$/.test(w));
  const dated = STARTS_DATE.test(w) && DATEISH.test(w);
  if (((ON.test(w) && /\d/.test(w)) || dated) && wrote) return 'strong';
  if (dated && ENDS_BRACKETED_EMAIL_COLON.test(w) && !hasBlank) return 'strong';
  if (hasBlank || w.length > 250) return null;
  if (wrote && (EMAIL.test(w) || /^-{2,}.*-{2,}$/.test(w))) return 'weak';
  return null;
}

/** The attribution ending at line `end`, as [start line, text kept before it on that line]. */
function attributionEndingAt(lines: readonly string[], end: number): [number, string] | null {
  const last = lines[end] ?? '';
  if (last.length > MAX_HEADER_LINE || !/(?:[:：>-]|\bwrote)\s*$/i.test(last)) return null;
  let weak: number | null = null;
  let joined = '';
  let hasBlank = false;
  for (let start = end; start >= 0 && end - start < 6; start--) {
    const line = lines[start] ?? '';
    if (line.length > MAX_HEADER_LINE || (start < end && /[.!?]\s*$/.test(line))) break;
    if (start < end && isQuoted(line)) break;
    if (isBlank(line)) {
      if (!/^\s*(?:[<>]|mailto:)/i.test(lines[start + 1] ?? '')) break;
      hasBlank = true;
      continue;
    }
    joined = `${line.trim()} ${joined}`.trim();
    if (joined.length > 500 || (isQuoted(line) && line.trim().length > 20)) break;
    if (isQuoted(line)) continue;
    const strength = attributionStrength(joined, hasBlank);
    if (strength === 'strong') return [widen(lines, start, end, joined), ''];
    if (strength === 'weak' && weak === null) weak = start;
    if (start === end && GMAIL_OLD.test(joined)) return [start, ''];
  }
  // "reply On <date>, a@b wrote:" reads as a weak one-line header: the shared-line reading wins.
  const shared = sharedLine(last, end);
  if (weak !== null && (weak < end || shared === null)) return [weak, ''];
  return shared;
}

/** "On Nov 21, 2014,\nat 10:18,\nJohn <j@d> wrote:": lines ending with a comma above a header belong to it. */
function widen(lines: readonly string[], start: number, end: number, joined: string): number {
  let s = start;
  let text = joined;
  while (s > 0 && end - s < 5) {
    const above = lines[s - 1] ?? '';
    if (above.length > MAX_HEADER_LINE || isQuoted(above) || !/,\s*$/.test(above)) break;
    text = `${above.trim()} ${text}`;
    if (attributionStrength(text, false) !== 'strong') break;
    s--;
  }
  return s;
}

/** "reply--- On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:": the reply shares the line. */
function sharedLine(line: string, end: number): [number, string] | null {
  if (isQuoted(line) || !ENDS_WROTE.test(line) || !EMAIL.test(line)) return null;
  const on = new RegExp(`(?:\\s|-{2,})(?=(?:${alternation(ON_WORDS)})\\s)`, 'giu');
  for (const m of line.matchAll(on)) {
    const rest = line.slice(m.index);
    if (attributionStrength(rest.replace(/^[\s-]+/, ''), false) === 'strong') {
      return [end, line.slice(0, m.index).replace(/[\s-]+$/, '')];
    }
  }
  return null;
}

/** Start line → [end line, kept prefix] of every quote header ("On … wrote:" form). */
function findAttributions(lines: readonly string[]): Map<number, [number, string]> {
  const found = new Map<number, [number, string]>();
  for (let end = 0; end < lines.length; end++) {
    const hit = attributionEndingAt(lines, end);
    if (hit && !found.has(hit[0])) found.set(hit[0], [end, hit[1]]);
  }
  return found;
}

/**
 * Outlook's "From:/Sent:/To:/Subject:" block. Labels alone are weak evidence ("Date: Friday\nTo: all"
 * can be prose), so the values must read as mail headers: a From with an address, or three labels,
 * or a dated block that names an address.
 */
function headerBlockAt(lines: readonly string[], i: number): number | null {
  const block = readHeaderBlock(lines, i);
  if (!block || block.quoted || block.labels < 2) return null;
  const { from, date } = block.fields;
  const named = Object.values(block.fields).some((v) => v?.includes('@'));
  const ok = from !== undefined ? from.includes('@') || block.labels >= 3 : /\d/.test(date ?? '') && named;
  return ok ? block.end - 1 : null;
}

/** Index after a `>` block: quoted lines, blank lines inside it, wrapped lines between two quoted lines. */
function endOfQuote(lines: readonly string[], i: number): number {
  let j = i;
  while (j < lines.length) {
    if (isQuoted(lines[j] ?? '')) {
      j++;
      continue;
    }
    let k = j;
    const blank = isBlank(lines[j] ?? '');
    while (k < lines.length && !isQuoted(lines[k] ?? '') && isBlank(lines[k] ?? '') === blank) k++;
    if (k < lines.length && isQuoted(lines[k] ?? '')) j = k;
    else break;
  }
  return j;
}

interface Split {
  reply: string[];
  /** A forwarded block met before any quote: kept verbatim after the reply. */
  forward: string[];
}

/** Index of the first non-blank line from `i`. */
function skipBlank(lines: readonly string[], i: number): number {
  let j = i;
  while (j < lines.length && isBlank(lines[j] ?? '')) j++;
  return j;
}

/** After a dropped block, blank lines are dropped too when the reply already ends with one. */
function resume(reply: readonly string[], lines: readonly string[], i: number): number {
  return reply.length === 0 || isBlank(reply[reply.length - 1] ?? '') ? skipBlank(lines, i) : i;
}

/** "Message du : 12/12/2016 13:20" right above a header block belongs to it. */
function dropHeaderLead(reply: string[]): void {
  const last = reply[reply.length - 1] ?? '';
  if (last.length < 100 && /^\s*\p{L}+(?: \p{L}+){0,2}\s?:\s*\S.*\d/u.test(last)) reply.pop();
}

/** Walks the lines top-down, dropping quote headers and the history they introduce. */
function dropQuotes(lines: readonly string[]): Split {
  const attributions = findAttributions(lines);
  const reply: string[] = [];
  let seenHeader = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (!seenHeader && !isQuoted(line) && hasForwardSeparator(line))
      return { reply, forward: lines.slice(i) };
    const attribution = attributions.get(i);
    const block =
      attribution || isQuoted(line) || isOriginalMessageSeparator(line) ? null : headerBlockAt(lines, i);
    const end = attribution?.[0] ?? block ?? (isOriginalMessageSeparator(line) ? i : null);
    if (end !== null && !isQuoted(line)) {
      if (attribution?.[1]) reply.push(attribution[1]);
      if (block !== null) dropHeaderLead(reply);
      seenHeader = true;
      const next = skipBlank(lines, end + 1);
      if (next >= lines.length || !isQuoted(lines[next] ?? '')) break;
      i = resume(reply, lines, endOfQuote(lines, next));
      continue;
    }
    if (isQuoted(line)) {
      const after = endOfQuote(lines, i);
      const next = skipBlank(lines, after);
      if (seenHeader || next >= lines.length || isDelimiter(lines[next] ?? '')) {
        i = resume(reply, lines, after);
        continue;
      }
      reply.push(...lines.slice(i, after));
      i = after;
      continue;
    }
    reply.push(line);
    i++;
  }
  return { reply, forward: [] };
}

/**
 * The newly written text of a plain-text reply: quoted history, quote headers and
 * the signature removed, trimmed. A forwarded block (after the note) is kept.
 * Never throws; linear in the length of the text.
 */
export function extractReplyText(text: string): string {
  try {
    const { reply, forward } = dropQuotes(normalizeText(text).split('\n'));
    const own = trimTail(reply.slice(0, signatureStart(reply)));
    return [...own, ...(own.length > 0 && forward.length > 0 ? [''] : []), ...forward].join('\n').trim();
  } catch {
    return text.trim();
  }
}
