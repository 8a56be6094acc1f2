/**
 * Every way a PDF read can fail, turned into a DocumentError with a stable code and a sentence
 * the owner understands (RELIABILITY.md item 24: a clear exception, never a crash or a silent
 * skip). pdf.js and worker errors are classified here and nowhere else. Pure.
 */
import { DocumentError } from '../extract.model.ts';
import type { PdfWorkerFailure } from './pdf.model.ts';

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`);

export function tooLarge(source: string, bytes: number, maxBytes: number): DocumentError {
  return new DocumentError(
    'too_large',
    source,
    `"${source}" is ${mb(bytes)}; deskhand reads PDFs up to ${mb(maxBytes)}, so it was not opened.`,
  );
}

export function emptyFile(source: string): DocumentError {
  return new DocumentError('empty', source, `"${source}" is an empty file (0 bytes).`);
}

export function noPages(source: string): DocumentError {
  return new DocumentError(
    'empty',
    source,
    `"${source}" is a PDF with no pages, so there is nothing to read.`,
  );
}

export function notPdf(source: string): DocumentError {
  return new DocumentError(
    'corrupt',
    source,
    `"${source}" is not a PDF (it has no %PDF- header); it may be damaged or mislabelled.`,
  );
}

export function timedOut(source: string, timeoutMs: number): DocumentError {
  return new DocumentError(
    'timeout',
    source,
    `Reading "${source}" took longer than ${duration(timeoutMs)} and was stopped; ` +
      'the file may be built to hang PDF readers. Open it yourself only if you trust the sender.',
  );
}

export function outOfMemory(source: string, maxMemoryMb: number, cause?: unknown): DocumentError {
  return new DocumentError(
    'out_of_memory',
    source,
    `Reading "${source}" needed more than ${maxMemoryMb} MB of memory and was stopped; ` +
      'the file may be a "PDF bomb". Open it yourself only if you trust the sender.',
    { cause },
  );
}

/** pdf.js names the failures it knows (see pdf-parse's Exception.js); anything else is damage. */
export function classifyWorkerFailure(
  source: string,
  failure: PdfWorkerFailure,
  maxMemoryMb: number,
): DocumentError {
  const cause = Object.assign(new Error(failure.message), { name: failure.name });
  if (failure.name === 'PasswordException') {
    return new DocumentError(
      'encrypted',
      source,
      `"${source}" is password-protected, so deskhand cannot read it. Ask the sender for a copy without a password.`,
      { cause },
    );
  }
  // A typed-array allocation V8 refuses surfaces as a RangeError inside the worker, not as a worker OOM.
  if (
    failure.name === 'RangeError' &&
    /allocation failed|invalid (typed )?array length/i.test(failure.message)
  ) {
    return outOfMemory(source, maxMemoryMb, cause);
  }
  return new DocumentError(
    'corrupt',
    source,
    `"${source}" is damaged or not a valid PDF (${failure.message}); ask the sender to send it again.`,
    { cause },
  );
}

/** The worker itself died (uncaught error, V8 heap limit, exit): an error for this document, never a crash. */
export function classifyWorkerDeath(source: string, err: unknown, maxMemoryMb: number): DocumentError {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ERR_WORKER_OUT_OF_MEMORY') return outOfMemory(source, maxMemoryMb, err);
  const detail = err instanceof Error ? err.message : String(err);
  return new DocumentError(
    'corrupt',
    source,
    `The PDF reader stopped unexpectedly while reading "${source}" (${detail}); the file is probably damaged.`,
    { cause: err },
  );
}
