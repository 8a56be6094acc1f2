/**
 * E-invoice XML, the exact path (issue 4: read first, trusted most): UN/CEFACT CII (ZUGFeRD
 * 2.x, Factur-X, XRechnung CII), ZUGFeRD 1.0, and UBL 2.1 Invoice/CreditNote (XRechnung UBL,
 * Peppol). Values come out exactly as the XML states them, each with its element path as
 * evidence.
 *
 * Safety: a size cap before anything; a DOCTYPE or ENTITY declaration anywhere refuses the
 * document (e-invoice schemas allow none, and DTDs are how XXE and entity-expansion bombs get
 * in); the parser never expands entities; nesting is capped by fast-xml-parser (100 levels).
 *
 * Errors: `readEInvoiceXml` throws DocumentError with the reason ('unsupported' not an
 * e-invoice we read, 'too_large', 'corrupt' malformed or carrying a DTD). `parseEInvoiceXml`
 * never throws: it returns null for all of those, so a PDF whose embedded XML is unusable falls
 * back to its text layer.
 */
import { DocumentError, type ExtractedDocument } from '../extract.model.ts';
import { CII_D16B, mapCii, ZUGFERD_1 } from './einvoice.cii.ts';
import { decodeXml, MAX_EINVOICE_BYTES } from './einvoice.decode.ts';
import { detectEInvoiceSyntax, hasDtd } from './einvoice.sniff.ts';
import { mapUbl } from './einvoice.ubl.ts';
import { parseXmlTree } from './einvoice.xml.ts';

export { detectEInvoiceSyntax, type EInvoiceSyntax } from './einvoice.sniff.ts';

const byteLength = (xml: string | Buffer) =>
  typeof xml === 'string' ? Buffer.byteLength(xml) : xml.byteLength;

/** The e-invoice in `xml`, or a DocumentError saying why it cannot be read. */
export function readEInvoiceXml(xml: string | Buffer, source: string): ExtractedDocument {
  if (byteLength(xml) > MAX_EINVOICE_BYTES) {
    throw new DocumentError(
      'too_large',
      source,
      `"${source}" is larger than ${MAX_EINVOICE_BYTES / (1024 * 1024)} MB, too large for an e-invoice; it was not read.`,
    );
  }
  const text = decodeXml(xml);
  if (hasDtd(text)) {
    throw new DocumentError(
      'corrupt',
      source,
      `"${source}" declares a DTD or entities, which e-invoices never do; it was not read, for safety.`,
    );
  }
  const syntax = detectEInvoiceSyntax(text);
  if (!syntax) {
    throw new DocumentError(
      'unsupported',
      source,
      `"${source}" is not an e-invoice format deskhand reads (CII, ZUGFeRD, Factur-X, XRechnung, UBL).`,
    );
  }
  let root: ReturnType<typeof parseXmlTree>;
  try {
    root = parseXmlTree(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new DocumentError('corrupt', source, `"${source}" is damaged XML (${detail}); it was not read.`, {
      cause: err,
    });
  }
  if (syntax === 'cii') return mapCii(root, source, CII_D16B);
  if (syntax === 'zugferd1') return mapCii(root, source, ZUGFERD_1);
  return mapUbl(root, source, syntax === 'ubl-credit-note');
}

/** The e-invoice in `xml`, or null when it is not one we can read safely. Never throws. */
export function parseEInvoiceXml(xml: string | Buffer, source: string): ExtractedDocument | null {
  try {
    return readEInvoiceXml(xml, source);
  } catch (err) {
    if (err instanceof DocumentError) return null;
    throw err;
  }
}

/** The names Factur-X 1.0 (§6.2.2), ZUGFeRD 1.0/2.x and XRechnung-in-PDF give the invoice XML, in order of preference. */
const KNOWN_NAMES = ['factur-x.xml', 'zugferd-invoice.xml', 'xrechnung.xml'];

function rank(name: string): number {
  const known = KNOWN_NAMES.indexOf(name.toLowerCase());
  return known === -1 ? KNOWN_NAMES.length : known;
}

/** True when bytes start (after a BOM and whitespace) with '<': cheap test for an XML file without an .xml name. */
function looksLikeXml(content: Buffer): boolean {
  const head = content
    .subarray(0, 64)
    .toString('latin1')
    .replace(/^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)/, '');
  return /^\s*</.test(head);
}

/**
 * The embedded file that is the invoice: a known name first, else any XML attachment whose root
 * is an e-invoice. Looks only at roots (cheap); parsing is the caller's next step. Never throws.
 */
export function findEmbeddedInvoiceXml(
  attachments: Array<{ name: string; content: Buffer }>,
): { name: string; xml: string } | null {
  const candidates = attachments
    .filter((a) => a.content.byteLength <= MAX_EINVOICE_BYTES)
    .filter((a) => /\.xml$/i.test(a.name) || looksLikeXml(a.content))
    .sort((a, b) => rank(a.name) - rank(b.name));
  for (const candidate of candidates) {
    const xml = decodeXml(candidate.content);
    if (detectEInvoiceSyntax(xml)) return { name: candidate.name, xml };
  }
  return null;
}
