/**
 * A photographed or scanned receipt, image to fields: OCR, then `extractReceiptFields`. When the
 * first reading leaves the total, the date or the merchant missing or unsure, the image is read
 * a second time with another page segmentation (tesseract's column mode instead of its block
 * mode) and each field is taken from the surer reading. Thermal receipts are faint; the two
 * modes lose different lines, and on the SROIE receipts about two in five need the second look.
 * When the first reading found next to no words, the second keeps the block mode and binarises
 * the image adaptively instead. When the two readings together still have no total or no date,
 * a third reading binarises adaptively in block mode, and fills what the others could not.
 */
import type { ExtractedDocument } from '../extract.model.ts';
import { ocrImage } from '../ocr/ocr.image.ts';
import { extractReceiptFields } from './receipt.extract.ts';
import { mergeReadings, worthSecondReading } from './receipt.merge.ts';

export interface ReceiptImageOptions {
  source: string;
  langs?: string[];
  /** Per OCR pass; default 30 s. */
  timeoutMs?: number;
  /** Fields below this confidence trigger the second reading. Default 0.6. */
  sure?: number;
}

export interface ReceiptImageResult {
  document: ExtractedDocument;
  /** Mean word confidence of the first OCR pass, 0..1. */
  ocrConfidence: number;
  /** OCR passes made: 1, 2 or 3. */
  passes: number;
}

/** Fewer words than this on a receipt: the first reading lost the page (ocr.image.ts `threshold`). */
const FEW_WORDS = 20;

/** Reads a receipt image. Throws what `ocrImage` throws (DocumentError, OcrEngineMissingError). */
export async function readReceiptImage(
  content: Buffer,
  opts: ReceiptImageOptions,
): Promise<ReceiptImageResult> {
  const ocr = { source: opts.source, langs: opts.langs, timeoutMs: opts.timeoutMs };
  const first = await ocrImage(content, ocr);
  const read = (text: string) => extractReceiptFields(text, { source: opts.source, method: 'ocr', page: 1 });
  const document = read(first.text);
  if (!worthSecondReading(document, opts.sure ?? 0.6))
    return { document, ocrConfidence: first.confidence, passes: 1 };
  // A page read as (nearly) nothing was lost to thresholding, not to layout: the column mode
  // sees the same empty page, an adaptive threshold does not.
  const adaptive = first.words < FEW_WORDS;
  const second = await ocrImage(
    content,
    adaptive ? { ...ocr, threshold: 'adaptive' } : { ...ocr, layout: 'column' },
  );
  const merged = mergeReadings(document, read(second.text));
  if (adaptive || !stillMissing(merged))
    return { document: merged, ocrConfidence: first.confidence, passes: 2 };
  // Both modes lost the total or the date: the adaptive threshold keeps faint strokes the global
  // one drops (and adds specks, so it comes last).
  const third = await ocrImage(content, { ...ocr, threshold: 'adaptive' });
  return { document: mergeReadings(merged, read(third.text)), ocrConfidence: first.confidence, passes: 3 };
}

/** True when a reading found no total or no date at all. */
export function stillMissing(doc: ExtractedDocument): boolean {
  return doc.total === null || doc.issueDate === null;
}
