import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../../src/extract/extract.model.ts';
import { OcrEngineMissingError } from '../../src/extract/ocr/ocr.errors.ts';
import { ocrAvailable, ocrImage } from '../../src/extract/ocr/ocr.image.ts';
import { detectImageType } from '../../src/extract/ocr/ocr.image-type.ts';
import { ocrPdf } from '../../src/extract/ocr/ocr.pdf.ts';
import { parseTesseractTsv } from '../../src/extract/ocr/ocr.tsv.ts';
import { readReceiptImage } from '../../src/extract/receipt/receipt.image.ts';
import { textPdf } from '../support/text-pdf.ts';

const RECEIPT = ['ACME TRADING SDN BHD', 'Date: 25/12/2018', 'TOTAL RM 9.00'];
const pdf = textPdf([RECEIPT, ['Second page']]);

/**
 * The first page of `pdf` as an image, rendered by poppler (so the test needs no binary fixture).
 * Through a file: poppler writes TIFF only to a seekable output.
 */
function render(format: 'png' | 'jpeg' | 'tiff'): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-test-'));
  try {
    const run = spawnSync(
      'pdftoppm',
      ['-r', '150', `-${format}`, '-f', '1', '-l', '1', '-singlefile', '-', join(dir, 'page')],
      {
        input: pdf,
      },
    );
    if (run.status !== 0)
      throw new Error(`pdftoppm failed (is poppler-utils installed?): ${run.stderr ?? run.error}`);
    const ext = { png: 'png', jpeg: 'jpg', tiff: 'tif' }[format];
    return readFileSync(join(dir, `page.${ext}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

beforeAll(async () => {
  // CI installs tesseract (scripts/stack.sh deps): a machine without it fails here, loudly.
  if (!(await ocrAvailable())) {
    throw new Error(
      'tesseract is not installed: run `bash scripts/stack.sh deps` (or apt-get install -y tesseract-ocr tesseract-ocr-eng poppler-utils)',
    );
  }
});

describe('image types', () => {
  it('recognises PNG, JPEG, TIFF, GIF, BMP and WebP by their first bytes, not by a name', () => {
    expect(detectImageType(render('png'))).toBe('png');
    expect(detectImageType(render('jpeg'))).toBe('jpeg');
    expect(detectImageType(render('tiff'))).toBe('tiff');
    expect(detectImageType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBe('gif');
    expect(detectImageType(Buffer.concat([Buffer.from('BM'), Buffer.alloc(30)]))).toBe('bmp');
    expect(detectImageType(Buffer.from('RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(detectImageType(Buffer.from('%PDF-1.4'))).toBeNull();
    expect(detectImageType(Buffer.from('hello'))).toBeNull();
  });
});

describe('ocrImage', () => {
  it('reads the text of a rendered receipt, with a confidence and a word count', async () => {
    const result = await ocrImage(render('png'), { source: 'receipt.png' });
    expect(result.text).toContain('ACME TRADING SDN BHD');
    expect(result.text).toContain('25/12/2018');
    expect(result.text).toMatch(/TOTAL RM 9\.00/);
    expect(result.confidence).toBeGreaterThan(0.8);
    expect(result.words).toBe(9);
  });

  it('reads JPEG and TIFF as well as PNG', async () => {
    for (const format of ['jpeg', 'tiff'] as const) {
      const result = await ocrImage(render(format), { source: `receipt.${format}` });
      expect(result.text).toContain('TOTAL RM 9.00');
    }
  });

  it('refuses bytes that are not an image, before tesseract sees them, and points a PDF to ocrPdf', async () => {
    const text = await rejection(ocrImage(Buffer.from('/etc/passwd\n'), { source: 'note.png' }));
    expect(text).toBeInstanceOf(DocumentError);
    expect(text).toMatchObject({ code: 'unsupported', source: 'note.png' });
    const scan = await rejection(ocrImage(pdf, { source: 'scan.pdf' }));
    expect(scan).toMatchObject({ code: 'unsupported' });
    expect((scan as Error).message).toMatch(/ocrPdf/);
    expect(await rejection(ocrImage(Buffer.alloc(0), { source: 'empty.png' }))).toMatchObject({
      code: 'empty',
    });
  });

  it('reports a corrupt image as corrupt, with the decoder’s reason', async () => {
    const garbage = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(200, 7),
    ]);
    const err = await rejection(ocrImage(garbage, { source: 'broken.png' }));
    expect(err).toMatchObject({ code: 'corrupt', source: 'broken.png' });
    const truncated = render('jpeg').subarray(0, 300);
    expect(await rejection(ocrImage(truncated, { source: 'cut.jpg' }))).toMatchObject({ code: 'corrupt' });
  });

  it('stops tesseract at the time limit and says so', async () => {
    const started = performance.now();
    const err = await rejection(ocrImage(render('png'), { source: 'slow.png', timeoutMs: 5 }));
    expect(err).toMatchObject({ code: 'timeout', source: 'slow.png' });
    expect((err as Error).message).toMatch(/did not finish within 5 ms/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('names the Debian package when a language pack is missing', async () => {
    const err = await rejection(ocrImage(render('png'), { source: 'r.png', langs: ['tlh'] }));
    expect(err).toBeInstanceOf(OcrEngineMissingError);
    expect((err as Error).message).toMatch(/tesseract-ocr-tlh/);
  });

  it('refuses a language code that is not one, rather than passing it to tesseract', async () => {
    const err = await rejection(ocrImage(render('png'), { source: 'r.png', langs: ['eng --psm 0'] }));
    expect(err).toMatchObject({ code: 'unsupported' });
  });
});

describe('when tesseract is not installed', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('fails with an error naming the Debian package, not a document error', async () => {
    const image = render('png');
    process.env.PATH = '/nonexistent';
    const err = await rejection(ocrImage(image, { source: 'r.png' }));
    expect(err).toBeInstanceOf(OcrEngineMissingError);
    expect(err).not.toBeInstanceOf(DocumentError);
    expect((err as Error).message).toMatch(/apt-get install -y tesseract-ocr/);
    expect(await ocrAvailable()).toBe(false);
  });
});

describe('ocrPdf', () => {
  it('renders each page with pdftoppm and reads it', async () => {
    const result = await ocrPdf(pdf, { source: 'scan.pdf', dpi: 150 });
    expect(result.pages).toHaveLength(2);
    expect(result.pages[0]).toContain('TOTAL RM 9.00');
    expect(result.pages[1]).toContain('Second page');
    expect(result.confidence).toBeGreaterThan(0.8);
  });

  it('reads no more than maxPages pages', async () => {
    const result = await ocrPdf(pdf, { source: 'scan.pdf', dpi: 150, maxPages: 1 });
    expect(result.pages).toHaveLength(1);
  });

  it('reports a damaged PDF as corrupt and a non-PDF as unsupported', async () => {
    expect(await rejection(ocrPdf(pdf.subarray(0, 200), { source: 'cut.pdf' }))).toMatchObject({
      code: 'corrupt',
    });
    expect(await rejection(ocrPdf(Buffer.from('hello'), { source: 'x.pdf' }))).toMatchObject({
      code: 'unsupported',
    });
  });

  it('keeps to its time budget', async () => {
    const err = await rejection(ocrPdf(pdf, { source: 'slow.pdf', timeoutMs: 50 }));
    expect(err).toMatchObject({ code: 'timeout', source: 'slow.pdf' });
  });
});

describe('readReceiptImage', () => {
  it('turns a receipt image into contract fields in one OCR pass when every field is sure', async () => {
    const { document, passes, ocrConfidence } = await readReceiptImage(render('png'), {
      source: 'receipt.png',
    });
    expect(document).toMatchObject({
      source: 'receipt.png',
      kind: 'receipt',
      method: 'ocr',
      vendor: { name: 'ACME TRADING SDN BHD' },
      issueDate: '2018-12-25',
      total: 9,
      currency: 'MYR',
    });
    expect(document.evidence.total).toMatchObject({ text: 'TOTAL RM 9.00', page: 1 });
    expect(passes).toBe(1);
    expect(ocrConfidence).toBeGreaterThan(0.8);
  });
});

describe('tesseract TSV', () => {
  it('joins words into lines, separates paragraphs, and weighs confidence by characters', () => {
    const tsv = [
      'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
      '1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t',
      '5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90\tTOTAL',
      '5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t50\t9.00',
      '5\t1\t1\t2\t1\t1\t0\t0\t10\t10\t100\tThanks',
    ].join('\n');
    const result = parseTesseractTsv(tsv);
    expect(result.text).toBe('TOTAL 9.00\n\nThanks');
    expect(result.words).toBe(3);
    expect(result.confidence).toBeCloseTo((90 * 5 + 50 * 4 + 100 * 6) / 15 / 100, 3);
  });
});
