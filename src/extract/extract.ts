import { parseMessage } from '../ingest/parse.ts';
import type { ModelClient } from '../llm/llm.model.ts';
import { readEInvoiceXml } from './einvoice/einvoice.ts';
import { fillFromModel } from './extract.llm.ts';
import { DocumentError, type ExtractedDocument } from './extract.model.ts';
import { ocrImage } from './ocr/ocr.image.ts';
import { detectImageType } from './ocr/ocr.image-type.ts';
import { ocrPdf } from './ocr/ocr.pdf.ts';
import { isPdf } from './pdf/pdf.magic.ts';
import { readPdf } from './pdf/pdf.reader.ts';
import { extractReceiptFields } from './receipt/receipt.extract.ts';
import { extractFromText } from './text/text.extract.ts';

/** One file to read: an attachment, or a file given to `deskhand extract`. */
export interface ExtractInput {
  name: string;
  contentType?: string | null;
  content: Buffer;
  /** The sender's address, when the file came by mail: it can confirm the vendor. */
  senderEmail?: string | null;
}

export interface ExtractDeps {
  model?: ModelClient | null;
  ownerName?: string;
  /** Run OCR on images and scanned PDFs (default true). */
  ocr?: boolean;
}

/** A document read, or why a file could not be read (a clear exception, never a silent skip). */
export type ExtractResult =
  | { ok: true; doc: ExtractedDocument }
  | { ok: false; source: string; error: DocumentError };

/** A text layer thinner than this per page is a scan: OCR it. */
const MIN_TEXT_CHARS_PER_PAGE = 40;

/**
 * Reads every document in one file, in order of trust: e-invoice XML (standalone or embedded in a
 * PDF) exactly; else the PDF text layer; else OCR for scans and images; receipts and invoices in
 * a mail body as text. The model is asked only for fields the deterministic path left empty, and
 * only values it can ground in the text are kept. Archives are never opened.
 */
export async function extractDocuments(
  input: ExtractInput,
  deps: ExtractDeps = {},
): Promise<ExtractResult[]> {
  try {
    return await route(input, deps);
  } catch (err) {
    if (err instanceof DocumentError) return [{ ok: false, source: input.name, error: err }];
    throw err;
  }
}

async function route(input: ExtractInput, deps: ExtractDeps): Promise<ExtractResult[]> {
  const { name, content } = input;
  const type = (input.contentType ?? '').toLowerCase();
  if (content.byteLength === 0) throw new DocumentError('empty', name, `"${name}" is empty (0 bytes).`);
  if (isArchive(name, type, content)) {
    throw new DocumentError(
      'archive',
      name,
      `"${name}" is an archive; archives are never opened automatically — send the files inside instead.`,
    );
  }
  if (isPdf(content)) return [{ ok: true, doc: await fromPdf(input, deps) }];
  if (
    /\.xml$/i.test(name) ||
    /xml/.test(type) ||
    /^\s*(<\?xml|<[A-Za-z])/.test(content.subarray(0, 200).toString('utf8'))
  ) {
    return [{ ok: true, doc: readEInvoiceXml(content, name) }];
  }
  if (/\.eml$/i.test(name) || type === 'message/rfc822') return fromMail(input, deps);
  if (detectImageType(content)) {
    if (deps.ocr === false)
      throw new DocumentError('unsupported', name, `"${name}" is an image and OCR is off.`);
    const ocr = await ocrImage(content, { source: name });
    return [{ ok: true, doc: await finish(fromScannedText([ocr.text], name, input), ocr.text, deps) }];
  }
  if (/^text\//.test(type) || /\.(txt|html?)$/i.test(name)) {
    const text = content.toString('utf8');
    return [
      {
        ok: true,
        doc: await finish(
          fromBodyText(text, name, input, /html/.test(type) || /\.html?$/i.test(name)),
          text,
          deps,
        ),
      },
    ];
  }
  throw new DocumentError(
    'unsupported',
    name,
    `"${name}" (${type || 'unknown type'}) is not a document deskhand reads (PDF, e-invoice XML, image, mail).`,
  );
}

async function fromPdf(input: ExtractInput, deps: ExtractDeps): Promise<ExtractedDocument> {
  // The embedded Factur-X/ZUGFeRD/XRechnung XML, when there is one, is parsed inside the worker
  // and wins: it is exact, and the text layer is then not read at all.
  const pdf = await readPdf(input.content, input.name, { preferEInvoice: true });
  if (pdf.einvoice) {
    const doc = pdf.einvoice.doc;
    return { ...doc, source: input.name, warnings: [...doc.warnings, ...pdf.warnings] };
  }
  const chars = pdf.pages.reduce((n, p) => n + p.trim().length, 0);
  if (chars < MIN_TEXT_CHARS_PER_PAGE * Math.max(1, pdf.pages.length) && deps.ocr !== false) {
    const ocr = await ocrPdf(input.content, { source: input.name });
    const doc = fromScannedText(ocr.pages, input.name, input);
    return finish(
      { ...doc, warnings: [...doc.warnings, ...pdf.warnings, 'no text layer: read by OCR'] },
      ocr.pages.join('\n'),
      deps,
    );
  }
  const doc = extractFromText(pdf.pages, {
    source: input.name,
    method: 'pdf-text',
    hints: { vendorEmail: input.senderEmail ?? null },
  });
  return finish({ ...doc, warnings: [...doc.warnings, ...pdf.warnings] }, pdf.pages.join('\n'), deps);
}

