import type { ExtractedDocument } from '../../extract/extract.model.ts';
import { type CheckResult, type CheckSettings, fail, pass, unchecked } from './checks.model.ts';
import { formatMoney, roundMoney, within } from './money.ts';

/**
 * Purchase-order matching (three-way match without the goods receipt): the PO the invoice names
 * exists, is open, belongs to this vendor, and its amount and currency agree. POs are usually net,
 * so the amount is compared with both the total and the subtotal; several invoices against one PO
 * (partial deliveries) pass while their sum stays within the PO. Pure.
 */

export interface PurchaseOrder {
  id: string;
  number: string;
  vendorName: string | null;
  vendorKey: string | null;
  vendorTaxId: string | null;
  amount: number;
  currency: string | null;
  status: 'open' | 'closed';
}

export interface PoInput {
  doc: ExtractedDocument;
  vendor: { id: string; name: string; taxId: string | null; nameKeys: string[] } | null;
  /** The PO the document names, when it was found. */
  byNumber: PurchaseOrder | null;
  /** The vendor's open POs. */
  openForVendor: PurchaseOrder[];
  /** Already invoiced against `byNumber` by earlier invoices (net where known), in its currency. */
  invoicedBefore: number;
  settings: CheckSettings;
}

/** max(percent of the PO amount, absolute): "±2% or 1.00". */
export function poTolerance(amount: number, s: CheckSettings): number {
  return Math.max((Math.abs(amount) * s.poTolerancePercent) / 100, s.poToleranceAbsolute);
}

/** Empty when there is nothing to match: no PO on the document and none open for the vendor. */
export function poChecks(input: PoInput): CheckResult[] {
  const { doc, byNumber, openForVendor } = input;
  if (!doc.poNumber) {
    if (openForVendor.length === 0) return [];
    return [missingPoNumber(input)];
  }
  if (!byNumber) {
    return [
      fail('po.match', 'warn', `PO ${doc.poNumber} is not among the imported purchase orders.`, {
        poNumber: doc.poNumber,
      }),
    ];
  }
  return [matchNamed(input, byNumber), amountCheck(input, byNumber), currencyCheck(doc, byNumber)];
}

function missingPoNumber({ doc, vendor, openForVendor, settings }: PoInput): CheckResult {
  const list = openForVendor.map((p) => `${p.number} (${formatMoney(p.amount, p.currency)})`);
  const candidates = openForVendor.filter((p) =>
    [doc.total, doc.subtotal].some((a) => a !== null && within(a, p.amount, poTolerance(p.amount, settings))),
  );
  const hint = candidates.length === 1 ? ` The amount fits ${candidates[0]!.number}.` : '';
  return fail(
    'po.match',
    'warn',
    `No PO number on the invoice, but ${vendor?.name ?? 'this vendor'} has ${openForVendor.length} open purchase order(s): ${list.slice(0, 5).join(', ')}.${hint}`,
    { openPurchaseOrders: openForVendor.map((p) => p.number), candidates: candidates.map((p) => p.number) },
  );
}

function matchNamed({ vendor }: PoInput, po: PurchaseOrder): CheckResult {
  const data = { purchaseOrderId: po.id, poNumber: po.number };
  if (po.status === 'closed') return fail('po.match', 'warn', `PO ${po.number} is closed.`, data);
  if (vendor && !poBelongsTo(po, vendor)) {
    return fail(
      'po.match',
      'warn',
      `PO ${po.number} was issued to ${po.vendorName ?? po.vendorTaxId}, not ${vendor.name}.`,
      data,
    );
  }
  return pass('po.match', `PO ${po.number} found and open.`, data);
}

/** Unknown on either side counts as belonging: only a contradiction fails. */
function poBelongsTo(po: PurchaseOrder, vendor: NonNullable<PoInput['vendor']>): boolean {
  if (po.vendorTaxId && vendor.taxId) return po.vendorTaxId === vendor.taxId;
  if (po.vendorKey) return vendor.nameKeys.includes(po.vendorKey);
  return true;
}

function amountCheck({ doc, invoicedBefore, settings }: PoInput, po: PurchaseOrder): CheckResult {
  const id = 'po.amount';
  const tol = poTolerance(po.amount, settings);
  const poAmount = formatMoney(po.amount, po.currency);
  const data = {
    poAmount: po.amount,
    tolerance: tol,
    total: doc.total,
    subtotal: doc.subtotal,
    invoicedBefore,
  };
  if (doc.total === null && doc.subtotal === null)
    return unchecked(id, 'The invoice amount could not be read.');
  if (invoicedBefore === 0) {
    if (doc.total !== null && within(doc.total, po.amount, tol))
      return pass(id, `The total matches PO ${po.number} (${poAmount}).`, data);
    if (doc.subtotal !== null && within(doc.subtotal, po.amount, tol)) {
      return pass(id, `The net amount matches PO ${po.number} (${poAmount}).`, data);
    }
  }
  const amount = doc.subtotal ?? doc.total!;
  const cumulative = roundMoney(invoicedBefore + amount);
  if (cumulative <= po.amount + tol) {
    return pass(
      id,
      `Partial invoice: ${formatMoney(cumulative, po.currency)} of PO ${po.number} (${poAmount}) invoiced so far.`,
      {
        ...data,
        cumulative,
      },
    );
  }
  const before =
    invoicedBefore > 0 ? ` (with ${formatMoney(invoicedBefore, po.currency)} invoiced before)` : '';
  return fail(
    id,
    'warn',
    `${formatMoney(amount, doc.currency)}${before} exceeds PO ${po.number} (${poAmount}) beyond the tolerance of ${formatMoney(tol, po.currency)}.`,
    {
      ...data,
      cumulative,
    },
  );
}

function currencyCheck(doc: ExtractedDocument, po: PurchaseOrder): CheckResult {
  const id = 'po.currency';
  if (!doc.currency || !po.currency)
    return unchecked(id, 'The currency of the invoice or of the PO is unknown.');
  if (doc.currency === po.currency) return pass(id, `Both in ${po.currency}.`);
  return fail(id, 'warn', `The invoice is in ${doc.currency}, but PO ${po.number} is in ${po.currency}.`, {
    invoiceCurrency: doc.currency,
    poCurrency: po.currency,
  });
}
