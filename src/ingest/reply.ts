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
 * Why not `email-reply-parser` alone: its signature rules cut prose ("Sent from
 * our system…", "----" rules), its from-line rule cuts "from: a@b" in a sentence,
 * and its patterns run for minutes on the 767 KB github fixture. Its quote-header
 * and sign-off coverage is folded into the tables here.
 *
 * Every pattern runs on one line (or a short window of lines) of bounded length,
 * so time is linear in the input.
 */
import {
  isForwardSeparator,
  isOriginalMessageSeparator,
  isRuleLine,
  MAX_HEADER_LINE,
  readHeaderBlock,
} from './forward.header.ts';
import { alternation, ON_WORDS, WROTE_WORDS } from './forward.labels.ts';

const ON = new RegExp(`^[-\\s]*(?:${alternation(ON_WORDS)})(?:\\s|(?=\\d))`, 'iu');
const WROTE = alternation(WROTE_WORDS, false);
const ENDS_WROTE = new RegExp(`(?:^|[\\s>"'),.])(?:${WROTE})\\s*[:：]?[\\s-]*$`, 'iu');
const MID_WROTE = new RegExp(`\\s(?:${WROTE})\\s.*[:：]\\s*$`, 'iu');
const STARTS_DATE = /^[-\s]*(?:\p{L}{1,12}\.?,?\s)?\d{1,4}(?:[./:\-\s,年년]|$)/u;
const EMAIL = /[^\s@<>()[\]"]+@[^\s@<>()[\]"]+/;
const ENDS_BRACKETED_EMAIL_COLON = /@[^\s@<>()[\]]+\s*[>)\]]\s*[:：]\s*$/;
const GMAIL_OLD = /^\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b.*@[^\s@<>]+>\s*[:：]?\s*$/;
const QUOTED = /^[ \t]*>/;

const isBlank = (line: string): boolean => line.trim() === '';
const isQuoted = (line: string): boolean => QUOTED.test(line);