/**
 * OCR text: the receipt reader (tuned for till receipts and OCR noise) leads when it sees a
 * receipt, the general reader otherwise; each fills what the other left empty.
 */
function fromScannedText(pages: string[], source: string, input: ExtractInput): ExtractedDocument {
  const general = extractFromText(pages, {
    source,
    method: 'ocr',
    hints: { vendorEmail: input.senderEmail ?? null },
  });
  const receipt = extractReceiptFields(pages.join('\n'), { source, method: 'ocr' });
  return receipt.kind === 'receipt' ? mergeMissing(receipt, general) : mergeMissing(general, receipt);
}

function fromBodyText(text: string, source: string, input: ExtractInput, html: boolean): ExtractedDocument {
  const method = html ? 'html' : 'text';
  const doc = extractFromText([text], { source, method, hints: { vendorEmail: input.senderEmail ?? null } });
  return mergeMissing(doc, extractReceiptFields(text, { source, method }));
}

/** Fills `a`'s null fields from `b` (with `b`'s evidence); `a` wins where both have a value. */
export function mergeMissing(a: ExtractedDocument, b: ExtractedDocument): ExtractedDocument {
  const out: ExtractedDocument = { ...a, vendor: { ...a.vendor }, evidence: { ...a.evidence } };
  const take = <K extends keyof ExtractedDocument>(k: K, field: keyof ExtractedDocument['evidence']) => {
    if (out[k] === null && b[k] !== null) {
      out[k] = b[k];
      const ev = b.evidence[field];
      if (ev) out.evidence[field] = ev;
    }
  };
  take('issueDate', 'issueDate');
  take('total', 'total');
  take('tax', 'tax');
  take('currency', 'currency');
  take('invoiceNumber', 'invoiceNumber');
  if (out.vendor.name === null && b.vendor.name !== null) {
    out.vendor.name = b.vendor.name;
    if (b.evidence['vendor.name']) out.evidence['vendor.name'] = b.evidence['vendor.name'];
  }
  if (out.kind === 'other' && b.kind !== 'other') out.kind = b.kind;
  return out;
}

async function finish(doc: ExtractedDocument, text: string, deps: ExtractDeps): Promise<ExtractedDocument> {
  if (doc.kind !== 'invoice' && doc.kind !== 'credit_note' && doc.kind !== 'receipt') return doc;
  return fillFromModel(doc, text, deps.model ?? null, deps.ownerName ?? 'the owner');
}

/** An .eml: every attached document, else a receipt or invoice written in the body. */
async function fromMail(input: ExtractInput, deps: ExtractDeps): Promise<ExtractResult[]> {
  const msg = await parseMessage(input.content);
  const sender = msg.forwarded?.from?.address ?? msg.from?.address ?? null;
  const out: ExtractResult[] = [];
  for (const a of msg.attachments) {
    if (a.inline && a.contentId) continue;
    out.push(
      ...(await extractDocuments(
        {
          name: a.filename ?? 'attachment',
          contentType: a.contentType,
          content: a.content,
          senderEmail: sender,
        },
        deps,
      )),
    );
  }
  if (out.length > 0) return out;
  const body = msg.forwarded?.text ?? msg.text;
  const doc = fromBodyText(
    body,
    `${input.name} (body)`,
    { ...input, senderEmail: sender },
    msg.html !== null,
  );
  return [{ ok: true, doc: await finish(doc, body, deps) }];
}

function isArchive(name: string, type: string, content: Buffer): boolean {
  if (/\.(zip|7z|rar|tar|gz|tgz|bz2|xz)$/i.test(name)) return true;
  if (/zip|x-7z|x-rar|x-tar|gzip/.test(type)) return true;
  // ZIP (PK\x03\x04), gzip (1f 8b), 7z, RAR.
  const h = content.subarray(0, 6);
  return (
    (h[0] === 0x50 && h[1] === 0x4b && h[2] === 0x03 && h[3] === 0x04) ||
    (h[0] === 0x1f && h[1] === 0x8b) ||
    h.toString('latin1').startsWith('7z\xbc\xaf') ||
    h.toString('latin1').startsWith('Rar!')
  );
}
