/**
 * OCR of one raster image with tesseract (Debian's `tesseract-ocr` and its language packs), run
 * as a child process: offline, no shell, image on stdin, TSV on stdout, killed at its time limit.
 */
import { DocumentError } from '../extract.model.ts';
import { OcrEngineMissingError } from './ocr.errors.ts';
import { detectImageType, looksLikePdf } from './ocr.image-type.ts';
import { runBounded } from './ocr.process.ts';
import { type OcrText, parseTesseractTsv } from './ocr.tsv.ts';

export type { OcrText } from './ocr.tsv.ts';

export interface OcrImageOptions {
  /** File name for errors and evidence. */
  source: string;
  /** Tesseract language codes (`eng`, `deu`, `fra`, `nld`, `spa`…). Default `['eng']`. */
  langs?: string[];
  /** Default 30 s. */
  timeoutMs?: number;
  /**
   * How tesseract segments the page: `block` (default, `--psm 6`) reads it row by row as one
   * block; `column` (`--psm 4`) as one column of lines of varying size — a second opinion when
   * the first reading missed something.
   */
  layout?: 'block' | 'column';
  /**
   * How the image is binarised: `global` (default) is tesseract's Otsu threshold over the whole
   * page; `adaptive` (`-c thresholding_method=1`, Leptonica's tiled Otsu) picks a threshold per
   * region. A global threshold fails on a faint print with a dark border or a shadow: the dark
   * pixels pull the threshold below the grey text and the page comes back empty.
   */
  threshold?: 'global' | 'adaptive';
}

/** Larger images are refused before decoding: a scan of a page is a few MB at most. */
export const MAX_IMAGE_BYTES = 40 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;
const LANG = /^[a-z]{3}(_[a-z]+)?$/;

/**
 * `--psm 6`: read the page as one uniform block, row by row. Receipts and invoices pair a label
 * with an amount far to its right; the automatic layout analysis (`--psm 3`) and the
 * single-column mode (`--psm 4`) tend to split those into separate blocks, or drop faint
 * right-aligned numbers. On the tune half of the SROIE receipts the printed total was found in
 * the text of 41 of 48 receipts with psm 6, against 32 with psm 4 and 30 with psm 3 (the date:
 * 42, 27, 32). Upscaling, contrast normalisation, Sauvola thresholding and --dpi hints did not
 * beat the raw image.
 * OMP_THREAD_LIMIT=1: tesseract's OpenMP threads cost more CPU than they save (tesseract-ocr
 * issues #1081 and #3744), and here several OCR jobs already share the cores.
 */
function tesseractArgs(langs: string[], opts: OcrImageOptions): string[] {
  const threshold = opts.threshold === 'adaptive' ? ['-c', 'thresholding_method=1'] : [];
  return [
    'stdin',
    'stdout',
    '-l',
    langs.join('+'),
    '--psm',
    opts.layout === 'column' ? '4' : '6',
    ...threshold,
    'tsv',
  ];
}

function checkedLangs(langs: string[] | undefined, source: string): string[] {
  const list = langs?.length ? langs : ['eng'];
  for (const l of list) {
    if (!LANG.test(l))
      throw new DocumentError('unsupported', source, `"${l}" is not a tesseract language code.`);
  }
  return list;
}

function checkInput(content: Buffer, source: string): void {
  if (content.length === 0) throw new DocumentError('empty', source, `${source} is empty.`);
  if (content.length > MAX_IMAGE_BYTES) {
    throw new DocumentError('too_large', source, `${source} is larger than ${MAX_IMAGE_BYTES >> 20} MiB.`);
  }
  if (detectImageType(content)) return;
  const hint = looksLikePdf(content) ? ' It is a PDF: render it with ocrPdf.' : '';
  throw new DocumentError(
    'unsupported',
    source,
    `${source} is not an image OCR can read (PNG, JPEG, TIFF, GIF, BMP or WebP).${hint}`,
  );
}

/** Reads the text of an image. Throws DocumentError for a bad image, OcrEngineMissingError when tesseract is absent. */
export async function ocrImage(content: Buffer, opts: OcrImageOptions): Promise<OcrText> {
  const { source } = opts;
  checkInput(content, source);
  const langs = checkedLangs(opts.langs, source);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const run = await runBounded('tesseract', tesseractArgs(langs, opts), {
    stdin: content,
    timeoutMs,
    maxStdoutBytes: 16 * 1024 * 1024,
    env: { OMP_THREAD_LIMIT: '1' },
  });
  if (run.missing) throw new OcrEngineMissingError('The OCR engine tesseract', 'tesseract-ocr', { source });
  if (run.timedOut) {
    throw new DocumentError(
      'timeout',
      source,
      `OCR of ${source} did not finish within ${timeoutMs} ms and was stopped.`,
    );
  }
  if (run.overflow)
    throw new DocumentError('too_large', source, `OCR of ${source} produced too much output.`);
  if (run.code !== 0) {
    const lang = /Failed loading language '([^']+)'/.exec(run.stderr)?.[1];
    if (lang)
      throw new OcrEngineMissingError(`Tesseract language data "${lang}"`, `tesseract-ocr-${lang}`, {
        source,
      });
    const reason = lastLine(run.stderr);
    throw new DocumentError(
      'corrupt',
      source,
      `${source} could not be decoded as an image (tesseract: ${reason}).`,
    );
  }
  return parseTesseractTsv(run.stdout.toString('utf8'));
}

function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim());
  const meaningful = lines.filter((l) => l && l !== 'Error during processing.');
  return meaningful.at(-1) ?? `exit without output`;
}

/** True when tesseract runs and has English data. Never throws. */
export async function ocrAvailable(): Promise<boolean> {
  const run = await runBounded('tesseract', ['--list-langs'], { timeoutMs: 10_000 });
  return run.code === 0 && /^eng$/m.test(run.stdout.toString('utf8') + run.stderr);
}
