/**
 * SROIE receipts through the whole OCR path (../shared/corpora/README.md §11): each receipt
 * image is read by `readReceiptImage` — tesseract OCR (not the corpus's reference OCR), then
 * `extractReceiptFields`, with a second OCR pass when a field is missing or unsure — and compared
 * with the label as `sroie-compare.ts` describes.
 *
 * Held-out split: receipts are sorted by id; the even positions (0, 2, 4…) are the "tune" half —
 * the half whose OCR output was looked at while writing the receipt rules (together with the
 * corpus's 476 text-only receipts that have no image here) — and the odd positions are the
 * "held-out" half, scored but never inspected. Both are reported.
 *
 * At most `concurrency` tesseract processes run at once (default 2: one per core here).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ocrAvailable } from '../../src/extract/ocr/ocr.image.ts';
import { readReceiptImage } from '../../src/extract/receipt/receipt.image.ts';
import { compareReceipt, type SroieLabel } from './sroie-compare.ts';
import { CORPORA } from './text.ts';

export interface FieldRow {
  field: string;
  correct: number;
  total: number;
}

export interface SroieScore {
  rows: FieldRow[];
  docsPerSecond: number;
  /** Wall time of the whole run, OCR included. */
  seconds: number;
  docs: number;
  /** Receipts whose OCR failed (counted wrong on every field). */
  errors: string[];
  /** The same rows for each half (see the module notes). */
  bySplit: { tune: FieldRow[]; heldOut: FieldRow[] };
  /** Mean tesseract confidence, 0..1. */
  meanOcrConfidence: number;
  /** Receipts that needed a second OCR pass (receipt.image.ts). */
  secondPasses: number;
}

const SROIE = join(CORPORA, 'sroie');
export const SROIE_FIELDS = ['total', 'date', 'company', 'company (exact)'] as const;

interface Verdict {
  id: string;
  split: 'tune' | 'heldOut';
  fields: Record<string, boolean | undefined>;
  confidence: number;
  passes: number;
}

function tally(verdicts: Verdict[]): FieldRow[] {
  return SROIE_FIELDS.map((field) => {
    const scored = verdicts.filter((v) => v.fields[field] !== undefined);
    return { field, correct: scored.filter((v) => v.fields[field]).length, total: scored.length };
  });
}

async function scoreOne(id: string, split: Verdict['split']): Promise<Verdict & { error?: string }> {
  const label = JSON.parse(readFileSync(join(SROIE, 'labels', `${id}.json`), 'utf8')) as SroieLabel;
  const image = readFileSync(join(SROIE, 'images', `${id}.jpg`));
  try {
    const read = await readReceiptImage(image, { source: `${id}.jpg`, langs: ['eng'], timeoutMs: 60_000 });
    return {
      id,
      split,
      fields: compareReceipt(read.document, label),
      confidence: read.ocrConfidence,
      passes: read.passes,
    };
  } catch (err) {
    const none = { vendor: { name: null }, issueDate: null, total: null };
    return {
      id,
      split,
      fields: compareReceipt(none, label),
      confidence: 0,
      passes: 0,
      error: `${id}: ${String(err)}`,
    };
  }
}

/** OCRs, extracts and scores the SROIE receipts (the first `limit` by id, or all). */
export async function scoreSroie(opts: { limit?: number; concurrency?: number } = {}): Promise<SroieScore> {
  if (!(await ocrAvailable())) {
    throw new Error(
      'tesseract is not installed: apt-get install -y tesseract-ocr tesseract-ocr-eng (or bash scripts/stack.sh deps)',
    );
  }
  const all = readdirSync(join(SROIE, 'images'))
    .filter((f) => f.endsWith('.jpg'))
    .map((f) => f.slice(0, -4))
    .sort();
  const work = all.map((id, i) => ({ id, split: (i % 2 === 0 ? 'tune' : 'heldOut') as Verdict['split'] }));
  const queue = work.slice(0, opts.limit ?? work.length);
  const verdicts: Array<Verdict & { error?: string }> = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const item = queue[next++]!;
      verdicts.push(await scoreOne(item.id, item.split));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, worker));
  const seconds = (performance.now() - started) / 1000;
  verdicts.sort((a, b) => a.id.localeCompare(b.id));
  return {
    rows: tally(verdicts),
    docsPerSecond: verdicts.length / seconds,
    seconds,
    docs: verdicts.length,
    errors: verdicts.flatMap((v) => (v.error ? [v.error] : [])),
    bySplit: {
      tune: tally(verdicts.filter((v) => v.split === 'tune')),
      heldOut: tally(verdicts.filter((v) => v.split === 'heldOut')),
    },
    meanOcrConfidence: verdicts.reduce((s, v) => s + v.confidence, 0) / Math.max(verdicts.length, 1),
    secondPasses: verdicts.filter((v) => v.passes === 2).length,
  };
}
