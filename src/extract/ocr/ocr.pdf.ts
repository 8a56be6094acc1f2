/**
 * OCR of a scanned PDF: poppler's `pdftoppm` renders each page to a greyscale PNG, tesseract reads
 * it. Both run as time-limited child processes on stdin/stdout (no temp files), pages are capped,
 * and each page's resolution is lowered when the page is so large that rendering it at the
 * requested dpi would take gigabytes (a crafted MediaBox can be 200 inches wide).
 */
import { DocumentError } from '../extract.model.ts';
import { OcrEngineMissingError } from './ocr.errors.ts';
import { ocrImage } from './ocr.image.ts';
import { looksLikePdf } from './ocr.image-type.ts';
import { type RunResult, runBounded } from './ocr.process.ts';

export interface OcrPdfOptions {
  source: string;
  /** Pages read from the start; later pages are ignored. Default 10. */
  maxPages?: number;
  /** Budget for the whole document, rendering and OCR together. Default 120 s. */
  timeoutMs?: number;
  /** Render resolution; 300 is what tesseract is trained for. Default 300. */
  dpi?: number;
  /** Tesseract languages, as for ocrImage. */
  langs?: string[];
}

export interface OcrPdfResult {
  /** Text of each page read, in order. */
  pages: string[];
  /** 0..1, the word-weighted mean of the pages' confidences. */
  confidence: number;
}

/** The long side of a rendered page never exceeds this (about A3 at 400 dpi). */
const MAX_PAGE_PIXELS = 7000;
export const MAX_PDF_BYTES = 100 * 1024 * 1024;

interface PdfInfo {
  pages: number;
  /** Long side of each page in points, by 1-based page number. */
  longSide: Map<number, number>;
}

function failure(run: RunResult, source: string, what: string, timeoutMs: number): Error {
  if (run.missing) return new OcrEngineMissingError(`Poppler's ${what}`, 'poppler-utils', { source });
  if (run.timedOut)
    return new DocumentError(
      'timeout',
      source,
      `${what} on ${source} did not finish within ${timeoutMs} ms.`,
    );
  if (/password/i.test(run.stderr))
    return new DocumentError('encrypted', source, `${source} is encrypted with a password.`);
  const reason = run.stderr.trim().split('\n').at(-1) || `exit code ${run.code}`;
  return new DocumentError('corrupt', source, `${source} could not be read as a PDF (${what}: ${reason}).`);
}

async function pdfInfo(
  content: Buffer,
  source: string,
  lastPage: number,
  timeoutMs: number,
): Promise<PdfInfo> {
  const run = await runBounded('pdfinfo', ['-f', '1', '-l', String(lastPage), '-'], {
    stdin: content,
    timeoutMs,
  });
  if (run.code !== 0) throw failure(run, source, 'pdfinfo', timeoutMs);
  const out = run.stdout.toString('utf8');
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1] ?? 0);
  const longSide = new Map<number, number>();
  for (const m of out.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)) {
    longSide.set(Number(m[1]), Math.max(Number(m[2]), Number(m[3])));
  }
  return { pages, longSide };
}

function pageDpi(dpi: number, longSidePts: number | undefined): number {
  if (!longSidePts || longSidePts <= 0) return dpi;
  return Math.max(36, Math.min(dpi, Math.floor((MAX_PAGE_PIXELS * 72) / longSidePts)));
}

async function renderPage(
  content: Buffer,
  source: string,
  page: number,
  dpi: number,
  timeoutMs: number,
): Promise<Buffer> {
  const p = String(page);
  const args = ['-r', String(dpi), '-gray', '-png', '-f', p, '-l', p, '-singlefile', '-'];
  const run = await runBounded('pdftoppm', args, {
    stdin: content,
    timeoutMs,
    maxStdoutBytes: 256 * 1024 * 1024,
  });
  if (run.code !== 0 || run.overflow) throw failure(run, source, 'pdftoppm', timeoutMs);
  return run.stdout;
}

/** Renders and OCRs the first pages of a PDF. Throws DocumentError (encrypted, corrupt, timeout…) or OcrEngineMissingError. */
export async function ocrPdf(content: Buffer, opts: OcrPdfOptions): Promise<OcrPdfResult> {
  const { source } = opts;
  if (content.length === 0) throw new DocumentError('empty', source, `${source} is empty.`);
  if (content.length > MAX_PDF_BYTES)
    throw new DocumentError('too_large', source, `${source} is too large to OCR.`);
  if (!looksLikePdf(content)) throw new DocumentError('unsupported', source, `${source} is not a PDF.`);
  const maxPages = Math.max(1, opts.maxPages ?? 10);
  const budget = opts.timeoutMs ?? 120_000;
  const deadline = Date.now() + budget;
  const left = () => {
    const ms = deadline - Date.now();
    if (ms <= 0)
      throw new DocumentError('timeout', source, `OCR of ${source} did not finish within ${budget} ms.`);
    return ms;
  };
  const info = await pdfInfo(content, source, maxPages, left());
  if (info.pages === 0) throw new DocumentError('empty', source, `${source} has no pages.`);
  const pages: string[] = [];
  let weighted = 0;
  let words = 0;
  for (let page = 1; page <= Math.min(info.pages, maxPages); page++) {
    const png = await renderPage(
      content,
      source,
      page,
      pageDpi(opts.dpi ?? 300, info.longSide.get(page)),
      left(),
    );
    const ocr = await ocrImage(png, { source, langs: opts.langs, timeoutMs: left() });
    pages.push(ocr.text);
    weighted += ocr.confidence * ocr.words;
    words += ocr.words;
  }
  return { pages, confidence: words ? Math.round((weighted / words) * 1000) / 1000 : 0 };
}
