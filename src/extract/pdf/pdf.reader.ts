/**
 * Reads a PDF's text and embedded files without letting the PDF hurt the process
 * (DESIGN.md "Hostile input"; RELIABILITY.md items 23–24): size is checked before parsing,
 * parsing runs in a worker thread with a time and memory limit, no PDF code runs, and every
 * failure is a DocumentError with a code and a sentence for the owner.
 *
 * Page cap: when a PDF has more pages than `maxPages`, the first `maxPages` pages are read and
 * a warning says so, rather than refusing the file: the embedded e-invoice XML (the exact path)
 * and the first pages (where invoice headers and usually totals live) are still worth having,
 * and pdf.js only touches the pages it is asked for, so a huge page count costs nothing.
 */
import { emptyFile, noPages, notPdf, tooLarge } from './pdf.errors.ts';
import { isPdf } from './pdf.magic.ts';
import { type PdfContent, type PdfReadOptions, resolvePdfLimits } from './pdf.model.ts';
import { PdfWorkerPool } from './pdf.pool.ts';

let sharedPool: PdfWorkerPool | null = null;

/** The process-wide pool, created on first use (nothing starts on import). */
function defaultPool(): PdfWorkerPool {
  sharedPool ??= new PdfWorkerPool();
  return sharedPool;
}

/**
 * Text per page and embedded files of one PDF (with `preferEInvoice`, the parsed embedded
 * e-invoice instead of the text, when there is one). Rejects with DocumentError: 'empty' (0 bytes or
 * no pages), 'too_large', 'corrupt' (not a PDF, damaged, or the reader died), 'encrypted'
 * (needs a password; owner-password-only PDFs open normally), 'timeout', 'out_of_memory'.
 * Never reads more than `limits.maxPages` pages (see the module note).
 */
export async function readPdf(
  content: Buffer,
  source: string,
  options: PdfReadOptions = {},
  pool: PdfWorkerPool = defaultPool(),
): Promise<PdfContent> {
  const { preferEInvoice = false, ...limits } = options;
  const resolved = resolvePdfLimits(limits);
  if (content.byteLength === 0) throw emptyFile(source);
  if (content.byteLength > resolved.maxBytes) throw tooLarge(source, content.byteLength, resolved.maxBytes);
  if (!isPdf(content)) throw notPdf(source);
  // A private copy, transferred to the worker: the caller's Buffer stays usable.
  const result = await pool.parse(new Uint8Array(content), source, resolved, preferEInvoice);
  if (result.pageCount === 0) throw noPages(source);
  const warnings =
    !result.einvoice && result.pageCount > result.pages.length
      ? [`Only the first ${result.pages.length} of ${result.pageCount} pages of "${source}" were read.`]
      : [];
  return {
    pages: result.pages,
    pageCount: result.pageCount,
    attachments: result.attachments.map((a) => ({
      name: a.name,
      content: Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength),
    })),
    encrypted: false,
    warnings,
    einvoice: result.einvoice,
  };
}

/** Stops the shared pool's workers (shutdown, tests). The next readPdf starts a new pool. */
export async function closePdfReader(): Promise<void> {
  const pool = sharedPool;
  sharedPool = null;
  await pool?.close();
}
