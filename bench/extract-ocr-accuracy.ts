/**
 * Per-field accuracy of receipt extraction through OCR on the SROIE scanned receipts (issue 4:
 * total ≥ 80%, date ≥ 80%, company ≥ 70%). Prints the table for all receipts and for the tune
 * and held-out halves (bench/lib/accuracy-sroie.ts), the run time, and writes
 * bench/out/extract-ocr-accuracy.json. Sets exit code 1 when a floor is missed on a full run.
 *
 * Run: `npx node bench/extract-ocr-accuracy.ts [--limit N] [--concurrency N]`
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FieldRow, scoreSroie } from './lib/accuracy-sroie.ts';
import { pct } from './lib/text.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out', 'extract-ocr-accuracy.json');
const FLOORS: Record<string, number> = { total: 0.8, date: 0.8, company: 0.7 };

function arg(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? Number(process.argv[i + 1]) : Number.NaN;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

const cell = (r: FieldRow | undefined) =>
  r ? `${`${r.correct}/${r.total}`.padStart(7)} ${pct(r.correct, r.total)}` : '';

const limit = arg('--limit');
const result = await scoreSroie({ limit, concurrency: arg('--concurrency') });

console.log(
  `SROIE receipts through OCR (tesseract eng, --psm 6, then --psm 4 when unsure): ${result.docs} receipts`,
);
console.log(
  `${'field'.padEnd(18)}${'all'.padStart(15)}${'tune half'.padStart(17)}${'held-out half'.padStart(17)}   floor`,
);
let missed = false;
for (const row of result.rows) {
  const floor = FLOORS[row.field];
  const tune = result.bySplit.tune.find((r) => r.field === row.field);
  const held = result.bySplit.heldOut.find((r) => r.field === row.field);
  const meets = (r: typeof row | undefined) =>
    floor === undefined || !r || r.total === 0 || r.correct / r.total >= floor;
  // The rules were tuned on one half: a floor counts as met only when the held-out half meets it too.
  const ok = meets(row) && meets(held);
  if (!ok) missed = true;
  const verdict =
    floor === undefined
      ? ''
      : `${Math.round(floor * 100)}% ${ok ? 'ok' : meets(row) ? 'BELOW on the held-out half' : 'BELOW'}`;
  console.log(
    `${row.field.padEnd(18)}${cell(row).padStart(15)}  ${cell(tune).padStart(15)}  ${cell(held).padStart(15)}   ${verdict}`,
  );
}
console.log(
  `run time ${result.seconds.toFixed(1)} s, ${result.docsPerSecond.toFixed(2)} receipts/s (OCR included), ${result.secondPasses} receipts read twice, mean OCR confidence ${result.meanOcrConfidence.toFixed(2)}`,
);
for (const e of result.errors) console.log(`OCR error: ${e}`);
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify(result, null, 2)}\n`);
if (missed && limit === undefined) process.exitCode = 1;
