import { readFile } from 'node:fs/promises';
import type { Config } from '../config/config.ts';
import { openMigrated } from '../runtime.ts';
import { systemClock } from '../shared/clock.ts';
import { importPurchaseOrders } from '../skills/invoices/po.import.ts';
import { exportInvoicesCsv, searchDocuments } from '../skills/invoices/search.ts';

/** `deskhand po import <file.csv>`: purchase orders the invoices are matched against. */
export async function poImportCommand(config: Config, file: string): Promise<number> {
  const csv = await readFile(file, 'utf8');
  const h = await openMigrated(config);
  try {
    const r = await importPurchaseOrders(h.db, csv, file, systemClock.now());
    process.stdout.write(
      `${file}: ${r.imported} imported, ${r.updated} updated, ${r.unchanged} unchanged (separator "${r.delimiter}", decimal "${r.decimalMark}")\n`,
    );
    for (const e of r.errors) process.stdout.write(`  line ${e.line}: ${e.message}\n`);
    return r.errors.length ? 1 : 0;
  } finally {
    await h.close();
  }
}

/** `deskhand docs search <words…> [--json]`: filed documents, newest first. */
export async function docsSearchCommand(
  config: Config,
  words: string[],
  opts: { json?: boolean; limit?: string },
): Promise<number> {
  const h = await openMigrated(config);
  try {
    const hits = await searchDocuments(h.db, words.join(' '), {
      limit: opts.limit ? Number(opts.limit) : 20,
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(hits, null, 2)}\n`);
      return 0;
    }
    if (hits.length === 0) process.stdout.write('no documents found\n');
    for (const d of hits) {
      const money = d.total === null ? '' : ` ${d.currency ?? ''} ${d.total.toFixed(2)}`;
      process.stdout.write(
        `${d.createdAt.toISOString().slice(0, 10)}  ${d.kind.padEnd(9)} ${d.vendorName ?? '—'}  ${d.invoiceNumber ?? ''}${money}  (${d.filename})\n`,
      );
      for (const k of d.keyDates) process.stdout.write(`    ${k.label}: ${k.date}\n`);
      if (d.snippet) process.stdout.write(`    …${d.snippet}…\n`);
    }
    return 0;
  } finally {
    await h.close();
  }
}

/** `deskhand invoices export --csv`: one row per invoice, for the accountant. */
export async function invoicesExportCommand(
  config: Config,
  opts: { from?: string; to?: string },
): Promise<number> {
  const h = await openMigrated(config);
  try {
    process.stdout.write(
      await exportInvoicesCsv(h.db, {
        ...(opts.from ? { from: opts.from } : {}),
        ...(opts.to ? { to: opts.to } : {}),
      }),
    );
    return 0;
  } finally {
    await h.close();
  }
}
