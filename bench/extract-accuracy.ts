/**
 * The accuracy harness of the invoices issue: per-field accuracy per source, in one run.
 *   1. ZUGFeRD/Factur-X PDFs (pdf_text_check true), TEXT LAYER ONLY, against their embedded XML;
 *   2. invoice2data `compare/` against its expected JSON (as is, and with printed values);
 *   3. SROIE scanned receipts through tesseract OCR.
 * Details of each in bench/lib/accuracy-invoices.ts and bench/lib/accuracy-sroie.ts; the embedded
 * XML path itself is checked file by file in test/unit/einvoice.test.ts.
 *
 * Run: `npx node bench/extract-accuracy.ts [--sroie-limit N]` (writes bench/out/extract-accuracy.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closePdfReader } from '../src/extract/pdf/pdf.reader.ts';
import { scoreInvoiceCorpora } from './lib/accuracy-invoices.ts';
import { scoreSroie } from './lib/accuracy-sroie.ts';
import { pct } from './lib/text.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out', 'extract-accuracy.json');
const limitArg = process.argv.indexOf('--sroie-limit');
const sroieLimit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : undefined;

const invoices = await scoreInvoiceCorpora();
await closePdfReader();
console.log('source / field                     correct  wrong  wrong-where-null  missing    n   accuracy');
for (const set of [...new Set(invoices.rows.map((r) => r.set))]) {
  console.log(set);
  for (const r of invoices.rows.filter((x) => x.set === set)) {
    console.log(
      `  ${r.field.padEnd(32)} ${String(r.correct).padStart(7)} ${String(r.wrong).padStart(6)} ${String(r.wrongWhereNull).padStart(17)} ${String(r.missing).padStart(8)} ${String(r.total).padStart(4)}   ${pct(r.correct, r.total)}`,
    );
  }
}
const sroie = await scoreSroie(sroieLimit ? { limit: sroieLimit } : {});
console.log(
  `sroie (OCR, ${sroie.docs} receipts, ${sroie.seconds.toFixed(0)} s, ${sroie.docsPerSecond.toFixed(2)} docs/s)`,
);
for (const r of sroie.rows) {
  console.log(
    `  ${r.field.padEnd(32)} ${String(r.correct).padStart(7)} ${''.padStart(6)} ${''.padStart(17)} ${''.padStart(8)} ${String(r.total).padStart(4)}   ${pct(r.correct, r.total)}`,
  );
}
for (const [split, rows] of Object.entries(sroie.bySplit)) {
  console.log(`  ${split}: ${rows.map((r) => `${r.field} ${pct(r.correct, r.total).trim()}`).join(', ')}`);
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, `${JSON.stringify({ invoices: invoices.rows, sroie }, null, 2)}\n`);
