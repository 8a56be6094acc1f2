import type { Db } from '../../db/db.types.ts';
import type { ExtractedDocument, FieldName } from '../../extract/extract.model.ts';
import { appendJournal } from '../../journal/journal.repository.ts';
import { normalizeIban } from './checks.iban.ts';
import { applyCorrectionRules, type Correction, termDaysOf } from './corrections.model.ts';
import { daysBetween, isIsoDate, isoDay } from './iso-date.ts';
import { taxIdKey } from './keys.ts';
import { baseDomain, emailDomain, isVendorDomain, vendorKey } from './vendor.names.ts';
import { confirmAccount, saveVendorIdentity, vendorById, vendorByTaxId } from './vendor.repository.ts';
import { addVendorAlias } from './vendors.ts';

/**
 * The corrections memory: what the owner corrected is kept per vendor and used on that vendor's
 * next documents. corrections.model.ts says which fields generalize and how.
 */

export interface NewCorrection {
  vendorId: string;
  field: FieldName;
  wrong: string | number | null;
  right: string | number | null;
  /** The owner's message that carried the correction (one correction per field per message). */
  messageId: string | null;
  /** The invoice corrected, when known: its issue date turns a corrected due date into a term. */
  invoiceId?: string | null;
}

const text = (v: string | number | null): string | null => (v === null ? null : String(v).trim() || null);

/**
 * Records a correction, journaled, and teaches the vendor record what it implies: a corrected name
 * becomes the vendor's name (the wrong one an alias, so it still finds the vendor); a corrected tax
 * id or mail domain is stored; a corrected IBAN becomes a confirmed account. Idempotent per
 * (vendor, field, message).
 */
export async function recordCorrection(
  db: Db,
  c: NewCorrection,
  now: Date = new Date(),
): Promise<{ id: string; created: boolean; rule: Correction['rule'] }> {
  const wrong = text(c.wrong);
  const right = text(c.right);
  const rule = await deriveRule(db, c, wrong, right);
  const inserted = await db
    .insertInto('field_corrections')
    .values({
      vendor_id: c.vendorId,
      field: c.field,
      wrong_value: wrong,
      right_value: right,
      rule: JSON.stringify(rule),
      message_id: c.messageId,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['vendor_id', 'field', 'message_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) {
    const row = await db
      .selectFrom('field_corrections')
      .select(['id', 'rule'])
      .where('vendor_id', '=', c.vendorId)
      .where('field', '=', c.field)
      .where('message_id', '=', c.messageId!)
      .executeTakeFirstOrThrow();
    return { id: row.id, created: false, rule: row.rule };
  }
  await teachVendor(db, c, wrong, right, now);
  await appendJournal(db, {
    actor: 'owner',
    action: 'field_corrected',
    reason: `${c.field}: "${wrong ?? ''}" → "${right ?? ''}"`,
    messageId: c.messageId,
    data: { vendorId: c.vendorId, field: c.field, wrong, right, rule, correctionId: inserted.id },
  });
  return { id: inserted.id, created: true, rule };
}

/** A term in days from a corrected due date (against the invoice's issue date) or payment terms. */
async function deriveRule(
  db: Db,
  c: NewCorrection,
  wrong: string | null,
  right: string | null,
): Promise<Correction['rule']> {
  if (c.field === 'paymentTerms') {
    const termDays = termDaysOf(right);
    return termDays === null ? {} : { termDays, wrongTermDays: termDaysOf(wrong) };
  }
  if (c.field !== 'dueDate' || !isIsoDate(right)) return {};
  let q = db.selectFrom('invoices').select('issue_date').where('vendor_id', '=', c.vendorId);
  q = c.invoiceId
    ? q.where('id', '=', c.invoiceId)
    : wrong
      ? q.where('due_date', '=', wrong)
      : q.where('due_date', 'is', null);
  const inv = await q.orderBy('id', 'desc').executeTakeFirst();
  if (!isIsoDate(inv?.issue_date)) return {};
  const termDays = daysBetween(inv.issue_date, right);
  if (termDays < 0 || termDays > 365) return {};
  return { termDays, wrongTermDays: isIsoDate(wrong) ? daysBetween(inv.issue_date, wrong) : null };
}

async function teachVendor(db: Db, c: NewCorrection, wrong: string | null, right: string | null, now: Date) {
  const v = await vendorById(db, c.vendorId);
  if (!v) return;
  if (c.field === 'vendor.name' && right) {
    if (wrong) await addVendorAlias(db, v, wrong, now);
    if (v.name !== right) {
      if (!v.aliases.includes(v.name)) v.aliases = [...v.aliases, v.name];
      v.name = right;
      v.normalized_name = vendorKey(right) ?? v.normalized_name;
      if (!v.name_keys.includes(v.normalized_name)) v.name_keys = [...v.name_keys, v.normalized_name];
      await saveVendorIdentity(db, v, now);
    }
  } else if (c.field === 'vendor.taxId') {
    const key = taxIdKey(right);
    if (key && v.tax_id !== key && !(await vendorByTaxId(db, key))) {
      v.tax_id = key;
      await saveVendorIdentity(db, v, now);
    }
  } else if (c.field === 'vendor.email') {
    const d = emailDomain(right);
    if (d && isVendorDomain(d) && !v.email_domains.includes(baseDomain(d))) {
      v.email_domains = [...v.email_domains, baseDomain(d)];
      await saveVendorIdentity(db, v, now);
    }
  } else if (c.field === 'iban') {
    const iban = normalizeIban(right);
    if (iban) await confirmAccount(db, { vendorId: v.id, iban, bic: null }, now);
  }
}

/** The vendor's corrections, newest first. */
export async function correctionsOf(db: Db, vendorId: string): Promise<Correction[]> {
  const rows = await db
    .selectFrom('field_corrections')
    .selectAll()
    .where('vendor_id', '=', vendorId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    field: r.field,
    wrong: r.wrong_value,
    right: r.right_value,
    rule: r.rule,
    on: isoDay(r.created_at),
  }));
}

/**
 * The document with the vendor's corrections applied (a copy), and one sentence per change. A
 * vendor without corrections gets the document back unchanged.
 */
export async function applyCorrections(
  db: Db,
  vendorId: string,
  doc: ExtractedDocument,
): Promise<{ doc: ExtractedDocument; applied: string[] }> {
  const corrections = await correctionsOf(db, vendorId);
  if (corrections.length === 0) return { doc, applied: [] };
  return applyCorrectionRules(doc, corrections);
}
