import { signatureStart } from '../../../ingest/reply.signature.ts';
import type { SchedulingMessage } from './understand.model.ts';

/**
 * The pieces of a message the rules read: the writer's own words (quotes of earlier messages
 * would make one person's "next week" count twice), split into sentences, and the signature
 * block, where a city is a clue to a zone but not a statement. Pure.
 */

export interface Sentence {
  text: string;
  /** Offset of the sentence in the text it came from. */
  start: number;
}

/** Lines that open a quoted earlier message: "On … wrote:", ">" quotes, Outlook's headers. */
const QUOTE_START =
  /^\s*(?:>|on\s.{4,200}\swrote:\s*$|-{2,}\s*(?:original message|forwarded message)|from:\s.+@|_{10,})/i;

/** Typographic apostrophes and quotes as ASCII, no-break spaces as spaces: "I’m" reads as "I'm". */
export function plain(text: string): string {
  return text
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u00a0\u202f]/g, ' ');
}

/** The full text up to the first quoted line: the writer's words and their signature. */
export function ownPart(text: string): string {
  const lines = plain(text).replace(/\r\n?/g, '\n').split('\n');
  const cut = lines.findIndex((l) => QUOTE_START.test(l));
  return (cut === -1 ? lines : lines.slice(0, cut)).join('\n').trimEnd();
}

/** What the writer newly wrote: the parsed reply text, or the own part when the parser found none. */
export function newTextOf(msg: SchedulingMessage): string {
  const reply = plain(msg.replyText).trim();
  return reply === '' ? ownPart(msg.text) : reply;
}

/**
 * Sentences, split at ! ? ; line breaks, and a full stop before a capital. "a.m." and "Dr." stay
 * inside their sentence because what follows them is not a capital or they end the text.
 */
export function sentencesOf(text: string): Sentence[] {
  const out: Sentence[] = [];
  const re = /[!?;]+\s*|\n+\s*|\.\s+(?=[A-Z"'(])/g;
  let start = 0;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    const piece = text.slice(start, end);
    if (/(?<![a-z])(?:dr|mr|mrs|ms|st|no)\.\s+$/i.test(piece)) continue;
    if (piece.trim() !== '') out.push({ text: piece, start });
    start = end;
  }
  if (start < text.length && text.slice(start).trim() !== '') out.push({ text: text.slice(start), start });
  return out;
}

/**
 * The likely signature lines of a message: what follows the signature delimiter or sign-off, or
 * else the short lines closing the own part. Only lines of up to six words: a sentence that
 * names a city is not a signature.
 */
export function signatureLines(text: string): string[] {
  const lines = ownPart(text).split('\n');
  const start = signatureStart(lines);
  const tail = start < lines.length ? lines.slice(start) : lines.slice(-4);
  return tail
    .map((l) => l.trim())
    .filter((l) => l !== '' && l.length <= 60 && l.split(/\s+/).length <= 6 && !/[?!]$/.test(l));
}

/** `text` with [start, end) replaced by spaces, so offsets stay valid for later passes. */
export function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}
