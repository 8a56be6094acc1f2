/**
 * UN/CEFACT Cross Industry Invoice → ExtractedDocument, for both dialects we meet:
 * CII D16B (ZUGFeRD 2.x, Factur-X, XRechnung CII) and ZUGFeRD 1.0's CrossIndustryDocument.
 * They share the party, payment and summation blocks and differ in container names, so one
 * mapper runs on a table of those names. EN 16931 business terms (BT-n) are cited where the
 * choice matters. Pure.
 */
import type { ExtractedDocument, InvoiceLine } from '../extract.model.ts';
import {
  amountOf,
  type BankAccount,
  flagGaps,
  newRecord,
  put,
  putBank,
  putKind,
  putTerms,
  putText,
  putTotals,
} from './einvoice.record.ts';
import { cleanText, parseCiiDate } from './einvoice.values.ts';
import { all, child, type XmlNode } from './einvoice.xml.ts';

interface Dialect {
  header: string;
  transaction: string;
  agreement: string;
  settlement: string;
  summation: string;
  lineAgreement: string;
  lineDelivery: string;
  lineSettlement: string;
  lineSummation: string;
  /** The order number element inside BuyerOrderReferencedDocument. */
  orderId: string;
}

export const CII_D16B: Dialect = {
  header: 'ExchangedDocument',
  transaction: 'SupplyChainTradeTransaction',
  agreement: 'ApplicableHeaderTradeAgreement',
  settlement: 'ApplicableHeaderTradeSettlement',
  summation: 'SpecifiedTradeSettlementHeaderMonetarySummation',
  lineAgreement: 'SpecifiedLineTradeAgreement',
  lineDelivery: 'SpecifiedLineTradeDelivery',
  lineSettlement: 'SpecifiedLineTradeSettlement',
  lineSummation: 'SpecifiedTradeSettlementLineMonetarySummation',
  orderId: 'IssuerAssignedID',
};

export const ZUGFERD_1: Dialect = {
  header: 'HeaderExchangedDocument',
  transaction: 'SpecifiedSupplyChainTradeTransaction',
  agreement: 'ApplicableSupplyChainTradeAgreement',
  settlement: 'ApplicableSupplyChainTradeSettlement',
  summation: 'SpecifiedTradeSettlementMonetarySummation',
  lineAgreement: 'SpecifiedSupplyChainTradeAgreement',
  lineDelivery: 'SpecifiedSupplyChainTradeDelivery',
  lineSettlement: 'SpecifiedSupplyChainTradeSettlement',
  lineSummation: 'SpecifiedTradeSettlementMonetarySummation',
  orderId: 'ID',
};

/** Lines beyond this are not copied (the totals still come from the header). */
const MAX_LINES = 5000;

function dateOf(node: XmlNode | undefined): { date: string | null; node: XmlNode } | undefined {
  const leaf = child(node, 'DateTimeString');
  return leaf ? { date: parseCiiDate(leaf.text, leaf.attrs['format']), node: leaf } : undefined;
}

/** BT-31 seller VAT id is the registration with schemeID "VA"; "FC" is the national tax number. */
function vatIdOf(party: XmlNode | undefined): XmlNode | undefined {
  return all(party, 'SpecifiedTaxRegistration', 'ID').find(
    (id) => id.attrs['schemeID'] === 'VA' && id.text !== '',
  );
}

/** BT-34 electronic address with scheme EM, else the contact's e-mail (BT-43). */
function emailOf(party: XmlNode | undefined): XmlNode | undefined {
  const uri = all(party, 'URIUniversalCommunication', 'URIID').find((u) => u.attrs['schemeID'] === 'EM');
  return (
    uri ??
    all(party, 'DefinedTradeContact', 'EmailURIUniversalCommunication', 'URIID').find((u) => u.text !== '')
  );
}

/** BT-110 is the tax total in the invoice currency; BT-111 repeats it in the VAT currency. */
function taxTotalOf(summation: XmlNode | undefined, currency: string | null): XmlNode | undefined {
  const totals = all(summation, 'TaxTotalAmount');
  return (
    totals.find((t) => t.attrs['currencyID'] === currency) ??
    totals.find((t) => !t.attrs['currencyID']) ??
    totals[0]
  );
}

function lineOf(doc: ExtractedDocument, item: XmlNode, d: Dialect): InvoiceLine {
  const product = child(item, 'SpecifiedTradeProduct');
  const price = child(item, d.lineAgreement, 'NetPriceProductTradePrice');
  const charge = amountOf(doc, child(price, 'ChargeAmount'));
  const basis = amountOf(doc, child(price, 'BasisQuantity'));
  return {
    description:
      cleanText(child(product, 'Name')?.text) ?? cleanText(child(product, 'Description')?.text) ?? '',
    quantity: amountOf(doc, child(item, d.lineDelivery, 'BilledQuantity')),
    // The net price is per BasisQuantity units (BT-149), 1 when absent.
    unitPrice: charge !== null && basis !== null && basis > 0 ? charge / basis : charge,
    amount: amountOf(doc, child(item, d.lineSettlement, d.lineSummation, 'LineTotalAmount')),
  };
}

