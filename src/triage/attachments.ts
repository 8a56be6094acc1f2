import type { AttachmentInfo } from '../ingest/message.model.ts';
import { DOCUMENT_WORDS, INVOICE_WORDS, RECEIPT_WORDS } from './keywords.ts';

/**
 * What an attachment looks like from its name, type and first bytes; the extractors read it
 * properly later. Body images (inline with a Content-ID) and signatures are not documents.
 */
export type AttachmentKind = 'einvoice' | 'invoice' | 'receipt' | 'calendar' | 'document' | 'file' | 'none';

export interface ClassifiedAttachment {
  kind: AttachmentKind;
  name: string;
  why: string;
}

const DOCUMENT_TYPES =
  /^(application\/(pdf|xml|msword|rtf|vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.|vnd\.ms-excel)|text\/(xml|csv))/i;
const DOCUMENT_EXTENSIONS = /\.(pdf|xml|docx?|odt|rtf|xlsx?|ods|csv)$/i;
const CALENDAR = /^(text\/calendar|application\/ics)/i;
/** Root elements of the EN 16931 syntaxes: UN/CEFACT CII (Factur-X, ZUGFeRD, XRechnung) and OASIS UBL. */
const EINVOICE_XML_ROOTS = [
  'CrossIndustryInvoice',
  'CrossIndustryDocument',
  'ubl:schema:xsd:Invoice-2',
  'ubl:schema:xsd:CreditNote-2',
];
/** The file names ZUGFeRD/Factur-X/XRechnung hybrids give the XML they embed in the PDF. */
const EMBEDDED_EINVOICE_NAMES = [
  'factur-x.xml',
  'zugferd-invoice.xml',
  'xrechnung.xml',
  'ZUGFeRD-invoice.xml',
];
/** How much of an XML file to look at for its root element. */
const XML_HEAD_BYTES = 4096;

export function classifyAttachment(a: AttachmentInfo): ClassifiedAttachment {
  const name = a.filename ?? `(unnamed ${a.contentType})`;
  const type = a.contentType.toLowerCase();
  if (CALENDAR.test(type) || /\.ics$/i.test(name))
    return { kind: 'calendar', name, why: 'is a calendar invitation' };
  if (a.inline && a.contentId !== null && type.startsWith('image/'))
    return { kind: 'none', name, why: 'body image' };
  const isDocumentType = DOCUMENT_TYPES.test(type) || DOCUMENT_EXTENSIONS.test(name);
  const einvoice = isDocumentType ? einvoiceEvidence(a, type, name) : null;
  if (einvoice !== null) return { kind: 'einvoice', name, why: einvoice };
  // Scans and photos of bills arrive as images, so images count when their name says what they are.
  const isScan = type.startsWith('image/') && !a.inline;
  if (!isDocumentType && !isScan) return { kind: 'none', name, why: `${type} is not a document` };
  if (a.filename !== null && INVOICE_WORDS.test(a.filename))
    return { kind: 'invoice', name, why: 'looks like an invoice' };
  if (a.filename !== null && RECEIPT_WORDS.test(a.filename))
    return { kind: 'receipt', name, why: 'looks like a receipt' };
  if (a.filename !== null && DOCUMENT_WORDS.test(a.filename))
    return { kind: 'document', name, why: 'names a document' };
  return isDocumentType
    ? { kind: 'file', name, why: `is a ${type} file` }
    : { kind: 'none', name, why: 'image' };
}

/** Why an XML or PDF attachment is (or carries) an e-invoice, or null. */
function einvoiceEvidence(a: AttachmentInfo, type: string, name: string): string | null {
  const isXml = type.includes('xml') || /\.xml$/i.test(name);
  if (isXml) {
    const head = a.content.subarray(0, XML_HEAD_BYTES).toString('utf8');
    const root = EINVOICE_XML_ROOTS.find((r) => head.includes(r));
    if (root !== undefined) return `is an e-invoice XML (${root})`;
    if (EMBEDDED_EINVOICE_NAMES.some((n) => n.toLowerCase() === name.toLowerCase()))
      return 'is an e-invoice XML';
    return null;
  }
  if (type === 'application/pdf' || /\.pdf$/i.test(name)) {
    const embedded = EMBEDDED_EINVOICE_NAMES.find((n) => a.content.includes(n, 0, 'latin1'));
    if (embedded !== undefined) return `embeds ${embedded} (a ZUGFeRD/Factur-X invoice)`;
  }
  return null;
}
