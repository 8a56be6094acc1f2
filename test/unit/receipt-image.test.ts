import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ocrAvailable, ocrImage } from '../../src/extract/ocr/ocr.image.ts';
import { readReceiptImage } from '../../src/extract/receipt/receipt.image.ts';
import { textPdf } from '../support/text-pdf.ts';

const RECEIPT = [
  'ACME TRADING SDN BHD',
  'Date: 25/12/2018',
  'TOTAL RM 9.00',
  'CASH RM 10.00',
  'CHANGE RM 1.00',
];

/**
 * A faint thermal receipt scanned with a dark edge: grey text (ink 170 on paper 245) with a black
 * band down the left side and along the bottom, as a 24-bit BMP. Rendered by poppler from a
 * hand-written PDF, so the test needs no binary fixture. The dark band drags tesseract's global
 * Otsu threshold below the grey ink and the page reads as empty.
 */
function faintScan(): Buffer {
  const run = spawnSync('pdftoppm', ['-gray', '-r', '100', '-f', '1', '-l', '1', '-singlefile', '-'], {
    input: textPdf([RECEIPT]),
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`pdftoppm failed (is poppler-utils installed?): ${run.stderr}`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+\d+\s/.exec(run.stdout.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('pdftoppm -gray did not write a PGM');
  const [w, h] = [Number(header[1]), Number(header[2])];
  const px = run.stdout.subarray(header[0].length);
  const [ink, paper, band] = [170, 245, 40];
  const row = Math.ceil((w * 3) / 4) * 4;
  const bmp = Buffer.alloc(54 + row * h);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(bmp.length, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(w, 18);
  bmp.writeInt32LE(h, 22);
  bmp.writeUInt16LE(1, 26);
  bmp.writeUInt16LE(24, 28);
  bmp.writeUInt32LE(row * h, 34);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const dark = x < band || y >= h - band;
      const g = dark ? 0 : Math.round(paper - ((255 - px[y * w + x]!) / 255) * (paper - ink));
      const at = 54 + (h - 1 - y) * row + x * 3;
      bmp[at] = bmp[at + 1] = bmp[at + 2] = g;
    }
  }
  return bmp;
}

beforeAll(async () => {
  if (!(await ocrAvailable())) {
    throw new Error(
      'tesseract is not installed: run `bash scripts/stack.sh deps` (or apt-get install -y tesseract-ocr tesseract-ocr-eng poppler-utils)',
    );
  }
});

describe('a faint scan with a dark edge', () => {
  it('reads as empty with the global threshold and in full with the adaptive one', async () => {
    const image = faintScan();
    const global = await ocrImage(image, { source: 'scan.bmp' });
    const adaptive = await ocrImage(image, { source: 'scan.bmp', threshold: 'adaptive' });
    expect(global.words).toBeLessThan(5);
    expect(adaptive.text).toContain('TOTAL RM 9.00');
  });

  it('gets its second reading with the adaptive threshold when the first read next to nothing', async () => {
    const { document, passes } = await readReceiptImage(faintScan(), { source: 'scan.bmp' });
    expect(passes).toBe(2);
    expect(document).toMatchObject({
      vendor: { name: 'ACME TRADING SDN BHD' },
      issueDate: '2018-12-25',
      total: 9,
    });
  });
});
