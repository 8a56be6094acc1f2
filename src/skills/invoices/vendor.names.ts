/**
 * How vendor names and sender domains are compared. "ACME GmbH", "Acme GmbH." and "ACME AG"
 * are one vendor for matching (the legal form is dropped); the tax id, when both sides have one,
 * overrules the name. Pure.
 */

/** Legal forms (as normalized word sequences), tried at the end of a name, longest first. */
const LEGAL_FORMS = [
  'gmbh co kg',
  'gmbh co kgaa',
  'ag co kg',
  'ug haftungsbeschrankt',
  'pty ltd',
  'pvt ltd',
  'private limited',
  'co ltd',
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'kgaa',
  'ohg',
  'gbr',
  'ug',
  'ek',
  'ev',
  'se',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'plc',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'sa',
  'sas',
  'sarl',
  'eurl',
  'sl',
  'slu',
  'srl',
  'spa',
  'bv',
  'nv',
  'vof',
  'ab',
  'as',
  'asa',
  'oy',
  'aps',
  'sro',
  'sp zoo',
].map((f) => f.split(' '));

/** Words a reader sometimes glues to the name ("ACME GMBH INVOICE"): dropped at the end, for matching only. */
const DOCUMENT_WORDS = new Set([
  'invoice',
  'rechnung',
  'facture',
  'factura',
  'factuur',
  'fattura',
  'receipt',
  'quittung',
]);

/** Lower-case, accents folded, "ß" → "ss", dots dropped ("S.A." → "sa"), other punctuation → spaces. */
export function foldText(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/\./g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The matching key of a name: folded, without trailing legal forms and document words. Never
 * empty for a non-empty name ("AG" alone stays "ag"). Null for a blank name.
 */
export function vendorKey(name: string | null | undefined): string | null {
  if (!name) return null;
  const words = foldText(name).split(' ').filter(Boolean);
  if (words.length === 0) return null;
  let changed = true;
  while (changed && words.length > 1) {
    changed = false;
    const last = words[words.length - 1]!;
    if (DOCUMENT_WORDS.has(last)) {
      words.pop();
      changed = true;
      continue;
    }
    for (const form of LEGAL_FORMS) {
      if (form.length >= words.length) continue;
      if (form.every((w, i) => words[words.length - form.length + i] === w)) {
        words.splice(words.length - form.length);
        changed = true;
        break;
      }
    }
  }
  return words.join(' ');
}

/**
 * True when two keys plausibly name one company: equal, or one is the other plus more words
 * ("acme" / "acme software"). Used only together with a shared mail domain.
 */
export function keysRelated(a: string, b: string): boolean {
  if (a === b) return true;
  return a.startsWith(`${b} `) || b.startsWith(`${a} `);
}

/**
 * Domains many unrelated senders share — mail providers and billing platforms — so they say
 * nothing about which vendor wrote.
 */
const SHARED_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.de',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'gmx.de',
  'gmx.net',
  'gmx.com',
  'web.de',
  't-online.de',
  'posteo.de',
  'mailbox.org',
  'proton.me',
  'protonmail.com',
  'fastmail.com',
  'zoho.com',
  'yandex.com',
  'mail.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'stripe.com',
  'paypal.com',
  'paypal.de',
  'paddle.com',
  'intuit.com',
  'xero.com',
  'freshbooks.com',
  'chargebee.com',
  'sevdesk.de',
  'lexoffice.de',
  'sumup.com',
  'squareup.com',
]);

/** The lower-case domain of an address, or null. */
export function emailDomain(address: string | null | undefined): string | null {
  if (!address) return null;
  const m = /@([^@\s>]+)>?\s*$/.exec(address.trim());
  return m ? m[1]!.toLowerCase().replace(/\.$/, '') : null;
}

/** True for a domain that can identify a vendor: not shared, not one of `ignore` (the team's own). */
export function isVendorDomain(domain: string, ignore: readonly string[] = []): boolean {
  const d = domain.toLowerCase();
  const under = (base: string) => d === base || d.endsWith(`.${base}`);
  if ([...SHARED_DOMAINS].some(under)) return false;
  return !ignore.some((i) => under(i.toLowerCase()));
}

/**
 * The registrable part of a domain, approximately: "billing.eu.acme.com" → "acme.com",
 * "mail.acme.co.uk" → "acme.co.uk". Vendors mail from many subdomains; we store and compare this.
 * (A public-suffix list would be exact; country second levels like co.uk cover what invoices use.)
 */
export function baseDomain(domain: string): string {
  const labels = domain.toLowerCase().split('.').filter(Boolean);
  if (labels.length <= 2) return labels.join('.');
  const secondLevel = /^(?:co|com|net|org|gov|ac|or|ne|gv|edu)$/.test(labels[labels.length - 2]!);
  const keep = secondLevel && labels[labels.length - 1]!.length === 2 ? 3 : 2;
  return labels.slice(-keep).join('.');
}
