/**
 * Address comparison for triage. Pure.
 *
 * Sub-addressing (RFC 5233, `local+detail@domain`) is how approval tokens reach us
 * (`assistant+TOKEN@…`), so every comparison with the assistant ignores the detail part.
 * Local parts are compared case-insensitively: every mail system in practice does, though
 * RFC 5321 §2.4 allows otherwise.
 */

/** The bare, lower-cased address from `addr`, `<addr>` or `Name <addr>`. */
export function bareAddress(raw: string): string {
  const bracketed = /<([^<>]*)>/.exec(raw);
  return (bracketed?.[1] ?? raw).trim().toLowerCase();
}

/** The address without its `+detail` part. */
export function withoutDetail(address: string): string {
  const bare = bareAddress(address);
  const at = bare.lastIndexOf('@');
  if (at < 0) return bare;
  const plus = bare.indexOf('+');
  return plus >= 0 && plus < at ? bare.slice(0, plus) + bare.slice(at) : bare;
}

/** True when `address` is the assistant's mailbox, with or without a `+detail`. */
export function isAssistantAddress(address: string, assistantEmail: string): boolean {
  return withoutDetail(address) === withoutDetail(assistantEmail);
}

/** The `detail` of `assistant+detail@domain`, or null when the address is not a tagged assistant address. */
export function assistantPlusTag(address: string, assistantEmail: string): string | null {
  if (!isAssistantAddress(address, assistantEmail)) return null;
  const bare = bareAddress(address);
  const at = bare.lastIndexOf('@');
  const plus = bare.indexOf('+');
  if (plus < 0 || plus > at) return null;
  const tag = bare.slice(plus + 1, at);
  return tag === '' ? null : tag;
}

/** The domain part, lower-cased; '' when there is none. */
export function domainOf(address: string): string {
  const bare = bareAddress(address);
  const at = bare.lastIndexOf('@');
  return at < 0 ? '' : bare.slice(at + 1);
}

/** True when `domain` is `parent` or one of its subdomains (`eu.acme.com` is inside `acme.com`). */
export function isWithinDomain(domain: string, parent: string): boolean {
  const d = domain.toLowerCase();
  const p = parent.trim().toLowerCase().replace(/^@/, '');
  return p !== '' && (d === p || d.endsWith(`.${p}`));
}
