/**
 * Identifier alignment between the From domain and a DKIM signing domain (RFC 9989 §3.2.10,
 * formerly RFC 7489 §3.1.1). Pure.
 *
 * Relaxed alignment is defined through the Organizational Domain, which needs the Public
 * Suffix List. We use a PSL-free approximation that only errs on the strict side: the two
 * domains align when they are equal, or when one is a subdomain of the other and the parent has
 * at least two labels (`mail.northwind.example` ↔ `northwind.example`).
 *
 * Limitation: sibling subdomains (`eu.northwind.example` signing for `us.northwind.example`)
 * align under DMARC's relaxed mode but not here, so such mail is rejected rather than accepted.
 * A signature from a bare public suffix of two labels (`d=co.uk` for `x.co.uk`) would align,
 * but publishing a DKIM key at a public suffix is in the registry's hands, not a sender's.
 */
import { normalizeDomain } from './from-address.ts';

function labels(domain: string): number {
  return domain.split('.').length;
}

/** True when `signingDomain` is aligned with `fromDomain` (see the module note). */
export function isAligned(fromDomain: string, signingDomain: string): boolean {
  const from = normalizeDomain(fromDomain);
  const signer = normalizeDomain(signingDomain);
  if (!from || !signer) return false;
  if (from === signer) return true;
  const [child, parent] = from.length > signer.length ? [from, signer] : [signer, from];
  return labels(parent) >= 2 && child.endsWith(`.${parent}`);
}

/** The domain of an RFC 8601 `header.i` value (`@d`, `local@d` or a bare domain). */
export function identityDomain(identity: string): string {
  const at = identity.lastIndexOf('@');
  return at >= 0 ? identity.slice(at + 1) : identity;
}
