import type { Db } from '../../db/db.types.ts';
import type { VendorRow } from '../../db/invoice.tables.ts';
import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { appendJournal } from '../../journal/journal.repository.ts';
import { maskIban, normalizeIban } from './checks.iban.ts';
import { taxIdKey } from './keys.ts';
import { baseDomain, emailDomain, isVendorDomain, keysRelated, vendorKey } from './vendor.names.ts';
import {
  confirmAccount,
  insertVendor,
  saveVendorIdentity,
  vendorByTaxId,
  vendorsByDomains,
  vendorsByKey,
} from './vendor.repository.ts';

/**
 * Which vendor sent a document. Strongest identity first: the tax id; then the name or an alias,
 * legal form ignored ("ACME GmbH" = "Acme GmbH." = "ACME AG"); then the sender's mail domain, but
 * only when the names do not contradict it (billing platforms send for many vendors). A candidate
 * with a different tax id is never the same vendor. Nothing matches → a new vendor, if the
 * document names one. What a match teaches (a new spelling, the tax id, the domain) is kept.
 */

export type VendorMatchedBy = 'tax_id' | 'name' | 'email_domain' | 'created';

export interface VendorMatch {
  vendor: VendorRow;
  matchedBy: VendorMatchedBy;
  created: boolean;
}

export interface ResolveVendorInput {
  doc: ExtractedDocument;
  /** Who sent the document: the original sender of a forward, or the From of direct mail. */
  senderEmail?: string | null;
  /** Domains that never identify a vendor (the team's own, so a forward by the owner does not). */
  ignoreDomains?: readonly string[];
  messageId?: string | null;
}

/** Finds or creates the document's vendor; null when the document names none and nothing matches. */
export async function resolveVendor(
  db: Db,
  input: ResolveVendorInput,
  now: Date,
): Promise<VendorMatch | null> {
  const { doc } = input;
  const taxId = taxIdKey(doc.vendor.taxId);
  const key = vendorKey(doc.vendor.name);
  const domains = [doc.vendor.email, input.senderEmail ?? null]
    .map(emailDomain)
    .filter((d): d is string => d !== null && isVendorDomain(d, input.ignoreDomains ?? []))
    .map(baseDomain);
  const compatible = (v: VendorRow) => !(taxId && v.tax_id && v.tax_id !== taxId);

  let match: Omit<VendorMatch, 'created'> | null = null;
  const byTax = taxId ? await vendorByTaxId(db, taxId) : undefined;
  if (byTax) match = { vendor: byTax, matchedBy: 'tax_id' };
  if (!match && key) {
    const v = (await vendorsByKey(db, key)).find(compatible);
    if (v) match = { vendor: v, matchedBy: 'name' };
  }
  if (!match && domains.length > 0) {
    const v = (await vendorsByDomains(db, [...new Set(domains)])).find(
      (c) => compatible(c) && (!key || c.name_keys.some((k) => keysRelated(k, key))),
    );
    if (v) match = { vendor: v, matchedBy: 'email_domain' };
  }
  if (match) {
    await learn(db, match.vendor, { name: doc.vendor.name, key, taxId, domain: domains[0] ?? null }, now);
    return { ...match, created: false };
  }
  if (!key && !taxId) return null;
  const name = doc.vendor.name?.trim() || `Vendor ${taxId}`;
  const vendor = await insertVendor(
    db,
    { name, key: key ?? taxId!.toLowerCase(), taxId, domain: domains[0] ?? null },
    now,
  );
  await appendJournal(db, {
    actor: 'deskhand',
    action: 'vendor_created',
    reason: `new vendor ${name}${taxId ? ` (tax id ${taxId})` : ''} from ${doc.source}`,
    messageId: input.messageId ?? null,
    data: { vendorId: vendor.id, name, taxId, domain: domains[0] ?? null },
  });
  return { vendor, matchedBy: 'created', created: true };
}

/** Adds what a matched document shows that the vendor record lacks; never replaces a tax id. */
async function learn(
  db: Db,
  v: VendorRow,
  seen: { name: string | null; key: string | null; taxId: string | null; domain: string | null },
  now: Date,
): Promise<void> {
  let changed = false;
  const written = seen.name?.trim();
  if (written && written.toLowerCase() !== v.name.toLowerCase() && !v.aliases.includes(written)) {
    v.aliases = [...v.aliases, written];
    changed = true;
  }
  if (seen.key && !v.name_keys.includes(seen.key)) {
    v.name_keys = [...v.name_keys, seen.key];
    changed = true;
  }
  if (seen.domain && !v.email_domains.includes(seen.domain)) {
    v.email_domains = [...v.email_domains, seen.domain];
    changed = true;
  }
  if (seen.taxId && !v.tax_id && !(await vendorByTaxId(db, seen.taxId))) {
    v.tax_id = seen.taxId;
    changed = true;
  }
  if (changed) await saveVendorIdentity(db, v, now);
}

/** Adds a name the owner says belongs to this vendor (e.g. the wrong name a reader produced). */
export async function addVendorAlias(db: Db, v: VendorRow, alias: string, now: Date): Promise<void> {
  await learn(db, v, { name: alias, key: vendorKey(alias), taxId: null, domain: null }, now);
}

/**
 * The owner confirmed a bank account (approved a payment to it, or said so): it becomes
 * `confirmed`, and the bank-change check trusts it from now on. Journaled.
 */
export async function confirmBankAccount(
  db: Db,
  a: { vendorId: string; iban: string; bic?: string | null; messageId: string | null },
  now: Date,
): Promise<void> {
  const iban = normalizeIban(a.iban);
  if (!iban) throw new Error(`not an IBAN: ${maskIban(a.iban)}`);
  const account = await confirmAccount(db, { vendorId: a.vendorId, iban, bic: a.bic ?? null }, now);
  await appendJournal(db, {
    actor: 'owner',
    action: 'vendor_account_confirmed',
    reason: `${maskIban(iban)} confirmed for vendor #${a.vendorId}`,
    messageId: a.messageId,
    data: { vendorId: a.vendorId, accountId: account.id, iban: maskIban(iban) },
  });
}
