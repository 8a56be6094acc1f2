/**
 * Column names a purchase-order export may use, English and German, folded to lower-case letters
 * and digits ("Währung" → "wahrung", "USt-IdNr." → "ustidnr"). The first header that matches a
 * column wins. Pure data.
 */

export type PoColumn =
  | 'number'
  | 'vendorName'
  | 'vendorTaxId'
  | 'amount'
  | 'currency'
  | 'status'
  | 'description';

/** Header spellings, folded to lower-case letters and digits ("Währung" → "wahrung"). */
export const HEADERS: Record<PoColumn, string[]> = {
  number: [
    'po',
    'ponumber',
    'pono',
    'ponr',
    'purchaseorder',
    'purchaseordernumber',
    'purchaseorderno',
    'ordernumber',
    'orderno',
    'order',
    'bestellnummer',
    'bestellnr',
    'bestellung',
    'auftragsnummer',
    'auftragsnr',
    'number',
    'nummer',
    'nr',
  ],
  vendorName: [
    'vendor',
    'vendorname',
    'supplier',
    'suppliername',
    'lieferant',
    'lieferantenname',
    'kreditor',
    'kreditorname',
    'firma',
    'company',
    'name',
  ],
  vendorTaxId: [
    'taxid',
    'vatid',
    'vat',
    'vatnumber',
    'vendortaxid',
    'vendorvatid',
    'suppliervatid',
    'ustidnr',
    'ustid',
    'ustidnummer',
    'umsatzsteuerid',
    'steuernummer',
    'steuerid',
    'taxnumber',
  ],
  amount: [
    'amount',
    'total',
    'value',
    'netamount',
    'net',
    'amountnet',
    'totalnet',
    'grossamount',
    'betrag',
    'summe',
    'gesamtbetrag',
    'nettobetrag',
    'netto',
    'wert',
    'bestellwert',
    'gesamt',
  ],
  currency: ['currency', 'ccy', 'curr', 'wahrung', 'waehrung'],
  status: ['status', 'state', 'zustand'],
  description: [
    'description',
    'desc',
    'text',
    'beschreibung',
    'bezeichnung',
    'item',
    'artikel',
    'memo',
    'notes',
    'notiz',
  ],
};
