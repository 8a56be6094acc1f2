import { sql } from 'kysely';
import type { Db } from '../../db/db.types.ts';
import type { PurchaseOrderRow } from '../../db/invoice.tables.ts';
import type { PurchaseOrder } from './checks.po.ts';
import { fromNumeric } from './money.ts';

/** Purchase-order rows. Functions take `db | trx` first. */

export function toPurchaseOrder(r: PurchaseOrderRow): PurchaseOrder {
  return {
    id: r.id,
    number: r.number,
    vendorName: r.vendor_name,
    vendorKey: r.vendor_key,
    vendorTaxId: r.vendor_tax_id,
    amount: fromNumeric(r.amount) ?? 0,
    currency: r.currency,
    status: r.status,
  };
}

export async function purchaseOrderByKey(db: Db, numberKey: string): Promise<PurchaseOrderRow | undefined> {
  return db.selectFrom('purchase_orders').selectAll().where('number_key', '=', numberKey).executeTakeFirst();
}

/** Open POs issued to a vendor, by tax id or by any of its name keys. */
export async function openPurchaseOrdersFor(
  db: Db,
  vendor: { taxId: string | null; nameKeys: string[] },
): Promise<PurchaseOrderRow[]> {
  if (!vendor.taxId && vendor.nameKeys.length === 0) return [];
  return db
    .selectFrom('purchase_orders')
    .selectAll()
    .where('status', '=', 'open')
    .where((eb) =>
      eb.or([
        ...(vendor.taxId ? [eb('vendor_tax_id', '=', vendor.taxId)] : []),
        ...(vendor.nameKeys.length ? [eb('vendor_key', 'in', vendor.nameKeys)] : []),
      ]),
    )
    .orderBy('number')
    .execute();
}

/** What earlier invoices (not rejected) already billed against a PO: net where known, else gross. */
export async function invoicedAgainst(db: Db, purchaseOrderId: string): Promise<number> {
  const row = await db
    .selectFrom('invoices')
    .select(sql<string | null>`sum(coalesce(subtotal, total))`.as('sum'))
    .where('purchase_order_id', '=', purchaseOrderId)
    .where('status', '<>', 'rejected')
    .executeTakeFirst();
  return fromNumeric(row?.sum) ?? 0;
}
