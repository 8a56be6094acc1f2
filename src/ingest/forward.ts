/**
 * Unwraps a forward written inline in a text body ("---------- Forwarded message
 * ---------", "Begin forwarded message:", Outlook's "From:/Sent:" block …).
 *
 * The crisp `email-forward-parser` library does most of the work; around it we:
 * - bound its input, because some of its patterns backtrack quadratically on long
 *   lines (50 000 spaces take 13 s);
 * - let the subject decide: a reply ("Re:") is never a forward, a forward ("Fwd:")
 *   allows Outlook's bare header block, and any other subject (the library then
 *   gives up) needs an explicit forward separator in the body;
 * - fall back to our own reader (`forward.header.ts`) for separators and header
 *   labels the library does not know (Gmail in Russian or Czech, Japanese labels …)
 *   and when it finds no sender;
 * - normalise its output into our `ForwardedMessage` (lower-cased addresses, no
 *   separator line left in the forwarder's note).
 */
import EmailForwardParser, { type EmailForwardMailbox } from 'email-forward-parser';
import {
  hasForwardSeparator,
  isForwardSeparator,
  isOriginalMessageSeparator,
  isRuleLine,
  MAX_HEADER_LINE,
  normalizeText,
  parseAddressList,
  parseMailbox,
  readHeaderBlock,
} from './forward.header.ts';
import { FORWARD_SUBJECT_PREFIXES, REPLY_SUBJECT_PREFIXES } from './forward.labels.ts';
import type { Address, ForwardedMessage } from './message.model.ts';

/** Text beyond this is not searched for the forward header (the body after it is kept whole). */
const MAX_PROBE_CHARS = 64 * 1024;

const library = new EmailForwardParser();
const FORWARD_PREFIXES = new Set(FORWARD_SUBJECT_PREFIXES.map((p) => p.toLowerCase()));
const REPLY_PREFIXES = new Set(REPLY_SUBJECT_PREFIXES.map((p) => p.toLowerCase()));

type SubjectKind = 'forward' | 'reply' | 'other' | 'unknown';

/** Gateways prepend tags ("[EXT] FW: …", "[External] Re: …"); the prefix that counts follows them. */
const untagged = (subject: string) => subject.replace(/^\s*(?:\[[^\]]{0,40}\]\s*)+/, '');

function subjectKind(subject: string | null): SubjectKind {
  if (subject === null) return 'unknown';
  const m = /^\s*([^\s:：]{1,12})\s*[:：]/u.exec(untagged(subject));
  const prefix = (m?.[1] ?? '').replace(/\[\d+\]$/, '').toLowerCase();
  if (FORWARD_PREFIXES.has(prefix)) return 'forward';
  if (REPLY_PREFIXES.has(prefix)) return 'reply';
  return 'other';
}

/** The forwarded subject when the body has none: the forwarding subject minus one "Fwd:". */
function subjectFromForwarding(subject: string | null): string | null {
  if (subject === null) return null;
  const stripped = untagged(subject)
    .replace(/^\s*[^\s:：]{1,12}\s*[:：]\s*/u, '')
    .trim();
  return stripped || null;
}

/** Drops the separator lines a note ends with ("-----Original Message-----", "____"), then trims. */
function cleanNote(note: string): string | null {
  const lines = note.split('\n');
  while (lines.length > 0) {
    const last = lines[lines.length - 1] ?? '';
    if (
      last.trim() === '' ||
      isRuleLine(last) ||
      isForwardSeparator(last) ||
      isOriginalMessageSeparator(last)
    ) {
      lines.pop();
    } else if (last.length <= MAX_HEADER_LINE && /^\s*-{2,}.*-{2,}\s*$/.test(last)) {
      lines.pop(); // "---------- Some unknown phrase ---------": a separator we have no translation for
    } else break;
  }
  const out = lines.join('\n').trim();
  return out === '' ? null : out;
}

interface Found {
  message: ForwardedMessage;
  /** Offset in the normalised text where the forwarded block starts. */
  offset: number;
}

/** Our own reader: an explicit separator (or, for a "Fwd:" subject, a bare header block) then labels. */
function readOwn(clean: string, subject: string | null, kind: SubjectKind): Found | null {
  const lines = clean.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length && offset < MAX_PROBE_CHARS; i++) {
    const line = lines[i] ?? '';
    const strong = isForwardSeparator(line);
    const weak = kind !== 'other' && (isOriginalMessageSeparator(line) || isRuleLine(line));
    let block = strong || weak ? readHeaderBlock(lines, i + 1, 3) : null;
    if (!block && kind === 'forward') block = readHeaderBlock(lines, i);
    if (block?.fields.from !== undefined && (strong || block.labels >= 2)) {
      return { message: build(lines, i, block, subject, strong || weak), offset };
    }
    offset += line.length + 1;
  }
  return null;
}

function build(
  lines: readonly string[],
  at: number,
  block: NonNullable<ReturnType<typeof readHeaderBlock>>,
  subject: string | null,
  separated: boolean,
): ForwardedMessage {
  const f = block.fields;
  let body = lines.slice(block.end);
  if (block.quoted) body = body.map((l) => l.replace(/^[ \t]*> ?/, ''));
  return {
    from: parseMailbox(f.from ?? ''),
    to: parseAddressList(f.to ?? ''),
    cc: parseAddressList(f.cc ?? ''),
    subject: f.subject?.trim() || subjectFromForwarding(subject),
    date: f.date?.trim() || null,
    text: body.join('\n').trim(),
    note: cleanNote(lines.slice(0, separated ? at : block.start).join('\n')),
    via: 'inline',
  };
}

