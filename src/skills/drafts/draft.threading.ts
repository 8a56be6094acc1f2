import { stripInvisible } from '../../shared/invisible.ts';
import type { ThreadMessage } from './draft.model.ts';

/**
 * Threading headers of a reply (RFC 5322 §3.6.4): In-Reply-To is the answered message's id;
 * References is its References (or, lacking them, its In-Reply-To) followed by its id. Long
 * chains are cut to the first id plus the last 19 — the root keeps the thread together in every
 * client, the recent ids are what clients match on — so headers stay bounded on endless threads.
 * Pure.
 */

const MAX_REFERENCES = 20;
/**
 * Reply prefixes clients write, in several languages: Re, RE, AW (German), SV (Nordic), VS
 * (Finnish), Antw (Dutch), R/RIF (Italian), Réf, Odp (Polish), YNT (Turkish), 回复/答复 (Chinese),
 * with a plain or full-width colon, possibly counted ("Re[2]:", "Re^2:").
 */
const REPLY_PREFIX =
  /^\s*(?:(?:re|aw|sv|vs|antw|antwort|r|rif|réf|ref|odp|ynt|回复|答复|返信)(?:\[\d+\]|\(\d+\)|\^\d+)?\s*[:：]\s*)+/iu;
const MAX_SUBJECT = 200;

/**
 * "Re: " + the original subject without the reply prefixes it already had, so answers never
 * stack "Re: AW: RE:". A forward prefix ("Fwd: …") is part of what was answered and is kept.
 */
export function replySubject(original: string): string {
  const clean = stripInvisible(original)
    .text.replace(/[\u0000-\u001F\u007F]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const base = clean.replace(REPLY_PREFIX, '').trim().slice(0, MAX_SUBJECT);
  return `Re: ${base === '' ? '(no subject)' : base}`;
}

/** In-Reply-To and References for a reply to `answered` (none when it has no usable Message-ID or is null). */
export function replyThreading(answered: ThreadMessage | null): {
  inReplyTo: string | null;
  references: string[];
} {
  if (!answered) return { inReplyTo: null, references: [] };
  const id = messageId(answered.messageId);
  const parent =
    answered.references.length > 0 ? answered.references : answered.inReplyTo ? [answered.inReplyTo] : [];
  const chain = [...new Set([...parent.map(messageId), id].filter((x): x is string => x !== null))];
  const references =
    chain.length > MAX_REFERENCES ? [chain[0] as string, ...chain.slice(-(MAX_REFERENCES - 1))] : chain;
  return { inReplyTo: id, references };
}

/** A Message-ID without angle brackets, or null when empty or malformed (whitespace, brackets inside). */
function messageId(raw: string): string | null {
  const id = raw.trim().replace(/^<|>$/g, '');
  return id !== '' && !/[\s<>]/.test(id) ? id : null;
}
