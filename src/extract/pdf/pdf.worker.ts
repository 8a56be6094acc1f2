/**
 * The worker-thread side of the PDF reader: runs pdf-parse (pdf.js) on one document at a time.
 * It lives in its own thread so a hostile PDF can be stopped (terminate) and capped
 * (resourceLimits) without touching the main process (RELIABILITY.md item 23).
 *
 * pdf.js runs here on its "fake worker", i.e. in this same thread, so the limits apply to it.
 * No PDF code runs: pdf.js hands document JavaScript (OpenAction, named scripts, field actions)
 * to its viewer's scripting sandbox only, which is not loaded here; `isEvalSupported: false`
 * stops its one remaining `new Function` (compiling PostScript Type 4 functions, pdf.worker.mjs
 * PostScriptCompiler); XFA forms stay off.
 */
import { parentPort } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';
import { findEmbeddedInvoiceXml, parseEInvoiceXml } from '../einvoice/einvoice.ts';
import type { PdfJob, PdfWorkerMessage } from './pdf.model.ts';

/** The part of pdf.js's PDFDocumentProxy we use. */
interface PdfJsDocument {
  numPages: number;
  getAttachments(): Promise<Record<string, { filename?: string; content?: Uint8Array | null }> | null>;
}

/**
 * pdf-parse 2.4 keeps the loaded pdf.js document behind a TypeScript-private `load()` (cached,
 * so getText reuses it) and has no attachments API. The embedded Factur-X XML is only reachable
 * through it. The version is pinned; the corpus test fails loudly if this ever changes.
 */
function loadDocument(parser: PDFParse): Promise<PdfJsDocument> {
  const load = (parser as unknown as { load?: () => Promise<PdfJsDocument> }).load;
  if (typeof load !== 'function')
    throw new Error('pdf-parse has no load(); update src/extract/pdf/pdf.worker.ts');
  return load.call(parser);
}

async function attachmentsOf(doc: PdfJsDocument): Promise<Array<{ name: string; content: Uint8Array }>> {
  return (
    Object.values((await doc.getAttachments()) ?? {})
      .filter((a) => a.content instanceof Uint8Array)
      // A copy of exact size: pdf.js may hand back a view into the whole file, which must not
      // travel to (and stay alive in) the main thread.
      .map((a) => ({ name: a.filename || 'unnamed', content: (a.content as Uint8Array).slice() }))
  );
}

/** The embedded e-invoice, parsed, or null (none, or none that parses: then the text layer is needed). */
function embeddedInvoice(attachments: Array<{ name: string; content: Uint8Array }>, source: string) {
  const files = attachments.map((a) => ({
    name: a.name,
    content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
  }));
  const found = findEmbeddedInvoiceXml(files);
  const doc = found && parseEInvoiceXml(found.xml, source);
  return found && doc ? { name: found.name, doc } : null;
}

async function read(job: PdfJob, parser: PDFParse): Promise<PdfWorkerMessage> {
  const doc = await loadDocument(parser);
  const pageCount = doc.numPages;
  const done = { type: 'done', id: job.id, pageCount } as const;
  if (pageCount === 0) return { ...done, pages: [], attachments: [], einvoice: null };
  const attachments = await attachmentsOf(doc);
  const einvoice = job.preferEInvoice ? embeddedInvoice(attachments, job.source) : null;
  if (einvoice) return { ...done, pages: [], attachments, einvoice };
  // `first: n` reads pages 1..n; leaving it out reads all (pdf-parse's shouldParse).
  const text = await parser.getText(pageCount > job.maxPages ? { first: job.maxPages } : {});
  return { ...done, pages: text.pages.map((p) => p.text), attachments, einvoice: null };
}

function failed(id: number, err: unknown): PdfWorkerMessage {
  const error =
    err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) };
  return { type: 'failed', id, error };
}

function reply(message: PdfWorkerMessage): void {
  const transfer =
    message.type === 'done' ? message.attachments.map((a) => a.content.buffer as ArrayBuffer) : [];
  parentPort?.postMessage(message, transfer);
}

parentPort?.on('message', async (job: PdfJob) => {
  const parser = new PDFParse({
    data: job.data,
    isEvalSupported: false,
    enableXfa: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  reply(await read(job, parser).catch((err: unknown) => failed(job.id, err)));
  // Tearing pdf.js down is off the caller's critical path: the answer is already on its way.
  await parser.destroy().catch(() => undefined);
});
parentPort?.postMessage({ type: 'ready' } satisfies PdfWorkerMessage);
