import type { Db } from '../../db/db.types.ts';
import { appendJournal } from '../../journal/journal.repository.ts';
import { type PoCsvError, type PoCsvRow, parsePurchaseOrdersCsv } from './po.csv.ts';
import { purchaseOrderByKey } from './po.repository.ts';
import { vendorKey } from './vendor.names.ts';

/**
 * `deskhand po import file.csv` (or a CSV the owner mails): upserts purchase orders by number,
 * so importing the same export twice changes nothing, and a re-export with a closed PO closes it.
 * Bad lines are returned with their line numbers; the good ones are imported.
 */

export interface PoImportResult {
  imported: number;
  updated: number;
  unchanged: number;
  errors: PoCsvError[];
  delimiter: string;
  decimalMark: ',' | '.';
}

export async function importPurchaseOrders(
  db: Db,
  csvText: string,
  source: string,
  now: Date = new Date(),
): Promise<PoImportResult> {
  const parsed = parsePurchaseOrdersCsv(csvText);
  const run = async (trx: Db): Promise<PoImportResult> => {
    let imported = 0;
    let updated = 0;
    let unchanged = 0;
    for (const row of parsed.rows) {
      const outcome = await upsert(trx, row, source, now);
      if (outcome === 'imported') imported++;
      else if (outcome === 'updated') updated++;
      else unchanged++;
    }
    await appendJournal(trx, {
      actor: 'owner',
      action: 'purchase_orders_imported',
      reason: `${source}: ${imported} new, ${updated} updated, ${unchanged} unchanged, ${parsed.errors.length} line(s) with errors`,
      data: { source, imported, updated, unchanged, errors: parsed.errors.slice(0, 50) },
    });
    return {
      imported,
      updated,
      unchanged,
      errors: parsed.errors,
      delimiter: parsed.delimiter,
      decimalMark: parsed.decimalMark,
    };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

async function upsert(
  db: Db,
  row: PoCsvRow,
  source: string,
  now: Date,
): Promise<'imported' | 'updated' | 'unchanged'> {
  const values = {
    number: row.number,
    vendor_name: row.vendorName,
    vendor_key: vendorKey(row.vendorName),
    vendor_tax_id: row.vendorTaxId,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    description: row.description,
  };
  const existing = await purchaseOrderByKey(db, row.numberKey);
  if (!existing) {
    await db
      .insertInto('purchase_orders')
      .values({
        ...values,
        number_key: row.numberKey,
        imported_from: source,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return 'imported';
  }
  const same =
    existing.number === values.number &&
    existing.vendor_name === values.vendor_name &&
    existing.vendor_tax_id === values.vendor_tax_id &&
    Number(existing.amount) === values.amount &&
    existing.currency === values.currency &&
    existing.status === values.status &&
    existing.description === values.description;
  if (same) return 'unchanged';
  await db
    .updateTable('purchase_orders')
    .set({ ...values, imported_from: source, updated_at: now })
    .where('id', '=', existing.id)
    .execute();
  return 'updated';
}
