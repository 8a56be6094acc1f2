/**
 * The author of a message for authentication purposes: exactly one From field holding exactly
 * one mailbox. RFC 5322 §3.6 allows one From field; several mailboxes there (or several From
 * fields, which some parsers merge and others do not) make "who sent this" ambiguous, and
 * ambiguity between parsers is how From spoofing slips past checks (RFC 9989 §11.5 suggests
 * treating such mail as suspicious). Pure.
 */
import { domainToASCII } from 'node:url';
import addressparser, { type Address } from 'nodemailer/lib/addressparser/index.js';
import { fieldValues, type HeaderField } from './header-fields.ts';

export type FromResult = { ok: true; address: string; domain: string } | { ok: false; reason: string };

function mailboxes(list: Address[]): string[] {
  return list.flatMap((a) => (a.group ? mailboxes(a.group) : a.address ? [a.address] : []));
}

/** A domain name normalised for comparison: lower case, A-labels (RFC 5890), no trailing dot. '' if invalid. */
export function normalizeDomain(domain: string): string {
  return domainToASCII(domain.trim().replace(/\.$/, '')).toLowerCase();
}

/** The single From address and its normalised domain, or why there is none. Never throws. */
export function singleFromAddress(fields: readonly HeaderField[]): FromResult {
  const values = fieldValues(fields, 'from');
  if (values.length === 0) return { ok: false, reason: 'The message has no From header' };
  if (values.length > 1) {
    return { ok: false, reason: `The message has ${values.length} From headers; exactly one is required` };
  }
  const addresses = mailboxes(addressparser(values[0]!));
  if (addresses.length !== 1) {
    const what = addresses.length === 0 ? 'no address' : `${addresses.length} addresses`;
    return { ok: false, reason: `The From header holds ${what}; exactly one is required` };
  }
  const address = addresses[0]!.trim();
  const at = address.lastIndexOf('@');
  const domain = at > 0 ? normalizeDomain(address.slice(at + 1)) : '';
  if (!domain.includes('.')) {
    return { ok: false, reason: `The From address "${address}" has no usable domain` };
  }
  return { ok: true, address: address.toLowerCase(), domain };
}
