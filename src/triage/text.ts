import type { NormalizedMessage } from '../ingest/message.model.ts';

/**
 * The pieces of a message's text that keyword rules read. Bodies are clipped: a keyword that
 * matters is near the top, and regexes over an 8 MB body would cost time for nothing.
 */
const MAX_CHARS = 20_000;

/** The subject, and the forwarded message's subject when there is one. */
export function subjectsOf(msg: NormalizedMessage): string {
  return [msg.subject, msg.forwarded?.subject ?? ''].filter((s) => s !== '').join('\n');
}

/** What the sender wrote now: the reply text without quotes, or the body with quoted lines dropped. */
export function newTextOf(msg: NormalizedMessage): string {
  const own = msg.replyText.trim() !== '' ? msg.replyText : withoutQuotedLines(msg.text);
  const note = msg.forwarded?.note ?? '';
  return clip(note !== '' && !own.includes(note) ? `${note}\n${own}` : own);
}

/** The new text plus the forwarded message's text: forwarded content is classified too. */
export function bodyOf(msg: NormalizedMessage): string {
  const forwarded = msg.forwarded?.text ?? '';
  return forwarded === '' ? newTextOf(msg) : `${newTextOf(msg)}\n${clip(forwarded)}`;
}

/** Drops links so "?" in a query string is not taken for a question. */
export function withoutUrls(text: string): string {
  return text.replace(/\b(https?|mailto):\S+/gi, ' ');
}

function withoutQuotedLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('>'))
    .join('\n');
}

function clip(text: string): string {
  return text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
}
