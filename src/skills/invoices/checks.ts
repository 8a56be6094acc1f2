import type { Db } from '../../db/db.types.ts';
import type { InvoiceKind, VendorRow } from '../../db/invoice.tables.ts';
import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { arithmeticChecks } from './checks.arithmetic.ts';
import { dateChecks } from './checks.dates.ts';
import { type EarlierInvoice, historyChecks, type KnownAccount } from './checks.history.ts';
import { ibanChecks } from './checks.iban.ts';
import type { CheckResult, CheckSettings } from './checks.model.ts';
import { type PurchaseOrder, poChecks } from './checks.po.ts';
import { invoicesFromFile, vendorHistory } from './invoice.repository.ts';
import { isoDay } from './iso-date.ts';
import { poNumberKey } from './keys.ts';
import {
  invoicedAgainst,
  openPurchaseOrdersFor,
  purchaseOrderByKey,
  toPurchaseOrder,
} from './po.repository.ts';
import { accountsOf } from './vendor.repository.ts';

/**
 * All invoice checks in one place: `evaluateChecks` is the pure rule set over a loaded context;
 * `runChecks` loads that context (the vendor's history, accounts and purchase orders) first.
 */

export interface CheckContext {
  doc: ExtractedDocument;
  kind: InvoiceKind;
  today: string;
  vendor: { id: string; name: string; taxId: string | null; nameKeys: string[] } | null;
  history: EarlierInvoice[];
  sameFile: EarlierInvoice[];
  accounts: KnownAccount[];
  purchaseOrder: PurchaseOrder | null;
  openPurchaseOrders: PurchaseOrder[];
  invoicedOnPurchaseOrder: number;
  settings: CheckSettings;
}

/** Every check, in a fixed order (arithmetic, dates, IBAN, history, PO). Never throws. */
export function evaluateChecks(c: CheckContext): CheckResult[] {
  return [
    ...arithmeticChecks(c.doc),
    ...dateChecks(c.doc, c.today, c.settings.futureSlackDays),
    ...ibanChecks(c.doc, c.vendor?.taxId ?? null),
    ...historyChecks({
      doc: c.doc,
      kind: c.kind,
      today: c.today,
      vendor: c.vendor,
      history: c.history,
      sameFile: c.sameFile,
      accounts: c.accounts,
      settings: c.settings,
    }),
    ...poChecks({
      doc: c.doc,
      vendor: c.vendor,
      byNumber: c.purchaseOrder,
      openForVendor: c.openPurchaseOrders,
      invoicedBefore: c.invoicedOnPurchaseOrder,
      settings: c.settings,
    }),
  ];
}

/** Loads what the checks compare against — before this invoice is inserted — and runs them. */
export async function runChecks(
  db: Db,
  input: {
    doc: ExtractedDocument;
    kind: InvoiceKind;
    documentId: string;
    sha256: string;
    now: Date;
    vendor: VendorRow | null;
    settings: CheckSettings;
  },
): Promise<{ checks: CheckResult[]; purchaseOrderId: string | null }> {
  const { doc, vendor } = input;
  const v = vendor
    ? { id: vendor.id, name: vendor.name, taxId: vendor.tax_id, nameKeys: vendor.name_keys }
    : null;
  const poKey = poNumberKey(doc.poNumber);
  const poRow = poKey ? await purchaseOrderByKey(db, poKey) : undefined;
  const context: CheckContext = {
    doc,
    kind: input.kind,
    today: isoDay(input.now),
    vendor: v,
    history: v ? await vendorHistory(db, v.id, input.documentId) : [],
    sameFile: await invoicesFromFile(db, input.sha256, input.documentId),
    accounts: v
      ? (await accountsOf(db, v.id)).map((a) => ({
          iban: a.iban,
          status: a.status,
          firstSeenOn: isoDay(a.first_seen_at),
        }))
      : [],
    purchaseOrder: poRow ? toPurchaseOrder(poRow) : null,
    openPurchaseOrders: v ? (await openPurchaseOrdersFor(db, v)).map(toPurchaseOrder) : [],
    invoicedOnPurchaseOrder: poRow ? await invoicedAgainst(db, poRow.id) : 0,
    settings: input.settings,
  };
  return { checks: evaluateChecks(context), purchaseOrderId: poRow?.id ?? null };
}
