import { sql } from 'kysely';
import type { Db } from '../../db/db.types.ts';
import type { VendorAccountRow, VendorAccountStatus, VendorRow } from '../../db/invoice.tables.ts';

/** Vendor rows and their bank accounts. Functions take `db | trx` first; none opens a transaction. */

const containsJson = (column: 'name_keys' | 'email_domains', value: string) =>
  sql<boolean>`${sql.ref(column)} @> ${JSON.stringify([value])}::jsonb`;

export async function vendorById(db: Db, id: string): Promise<VendorRow | undefined> {
  return db.selectFrom('vendors').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function vendorByTaxId(db: Db, taxId: string): Promise<VendorRow | undefined> {
  return db.selectFrom('vendors').selectAll().where('tax_id', '=', taxId).executeTakeFirst();
}

/** Vendors whose name or an alias has this matching key, oldest first. */
export async function vendorsByKey(db: Db, key: string): Promise<VendorRow[]> {
  return db.selectFrom('vendors').selectAll().where(containsJson('name_keys', key)).orderBy('id').execute();
}

/** Vendors that have written from one of these domains, oldest first. */
export async function vendorsByDomains(db: Db, domains: string[]): Promise<VendorRow[]> {
  if (domains.length === 0) return [];
  return db
    .selectFrom('vendors')
    .selectAll()
    .where((eb) => eb.or(domains.map((d) => containsJson('email_domains', d))))
    .orderBy('id')
    .execute();
}

export async function insertVendor(
  db: Db,
  v: { name: string; key: string; taxId: string | null; domain: string | null },
  now: Date,
): Promise<VendorRow> {
  return db
    .insertInto('vendors')
    .values({
      name: v.name,
      normalized_name: v.key,
      aliases: JSON.stringify([]),
      name_keys: JSON.stringify([v.key]),
      tax_id: v.taxId,
      email_domains: JSON.stringify(v.domain ? [v.domain] : []),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Writes a vendor's identity fields back (after aliases, keys, domains or tax id grew). */
export async function saveVendorIdentity(db: Db, v: VendorRow, now: Date): Promise<void> {
  await db
    .updateTable('vendors')
    .set({
      name: v.name,
      normalized_name: v.normalized_name,
      aliases: JSON.stringify(v.aliases),
      name_keys: JSON.stringify(v.name_keys),
      tax_id: v.tax_id,
      email_domains: JSON.stringify(v.email_domains),
      updated_at: now,
    })
    .where('id', '=', v.id)
    .execute();
}

export async function accountsOf(db: Db, vendorId: string): Promise<VendorAccountRow[]> {
  return db
    .selectFrom('vendor_accounts')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .orderBy('id')
    .execute();
}

/**
 * Records that a document named this account. A new account is `known` only when the vendor had
 * none (trust on first use); otherwise `pending`, for the owner to confirm. An existing account
 * keeps its status and only gets `last_seen_at` (and a BIC it lacked).
 */
export async function sawAccount(
  db: Db,
  a: { vendorId: string; iban: string; bic: string | null },
  now: Date,
): Promise<{ account: VendorAccountRow; created: boolean }> {
  const existing = await db
    .selectFrom('vendor_accounts')
    .selectAll()
    .where('vendor_id', '=', a.vendorId)
    .where('iban', '=', a.iban)
    .executeTakeFirst();
  if (existing) {
    const account = await db
      .updateTable('vendor_accounts')
      .set({ last_seen_at: now, bic: existing.bic ?? a.bic })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { account, created: false };
  }
  const others = await db
    .selectFrom('vendor_accounts')
    .select('id')
    .where('vendor_id', '=', a.vendorId)
    .executeTakeFirst();
  const status: VendorAccountStatus = others ? 'pending' : 'known';
  const account = await db
    .insertInto('vendor_accounts')
    .values({
      vendor_id: a.vendorId,
      iban: a.iban,
      bic: a.bic,
      status,
      first_seen_at: now,
      last_seen_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { account, created: true };
}

/** The owner vouched for this account (a correction or an explicit confirmation): `confirmed`. */
export async function confirmAccount(
  db: Db,
  a: { vendorId: string; iban: string; bic: string | null },
  now: Date,
): Promise<VendorAccountRow> {
  return db
    .insertInto('vendor_accounts')
    .values({
      vendor_id: a.vendorId,
      iban: a.iban,
      bic: a.bic,
      status: 'confirmed',
      first_seen_at: now,
      last_seen_at: now,
    })
    .onConflict((oc) =>
      oc.columns(['vendor_id', 'iban']).doUpdateSet((eb) => ({
        status: 'confirmed',
        last_seen_at: now,
        bic: eb.fn.coalesce('vendor_accounts.bic', eb.val(a.bic)),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}
