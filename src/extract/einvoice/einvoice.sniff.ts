/**
 * Which e-invoice syntax a document is, from its root element alone (local name plus namespace),
 * without parsing the body: cheap enough to try on every embedded file. Pure; never throws.
 */

export type EInvoiceSyntax = 'cii' | 'zugferd1' | 'ubl-invoice' | 'ubl-credit-note';

/** Root element (local name) and namespace of each syntax we read. */
const ROOTS: ReadonlyArray<{ local: string; ns: string; syntax: EInvoiceSyntax }> = [
  // UN/CEFACT CII D16B: ZUGFeRD 2.x, Factur-X, XRechnung (CII).
  {
    local: 'CrossIndustryInvoice',
    ns: 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
    syntax: 'cii',
  },
  // ZUGFeRD 1.0 (2014), its own CII dialect.
  { local: 'CrossIndustryDocument', ns: 'urn:ferd:CrossIndustryDocument:invoice:1p0', syntax: 'zugferd1' },
  // OASIS UBL 2.1: XRechnung (UBL), Peppol BIS Billing 3.
  { local: 'Invoice', ns: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2', syntax: 'ubl-invoice' },
  {
    local: 'CreditNote',
    ns: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
    syntax: 'ubl-credit-note',
  },
];

export interface XmlRoot {
  /** The root element's local name, or null when no root element was found. */
  local: string | null;
  ns: string | null;
  /** A DOCTYPE before the root: e-invoices never have one; it is how entity bombs and XXE get in. */
  doctype: boolean;
}

/** Skips the prolog (XML declaration, comments, processing instructions) and reads the root start tag. */
export function readRoot(xml: string): XmlRoot {
  let i = 0;
  for (;;) {
    while (i < xml.length && /\s/.test(xml[i]!)) i++;
    if (xml.startsWith('<?', i)) i = skipPast(xml, i, '?>');
    else if (xml.startsWith('<!--', i)) i = skipPast(xml, i, '-->');
    else if (xml.startsWith('<!', i)) return { local: null, ns: null, doctype: true };
    else break;
  }
  if (xml[i] !== '<') return { local: null, ns: null, doctype: false };
  const tag =
    /^<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)((?:\s+[^\s=>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/.exec(
      xml.slice(i, i + 8192),
    );
  if (!tag) return { local: null, ns: null, doctype: false };
  const [prefix, local] = tag[1]!.includes(':') ? tag[1]!.split(':') : [null, tag[1]!];
  const attr = prefix ? `xmlns:${prefix}` : 'xmlns';
  let ns: string | null = null;
  for (const m of tag[2]!.matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    if (m[1] === attr) ns = m[2] ?? m[3] ?? null;
  }
  return { local: local ?? null, ns, doctype: false };
}

function skipPast(xml: string, from: number, end: string): number {
  const at = xml.indexOf(end, from);
  return at === -1 ? xml.length : at + end.length;
}

/** The syntax of a document, or null when it is not an e-invoice we read. */
export function detectEInvoiceSyntax(xml: string): EInvoiceSyntax | null {
  const root = readRoot(xml);
  return ROOTS.find((r) => r.local === root.local && r.ns === root.ns)?.syntax ?? null;
}

/** True when the text declares a DTD or entities anywhere (not only before the root, to be safe). */
export function hasDtd(xml: string): boolean {
  return /<!DOCTYPE|<!ENTITY/i.test(xml);
}
