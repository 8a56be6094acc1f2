/**
 * OASIS UBL 2.1 Invoice and CreditNote → ExtractedDocument (XRechnung UBL, Peppol BIS Billing
 * 3.0). Element names follow the EN 16931 UBL binding; BT-n cite its business terms. Pure.
 */
import type { ExtractedDocument, InvoiceLine } from '../extract.model.ts';
import {
  amountOf,
  flagGaps,
  newRecord,
  put,
  putBank,
  putKind,
  putTerms,
  putText,
  putTotals,
} from './einvoice.record.ts';
import { cleanText, parseIsoDate } from './einvoice.values.ts';
import { all, child, type XmlNode } from './einvoice.xml.ts';

const MAX_LINES = 5000;

function dateOf(node: XmlNode | undefined): { date: string | null; node: XmlNode } | undefined {
  return node ? { date: parseIsoDate(node.text), node } : undefined;
}

/** BT-31: the PartyTaxScheme whose TaxScheme is VAT (another one may hold a national tax number). */
function vatIdOf(party: XmlNode | undefined): XmlNode | undefined {
  const scheme = all(party, 'PartyTaxScheme').find(
    (s) => child(s, 'TaxScheme', 'ID')?.text.toUpperCase() === 'VAT',
  );
  const id = child(scheme, 'CompanyID');
  return id && id.text !== '' ? id : undefined;
}

/** BT-27 legal name (PartyLegalEntity/RegistrationName), else BT-28 trading name. */
function nameOf(party: XmlNode | undefined): XmlNode | undefined {
  const legal = child(party, 'PartyLegalEntity', 'RegistrationName');
  return legal && legal.text !== '' ? legal : child(party, 'PartyName', 'Name');
}

/** BT-34 electronic address with scheme EM, else the contact e-mail (BT-43). */
function emailOf(party: XmlNode | undefined): XmlNode | undefined {
  const endpoint = child(party, 'EndpointID');
  if (endpoint?.attrs['schemeID'] === 'EM' && endpoint.text !== '') return endpoint;
  const mail = child(party, 'Contact', 'ElectronicMail');
  return mail && mail.text !== '' ? mail : undefined;
}

function lineOf(doc: ExtractedDocument, line: XmlNode, credit: boolean): InvoiceLine {
  const item = child(line, 'Item');
  const price = amountOf(doc, child(line, 'Price', 'PriceAmount'));
  const basis = amountOf(doc, child(line, 'Price', 'BaseQuantity'));
  return {
    description: cleanText(child(item, 'Name')?.text) ?? cleanText(child(item, 'Description')?.text) ?? '',
    quantity: amountOf(doc, child(line, credit ? 'CreditedQuantity' : 'InvoicedQuantity')),
    // BT-146 is the price per BT-149 base quantity, 1 when absent.
    unitPrice: price !== null && basis !== null && basis > 0 ? price / basis : price,
    amount: amountOf(doc, child(line, 'LineExtensionAmount')),
  };
}

function putPayment(doc: ExtractedDocument, root: XmlNode): void {
  const means = all(root, 'PaymentMeans');
  putBank(
    doc,
    means.flatMap((m) => {
      const iban = child(m, 'PayeeFinancialAccount', 'ID');
      return iban
        ? [{ iban, bic: child(m, 'PayeeFinancialAccount', 'FinancialInstitutionBranch', 'ID') }]
        : [];
    }),
  );
  if (means.some((m) => ['49', '59'].includes(child(m, 'PaymentMeansCode')?.text ?? ''))) {
    doc.warnings.push('the invoice is paid by direct debit from the buyer’s account');
  }
  // An Invoice has DueDate (BT-9) at the top; a CreditNote only in PaymentMeans.
  const due =
    dateOf(child(root, 'DueDate')) ??
    means.map((m) => dateOf(child(m, 'PaymentDueDate'))).find((x) => x !== undefined);
  putTerms(doc, all(root, 'PaymentTerms', 'Note'), due);
}

/** Maps a parsed UBL Invoice or CreditNote. */
export function mapUbl(root: XmlNode, source: string, credit: boolean): ExtractedDocument {
  const doc = newRecord(source);
  const typeCode = child(root, credit ? 'CreditNoteTypeCode' : 'InvoiceTypeCode');
  // The root already says credit note; a missing code (optional in UBL 2.1) changes nothing.
  if (credit && !typeCode) doc.kind = 'credit_note';
  else putKind(doc, typeCode);
  putText(doc, 'invoiceNumber', child(root, 'ID'));
  const issued = dateOf(child(root, 'IssueDate'));
  put(doc, 'issueDate', issued?.date ?? null, issued?.node);
  if (issued && !issued.date)
    doc.warnings.push(`${issued.node.path} holds "${issued.node.text}", which is not a day`);
  const currency = child(root, 'DocumentCurrencyCode');
  if (currency && /^[A-Z]{3}$/.test(currency.text)) put(doc, 'currency', currency.text, currency);
  const seller = child(root, 'AccountingSupplierParty', 'Party');
  putText(doc, 'vendor.name', nameOf(seller));
  putText(doc, 'vendor.taxId', vatIdOf(seller));
  putText(doc, 'vendor.email', emailOf(seller));
  const buyer = child(root, 'AccountingCustomerParty', 'Party');
  doc.buyer = { name: cleanText(nameOf(buyer)?.text), taxId: cleanText(vatIdOf(buyer)?.text) };
  putText(doc, 'poNumber', child(root, 'OrderReference', 'ID'));
  putPayment(doc, root);
  const totals = child(root, 'LegalMonetaryTotal');
  // BT-110: the TaxTotal in the document currency (a second one may be in the VAT currency).
  const taxes = all(root, 'TaxTotal', 'TaxAmount');
  putTotals(doc, {
    subtotal: child(totals, 'TaxExclusiveAmount'),
    tax: taxes.find((t) => t.attrs['currencyID'] === doc.currency) ?? taxes[0],
    grand: child(totals, 'TaxInclusiveAmount'),
    duePayable: child(totals, 'PayableAmount'),
  });
  const lines = all(root, credit ? 'CreditNoteLine' : 'InvoiceLine');
  doc.lines = lines.slice(0, MAX_LINES).map((line) => lineOf(doc, line, credit));
  if (lines.length > MAX_LINES)
    doc.warnings.push(`only the first ${MAX_LINES} of ${lines.length} lines were read`);
  flagGaps(doc);
  return doc;
}
