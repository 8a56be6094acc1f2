/** Enough of the header block for identity: the longest header section we look into. */
const HEAD_LIMIT = 64 * 1024;

export interface HeaderHints {
  messageId: string | null;
  subject: string | null;
  from: string | null;
}

/**
 * Message-ID, Subject and From as written in the header block (RFC 5322 §2.2, folded lines
 * joined), without a MIME parse: what the store needs to recognise a message it already has
 * before the message is parsed, as the IMAP envelope gives it in live mode. The Message-ID is
 * normalised as the parser does (the text inside `<…>`), so a stored row keeps the same key after
 * processing. Never throws; a missing or odd field is null.
 */
export function headerHints(raw: Buffer): HeaderHints {
  const head = raw.subarray(0, HEAD_LIMIT).toString('utf8');
  const endMatch = /\r?\n\r?\n/.exec(head);
  const block = (endMatch ? head.slice(0, endMatch.index) : head).replace(/\r?\n(?=[ \t])/g, '');
  const field = (name: string) => {
    const m = new RegExp(`^${name}[ \\t]*:(.*)$`, 'im').exec(block);
    const v = m?.[1]?.trim();
    return v ? v : null;
  };
  const id = field('Message-ID');
  const inner = id ? (/<([^>]+)>/.exec(id)?.[1] ?? id).trim() : null;
  const from = field('From');
  const address = from
    ? (/<([^>\s]+@[^>\s]+)>/.exec(from)?.[1] ?? /[^\s<>"]+@[^\s<>"]+/.exec(from)?.[0])
    : null;
  return {
    messageId: inner || null,
    subject: field('Subject'),
    from: address ? address.toLowerCase() : null,
  };
}
