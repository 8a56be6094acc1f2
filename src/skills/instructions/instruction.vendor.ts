/**
 * Does a vendor named in a rule ("AWS", "Hetzner") match the vendor on an invoice ("Amazon Web
 * Services EMEA SARL", "Hetzner Online GmbH")? Word-based and deliberately narrow: the rule's
 * words must appear in order as whole words of the invoice's name, or one side must be the
 * acronym of the other. Legal forms are ignored. Pure.
 */

const LEGAL_FORMS = new Set(
  'gmbh ag kg ohg ug se inc incorporated llc llp ltd limited plc co corp corporation company sa sarl sas srl spa bv nv ab as oy aps pty kk'.split(
    ' ',
  ),
);

/** Lower-case words without diacritics, punctuation or legal forms ("Müller GmbH & Co. KG" → müller). */
export function vendorWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '' && !LEGAL_FORMS.has(w));
}

function containsRun(words: string[], run: string[]): boolean {
  if (run.length === 0 || run.length > words.length) return false;
  for (let i = 0; i + run.length <= words.length; i++) {
    if (run.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

function isAcronymOf(word: string, words: string[]): boolean {
  return words.length >= 2 && word.length >= 2 && words.map((w) => w[0]).join('') === word;
}

/** True when the invoice's vendor is the vendor the rule names. */
export function vendorMatches(ruleVendor: string, invoiceVendor: string): boolean {
  const rule = vendorWords(ruleVendor);
  const invoice = vendorWords(invoiceVendor);
  if (rule.length === 0 || invoice.length === 0) return false;
  if (containsRun(invoice, rule)) return true;
  // "AWS" for "Amazon Web Services …": the acronym of the leading words, either way round.
  const acronym = (word: string, words: string[]) =>
    words.some((_, n) => n >= 1 && isAcronymOf(word, words.slice(0, n + 1)));
  if (rule.length === 1 && rule[0] && acronym(rule[0], invoice)) return true;
  return invoice.length === 1 && invoice[0] !== undefined && acronym(invoice[0], rule);
}

/** True when `domain` is `ruleDomain` or one of its subdomains. */
export function domainMatches(domain: string, ruleDomain: string): boolean {
  const d = domain.trim().replace(/^@/, '').replace(/\.$/, '').toLowerCase();
  const r = ruleDomain.toLowerCase();
  return d === r || d.endsWith(`.${r}`);
}
