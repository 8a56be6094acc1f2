/**
 * Field accuracy of the deterministic text reader on the invoice corpora (see
 * bench/lib/accuracy-invoices.ts for what is counted and how). Prints one table per set.
 * Run: `npx node bench/extract-text-accuracy.ts` (add `--mismatches` to list every miss).
 */
import { type AccuracyRow, scoreInvoiceCorpora } from './lib/accuracy-invoices.ts';
import { pct } from './lib/text.ts';

/** The issue's floors for the ZUGFeRD text layer, and the invoice2data "wrong where null" ceiling. */
const FLOORS: Record<string, number> = {
  invoice_number: 90,
  issue_date: 90,
  total: 95,
  currency: 98,
  seller_name: 80,
};
const NULL_CEILING = 2;

function table(set: string, rows: AccuracyRow[]): void {
  console.log(`\n${set}`);
  console.log(
    `  ${'field'.padEnd(16)}${'correct'.padStart(9)}${'wrong'.padStart(7)}${'wr.null'.padStart(9)}${'missing'.padStart(9)}${'n'.padStart(5)}   accuracy  wrong-where-null`,
  );
  for (const r of rows) {
    const floor = set.startsWith('zugferd') ? FLOORS[r.field] : undefined;
    const acc = (100 * r.correct) / (r.total || 1);
    const nullRate = (100 * r.wrongWhereNull) / (r.total || 1);
    const flag =
      (floor !== undefined && acc < floor
        ? `  BELOW FLOOR ${floor}%`
        : floor !== undefined
          ? `  (floor ${floor}%)`
          : '') + (set.endsWith('+printed') && nullRate > NULL_CEILING ? '  ABOVE 2% NULL CEILING' : '');
    console.log(
      `  ${r.field.padEnd(16)}${String(r.correct).padStart(9)}${String(r.wrong).padStart(7)}${String(r.wrongWhereNull).padStart(9)}${String(r.missing).padStart(9)}${String(r.total).padStart(5)}   ${pct(r.correct, r.total)}    ${pct(r.wrongWhereNull, r.total)}${flag}`,
    );
  }
}

const NOTES: Record<string, string> = {
  'zugferd held-out':
    'ZUGFeRDv2/fail/**, set aside before tuning; its 380-coded credit notes carry negative XML totals',
  invoice2data:
    'expected JSON as is: a printed value the template did not extract counts as wrong-where-null',
  'invoice2data +printed':
    'plus the printed values listed in PRINTED (bench/lib/accuracy-invoices.ts); the 2% ceiling applies here',
};

const { rows, mismatches } = await scoreInvoiceCorpora();
const sets = [...new Set(rows.map((r) => r.set))];
for (const set of sets) {
  table(
    set,
    rows.filter((r) => r.set === set),
  );
  if (NOTES[set]) console.log(`  (${NOTES[set]})`);
}
if (process.argv.includes('--mismatches')) {
  console.log('\nmismatches');
  for (const m of mismatches) {
    if (m.set.endsWith('all') || m.set === 'invoice2data +printed') continue;
    console.log(
      `  ${m.set} | ${m.file} | ${m.field}: expected ${JSON.stringify(m.expected)}, got ${JSON.stringify(m.got)}`,
    );
  }
}
