/**
 * What the PDF reader returns and the limits it works under (DESIGN.md "Hostile input",
 * RELIABILITY.md items 23–24). Pure types and defaults; no I/O.
 */
import type { ExtractedDocument } from '../extract.model.ts';

/** An e-invoice embedded in the PDF, already parsed (einvoice.ts), with the attachment's name. */
export interface EmbeddedEInvoice {
  name: string;
  doc: ExtractedDocument;
}

/** The readable content of one PDF. */
export interface PdfContent {
  /**
   * Text of each page read, in order (pdf-parse's text layer; '' for a page without text, e.g. a
   * scan). Empty when `preferEInvoice` found an e-invoice: its text layer was not read.
   */
  pages: string[];
  /** The document's real page count. Larger than `pages.length` when the page cap cut reading short. */
  pageCount: number;
  /** Embedded files (the PDF's EmbeddedFiles name tree): where Factur-X/ZUGFeRD carry their XML. */
  attachments: Array<{ name: string; content: Buffer }>;
  /** Always false: a PDF that needs a password is a DocumentError('encrypted'), never a result. */
  encrypted: false;
  /** Sentences for the owner about what was not read (e.g. pages past the cap). */
  warnings: string[];
  /** With `preferEInvoice`: the embedded e-invoice when one parses, else null. Always null without it. */
  einvoice: EmbeddedEInvoice | null;
}

export interface PdfReadOptions extends Partial<PdfLimits> {
  /**
   * Look for an embedded e-invoice (Factur-X/ZUGFeRD/XRechnung) first; when one parses, return
   * it and skip the text layer, which the exact path does not need (pdf.js then reads no page:
   * ~3 ms instead of ~20 ms on the corpus). Default false: text of every page, no parsing.
   */
  preferEInvoice?: boolean;
}

export interface PdfLimits {
  /** Wall time for one parse, from dispatch to the worker until the reply. Default 15 000 ms. */
  timeoutMs: number;
  /** Heap plus ArrayBuffer memory of the worker, in MiB. Default 256. */
  maxMemoryMb: number;
  /** Pages whose text is read; the rest are skipped with a warning. Default 200. */
  maxPages: number;
  /** Largest file accepted, checked before any parsing. Default 30 MB. */
  maxBytes: number;
}

export const DEFAULT_PDF_LIMITS: Readonly<PdfLimits> = Object.freeze({
  timeoutMs: 15_000,
  maxMemoryMb: 256,
  maxPages: 200,
  maxBytes: 30 * 1024 * 1024,
});

/** Defaults merged with the caller's overrides; a non-positive or non-finite limit is a programming error. */
export function resolvePdfLimits(overrides: Partial<PdfLimits> = {}): PdfLimits {
  const limits = { ...DEFAULT_PDF_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0)
      throw new RangeError(`PDF limit ${key} must be a positive number`);
  }
  return limits;
}

/** Main thread → worker: one parse. `data` is transferred, not copied. */
export interface PdfJob {
  id: number;
  data: Uint8Array;
  maxPages: number;
  /** The document's name, for the embedded e-invoice's `source`. */
  source: string;
  preferEInvoice: boolean;
}

/** An error raised inside the worker, reduced to what survives structured cloning. */
export interface PdfWorkerFailure {
  name: string;
  message: string;
}

/** Worker → main thread. `ready` is sent once, after pdf-parse has loaded. */
export type PdfWorkerMessage =
  | { type: 'ready' }
  | {
      type: 'done';
      id: number;
      pages: string[];
      pageCount: number;
      attachments: Array<{ name: string; content: Uint8Array }>;
      einvoice: EmbeddedEInvoice | null;
    }
  | { type: 'failed'; id: number; error: PdfWorkerFailure };

/** A finished parse as the pool hands it back, before it becomes a PdfContent. */
export type PdfWorkerResult = Extract<PdfWorkerMessage, { type: 'done' }>;