function toAddress(m: EmailForwardMailbox | null | undefined): Address | null {
  if (!m || (!m.address && !m.name)) return null;
  return parseMailbox(`${m.name ? `"${m.name}"` : ''} ${m.address ? `<${m.address}>` : ''}`);
}

function toAddresses(m: EmailForwardMailbox | EmailForwardMailbox[] | null | undefined): Address[] {
  const list = Array.isArray(m) ? m : m ? [m] : [];
  return list.map(toAddress).filter((a): a is Address => a !== null);
}

/**
 * The library's body lives in probe coordinates. The probe keeps the line count of the text it was
 * cut from, so find the body's first line there and return the same lines from the real text.
 */
function bodyFromClean(body: string, probe: string, clean: string, after: number): string {
  const first = body
    .split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
  const probeLines = probe.split('\n');
  const cleanLines = clean.split('\n');
  let line = probe.slice(0, after).split('\n').length - 1;
  for (; first !== undefined && line < probeLines.length; line++) {
    const bare = (probeLines[line] ?? '').replace(/^[ \t]*(?:> ?)*/, '');
    if (bare.trim() === first) {
      const quoted = bare !== probeLines[line];
      return cleanLines
        .slice(line)
        .map((l) => (quoted ? l.replace(/^[ \t]*> ?/, '') : l))
        .join('\n')
        .trim();
    }
  }
  return body;
}

/** The library on a bounded probe: capped length and lines, long blank runs collapsed (quadratic patterns). */
function readLibrary(clean: string, subject: string | null, kind: SubjectKind): Found | null {
  const probe = clean
    .slice(0, MAX_PROBE_CHARS)
    .split('\n')
    .map((l) => (l.length > 1000 ? l.slice(0, 1000) : l).replace(/[ \t]{8,}/g, '    '))
    .join('\n');
  const r = library.read(probe, kind === 'forward' ? subject : null);
  const from = toAddress(r.email.from);
  if (!r.forwarded || from === null) return null;
  const note = r.message ?? '';
  const offset = note ? Math.max(0, probe.indexOf(note)) + note.length : 0;
  const body = (r.email.body ?? '').trim();
  const message: ForwardedMessage = {
    from,
    to: toAddresses(r.email.to),
    cc: toAddresses(r.email.cc),
    subject: r.email.subject?.trim() || subjectFromForwarding(subject),
    date: r.email.date?.trim() || null,
    text: probe === clean ? body : bodyFromClean(body, probe, clean, offset),
    note: cleanNote(note),
    via: 'inline',
  };
  return { message, offset };
}

/** A "From:" line with at least one more header label under it (a stray "From: my heart" is not a header). */
function hasHeaderBlock(clean: string): boolean {
  const lines = clean.slice(0, MAX_PROBE_CHARS).split('\n');
  return lines.some((_, i) => {
    const block = readHeaderBlock(lines, i);
    return block !== null && block.fields.from !== undefined && block.labels >= 2;
  });
}

/** Offset of the first line carrying an explicit forward separator, or -1. */
function explicitSeparatorAt(clean: string): number {
  let offset = 0;
  for (const line of clean.slice(0, MAX_PROBE_CHARS).split('\n')) {
    if (hasForwardSeparator(line)) return offset;
    offset += line.length + 1;
  }
  return -1;
}

function unwrap(text: string, subject: string | null): ForwardedMessage | null {
  const kind = subjectKind(subject);
  if (kind === 'reply' || text.trim() === '') return null;
  const clean = normalizeText(text);
  // With a neutral subject only an explicit forward separator counts ("-----Original Message-----",
  // Outlook's bare "From:" block and "On … wrote:" are written above replies just the same).
  const explicit = kind === 'other' ? explicitSeparatorAt(clean) : 0;
  if (explicit < 0) return null;
  const own = readOwn(clean, subject, kind);
  let lib = readLibrary(clean, subject, kind);
  if (lib?.message.from?.address === '' && !hasHeaderBlock(clean)) lib = null;
  // ...and the library must have split there, not on an ambiguous separator above it.
  if (lib && kind === 'other' && clean.slice(lib.offset, explicit).trim() !== '') lib = null;
  if (lib === null) return own?.message ?? null;
  if (own === null) return lib.message;
  // Both found one: the outermost forward wins; on a tie the library's richer parsing does.
  if (own.offset + 1 < lib.offset && own.message.from?.address) return own.message;
  // Same block (at most a separator line between the two split points): the library reads only the
  // From line, we also read its wrapped continuation ("From: Name\n<address>").
  const between = clean.slice(Math.min(lib.offset, own.offset), Math.max(lib.offset, own.offset));
  const sameBlock = between.split('\n').filter((l) => l.trim() !== '').length <= 1;
  if (lib.message.from?.address || !sameBlock || !own.message.from?.address) return lib.message;
  return { ...lib.message, from: own.message.from };
}

/**
 * Detects an inline forwarded message in a plain-text body and returns it.
 * `subject` is the forwarding message's subject ("Fwd: …"), or null when unknown.
 * Nested forwards give the outermost one, its `text` being everything after its
 * header block. `from.address` is '' when the client wrote a name only.
 * Never throws; time is bounded by the size of the text.
 */
export function unwrapInlineForward(text: string, subject: string | null): ForwardedMessage | null {
  try {
    return unwrap(text, subject);
  } catch {
    return null;
  }
}
