/**
 * Who an instruction is about, as the owner wrote it: an address ("billing@x.example"), a domain
 * ("@stripe.com", "stripe.com", "anyone at stripe.com") or a name ("the bank", "Hetzner"). Pure.
 */

export type Sender =
  | { kind: 'address'; address: string }
  | { kind: 'domain'; domain: string }
  | { kind: 'name'; name: string };

const ADDRESS = /^<?([^\s@<>]+@(?:[a-z0-9-]+\.)+[a-z0-9-]{2,})>?$/i;
const DOMAIN = /^(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]+$/i;
const DETERMINERS =
  /^(?:(?:the|my|our|a|an|any|all|every|each|anyone|anybody|someone|people|somebody)(?:\s+|$))+/i;
/** Words that point at particular mail or people already in view: a one-off, not a rule. */
const DEICTIC = /^(?:this|that|these|those|it|them|him|her|here|there|me|you|us)$/i;

/** The lower-case domain of `@Stripe.com` / `stripe.com.`; null when it is not a domain. */
export function normalizeDomain(raw: string): string | null {
  const d = raw.trim().replace(/^@/, '').replace(/\.$/, '').toLowerCase();
  return DOMAIN.test(d) ? d : null;
}

/** The lower-case bare address of `Billing@X.example` / `<billing@x.example>`; null otherwise. */
export function normalizeAddress(raw: string): string | null {
  const m = ADDRESS.exec(raw.trim().replace(/[.,;:]$/, ''));
  return m?.[1] ? m[1].toLowerCase() : null;
}

/**
 * Classifies what follows "from" in an instruction. Names lose leading determiners ("the bank" →
 * "bank"); a name that only points ("this", "them") or is too long to be a name returns null.
 */
export function classifySender(raw: string): Sender | null {
  const text = raw
    .trim()
    .replace(/^["'“”]+|["'“”.,;:]+$/g, '')
    .trim();
  const address = normalizeAddress(text);
  if (address) return { kind: 'address', address };
  const at =
    /^(?:(?:anyone|anybody|someone|people|everyone|anything|everything|all)\s+)?(?:at|@)\s*(\S+)$/i.exec(
      text,
    );
  const domain = normalizeDomain(at?.[1] ?? text);
  if (domain) return { kind: 'domain', domain };
  const name = text.replace(DETERMINERS, '').trim();
  if (!name || DEICTIC.test(name) || !/\p{L}/u.test(name)) return null;
  if (name.split(/\s+/).length > 5 || name.length > 60) return null;
  return { kind: 'name', name };
}

/** The domain of an address ("billing@hetzner.com" → "hetzner.com"). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