/** Whether a joined window of lines reads as an attribution ("On …, Name <a@b> wrote:"). */
function attributionStrength(w: string, hasBlank: boolean): 'strong' | 'weak' | null {
  const wrote = ENDS_WROTE.test(w) || (MID_WROTE.test(w) && /[:：]\s*$/.test(w));
  if ((ON.test(w) || STARTS_DATE.test(w)) && /\d/.test(w) && wrote) return 'strong';
  if (STARTS_DATE.test(w) && ENDS_BRACKETED_EMAIL_COLON.test(w) && !hasBlank) return 'strong';
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

/** Outlook's "From:/Sent:/To:/Subject:" block (two labels at least, one of them From or Date). */
function headerBlockAt(lines: readonly string[], i: number): number | null {
  const block = readHeaderBlock(lines, i);
  if (!block || block.quoted || block.labels < 2) return null;
  if (block.fields.from === undefined && block.fields.date === undefined) return null;
  return block.end - 1;
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
    if (!seenHeader && !isQuoted(line) && isForwardSeparator(line)) return { reply, forward: lines.slice(i) };
    const attribution = attributions.get(i);
    const block = attribution || isQuoted(line) || isOriginalMessageSeparator(line) ? null : headerBlockAt(lines, i);
    const end = attribution?.[0] ?? (block ?? (isOriginalMessageSeparator(line) ? i : null));
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

const MOBILE =
  /^\s*(?:sent (?:from|with|via|using)|get outlook for|envoyé (?:de|depuis|à partir de|avec)|(?:télécharger|obtenir) outlook pour|von meinem\s.{1,40}\sgesendet|gesendet (?:von|mit)|enviado (?:desde|con|de|do|a partir d[oe])|obtener outlook para|inviato da|verzonden (?:vanaf|met)|verstuurd (?:vanaf|met)|sendt fra|skickat från|lähetetty|wysłane z|wysłano z|odesláno z|отправлено (?:с|из)|надіслано з)\s/iu;
const MOBILE_CJK = /^\s*(?:发自|從我的|从我的|來自我的)\S.{0,30}$|(?:から送信|에서 보냄|'umdan gönderildi)\s*$/u;
const SIGN_OFF = new RegExp(
  `^\\s*(?:(?:(?:best|kind|warm|warmest|many|with kind|with best|with warm|thanks and|thanks &)\\s+)?regards|best wishes|cheers|cordialement|bien (?:à|a) vous|bonne (?:journée|soirée)|mit freundlichen grüßen|(?:viele|liebe|beste|freundliche) grüße|(?:met )?vriendelijke groet(?:en)?|saludos(?: cordiales)?|un saludo|atentamente|cordiali saluti|distinti saluti|atenciosamente|cumprimentos|(?:med )?vänliga hälsningar|med venlig hilsen|med vennlig hilsen|ystävällisin terveisin|pozdrawiam|z poważaniem|s pozdravem|с уважением|saygılarımla|üdvözlettel)\\s*[,.!]*\\s*(?:,\\s*[\\p{L} .'-]{1,40})?$`,
  'iu',
);

function isMobileSignature(line: string): boolean {
  const bare = line.replace(/<[^<>\s]*>|\([^()\s]*\)|https?:\/\/\S+/g, '').trim();
  if (MOBILE_CJK.test(bare)) return true;
  return MOBILE.test(`${bare} `) && !/[,:;!?]/.test(bare) && bare.split(/\s+/).length <= 9;
}

/** A line that opens a signature whatever follows: "-- " (RFC 3676 §4.3; often sent without the space), an em-dash rule, "Sent from my iPhone". */
function isDelimiter(line: string): boolean {
  if (line.length > 200) return false;
  const t = line.trim();
  return t === '--' || /^[—–]+$/.test(t) || isMobileSignature(line);
}

/** Index of the first signature line, or `lines.length` when there is none. */
export function signatureStart(lines: readonly string[]): number {
  const nonBlankAfter: number[] = new Array(lines.length + 1).fill(0);
  for (let i = lines.length - 1; i >= 0; i--) nonBlankAfter[i] = (nonBlankAfter[i + 1] ?? 0) + (isBlank(lines[i] ?? '') ? 0 : 1);
  const within = (i: number, end: number) => (nonBlankAfter[i + 1] ?? 0) - (nonBlankAfter[end] ?? 0);
  let cut = lines.length;
  let fenced = false;
  for (let i = 0; i < lines.length && cut === lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*```/.test(line)) fenced = !fenced;
    if (fenced) continue;
    // A rule of underscores opens a mailing-list footer or a disclaimer: only when little follows.
    if (isDelimiter(line) || (/^\s*_{2,}\s*$/.test(line) && within(i, lines.length) <= 20)) cut = i;
  }
  const first = lines.findIndex((l) => !isBlank(l));
  for (let i = first + 1; i < cut; i++) {
    const line = lines[i] ?? '';
    if (line.length <= 200 && SIGN_OFF.test(line) && within(i, cut) <= 6) return i;
  }
  // "-Abhishek Kona": a dash glued to a name, alone after a blank line at the end.
  let last = cut - 1;
  while (last > first && isBlank(lines[last] ?? '')) last--;
  const t = (lines[last] ?? '').trim();
  const named = t.length < 60 && /^-\p{Lu}[\p{L}.'-]*(?: [\p{L}.'-]+){0,3}$/u.test(t);
  return last > first && named && isBlank(lines[last - 1] ?? '') ? last : cut;
}

function trimTail(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && (isBlank(out[out.length - 1] ?? '') || isRuleLine(out[out.length - 1] ?? ''))) out.pop();
  return out;
}

function normalize(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\uFEFF\u200B\u200E\u200F\u2060]/g, '')
    .replace(/\u00A0/g, ' ')
    .split('\n');
}

/** Removes the signature block from a text that has no quote (exported for the benchmark's talon cases). */
export function stripSignature(text: string): string {
  const lines = normalize(text);
  return trimTail(lines.slice(0, signatureStart(lines))).join('\n').trim();
}

/**
 * The newly written text of a plain-text reply: quoted history, quote headers and
 * the signature removed, trimmed. A forwarded block (after the note) is kept.
 * Never throws; linear in the length of the text.
 */
export function extractReplyText(text: string): string {
  try {
    const { reply, forward } = dropQuotes(normalize(text));
    const own = trimTail(reply.slice(0, signatureStart(reply)));
    return [...own, ...(own.length > 0 && forward.length > 0 ? [''] : []), ...forward].join('\n').trim();
  } catch {
    return text.trim();
  }
}