function putParties(doc: ExtractedDocument, agreement: XmlNode | undefined, d: Dialect): void {
  const seller = child(agreement, 'SellerTradeParty');
  putText(doc, 'vendor.name', child(seller, 'Name'));
  putText(doc, 'vendor.taxId', vatIdOf(seller));
  putText(doc, 'vendor.email', emailOf(seller));
  const buyer = child(agreement, 'BuyerTradeParty');
  doc.buyer = { name: cleanText(child(buyer, 'Name')?.text), taxId: cleanText(vatIdOf(buyer)?.text) };
  const orders = all(agreement, 'BuyerOrderReferencedDocument', d.orderId).filter((o) => o.text !== '');
  putText(doc, 'poNumber', orders[0]);
  const distinct = new Set(orders.map((o) => o.text));
  if (distinct.size > 1)
    doc.warnings.push(`the e-invoice references ${distinct.size} orders; PO number is the first`);
}

function putSettlement(doc: ExtractedDocument, settlement: XmlNode | undefined, d: Dialect): void {
  const summation = child(settlement, d.summation);
  const code = child(settlement, 'InvoiceCurrencyCode');
  const grand = child(summation, 'GrandTotalAmount');
  if (code && /^[A-Z]{3}$/.test(code.text)) put(doc, 'currency', code.text, code);
  else if (grand && /^[A-Z]{3}$/.test(grand.attrs['currencyID'] ?? '')) {
    put(doc, 'currency', grand.attrs['currencyID']!, grand, {
      text: `${grand.path}/@currencyID`,
      confidence: 1,
    });
  }
  const means = all(settlement, 'SpecifiedTradeSettlementPaymentMeans');
  const accounts: BankAccount[] = means.flatMap((m) => {
    const iban = child(m, 'PayeePartyCreditorFinancialAccount', 'IBANID');
    return iban ? [{ iban, bic: child(m, 'PayeeSpecifiedCreditorFinancialInstitution', 'BICID') }] : [];
  });
  putBank(doc, accounts);
  // UNTDID 4461: 49 direct debit, 59 SEPA direct debit; the seller collects, nobody transfers.
  if (means.some((m) => ['49', '59'].includes(child(m, 'TypeCode')?.text ?? ''))) {
    doc.warnings.push('the invoice is paid by direct debit from the buyer’s account');
  }
  const terms = all(settlement, 'SpecifiedTradePaymentTerms');
  const due = terms.map((t) => dateOf(child(t, 'DueDateDateTime'))).find((x) => x !== undefined);
  putTerms(doc, all(settlement, 'SpecifiedTradePaymentTerms', 'Description'), due);
  // BT-109 (tax basis) is the net amount the tax is computed on, so subtotal + tax = total.
  // Without it, the line total (BT-106) is the same amount only when nothing was charged or allowed.
  const adjusted = ['ChargeTotalAmount', 'AllowanceTotalAmount'].some(
    (n) => (amountOf(doc, child(summation, n)) ?? 0) !== 0,
  );
  putTotals(doc, {
    subtotal:
      child(summation, 'TaxBasisTotalAmount') ?? (adjusted ? undefined : child(summation, 'LineTotalAmount')),
    tax: taxTotalOf(summation, doc.currency),
    grand,
    duePayable: child(summation, 'DuePayableAmount'),
  });
}

/** Maps a parsed CII document; `d` names the dialect's containers. */
export function mapCii(root: XmlNode, source: string, d: Dialect): ExtractedDocument {
  const doc = newRecord(source);
  const header = child(root, d.header);
  putKind(doc, child(header, 'TypeCode'));
  putText(doc, 'invoiceNumber', child(header, 'ID'));
  const issued = dateOf(child(header, 'IssueDateTime'));
  put(doc, 'issueDate', issued?.date ?? null, issued?.node);
  if (issued && !issued.date)
    doc.warnings.push(`${issued.node.path} holds "${issued.node.text}", which is not a day`);
  const transaction = child(root, d.transaction);
  putParties(doc, child(transaction, d.agreement), d);
  putSettlement(doc, child(transaction, d.settlement), d);
  const items = all(transaction, 'IncludedSupplyChainTradeLineItem');
  doc.lines = items.slice(0, MAX_LINES).map((item) => lineOf(doc, item, d));
  if (items.length > MAX_LINES)
    doc.warnings.push(`only the first ${MAX_LINES} of ${items.length} lines were read`);
  flagGaps(doc);
  return doc;
}
