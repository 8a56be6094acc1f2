/**
 * What an amount line on a receipt is: the final total, a subtotal, tax, rounding, cash handed
 * over, change… Receipts print several totals; which one is "the" total is decided from these
 * roles (receipt.total.ts). Labels in English, German, French, Dutch and Spanish, matched
 * tolerantly because OCR misreads letters ("Tota1", "Nett Totai"). Pure.
 */
import { label } from './receipt.text.ts';

export type AmountRole =
  /** Total after cash rounding: the amount actually paid. */
  | 'rounded'
  /** Grand total, amount due or paid, nett total, total payable. */
  | 'due'
  /** Total including tax. */
  | 'inclusive'
  /** A plain "Total". */
  | 'total'
  /**
   * "Net amount": the total on a till receipt ("NET AMT : 53.55"), the amount before tax on an
   * invoice ("Net amount 100.00 / VAT 19.00 / Total 119.00"). receipt.total.ts decides which.
   */
  | 'net'
  | 'subtotal'
  | 'tax'
  /** The rounding adjustment itself (a few cents). */
  | 'rounding'
  /** Money handed over: cash, card. Not the total, but it confirms one. */
  | 'tendered'
  | 'change'
  /** Totals of something else: quantities, items, discounts, points. */
  | 'other';

const L = (phrase: string) => label(phrase);
const rx = (source: string) => new RegExp(source, 'i');
const TOTAL = L('total');
const ROUND = 'r[o0]u?n?d';

const OTHER = rx(
  `${L('summary')}|${TOTAL}[\\s.:_-]*(?:${['qty', 'quantity', 'items', 'item', 'pcs', 'units', 'discount', 'savings', 'saving', 'saved', 'points', 'weight', 'no'].map(L).join('|')})(?![a-z])|(?:${['no of items', 'item count'].map(L).join('|')})`,
);
const SUBTOTAL = rx(
  [
    `${L('sub')}[\\s._-]*${TOTAL}`,
    `${TOTAL}.{0,25}${L('excl')}`,
    // "AMT PAID EXCL. GST", "Sales Amount Excl Tax": any amount before tax.
    `(?:${['amount', 'amt', 'paid', 'payable', 'sales'].map(L).join('|')}).{0,15}${L('excl')}`,
    `${TOTAL}.{0,12}${L('before tax')}`,
    `${TOTAL}\\s*${L('ht')}(?![a-z])`,
    ...[
      'zwischensumme',
      'nettobetrag',
      'netto',
      'sous total',
      'montant ht',
      'subtotaal',
      'base imponible',
    ].map(L),
  ].join('|'),
);
const CHANGE = rx(
  `(?<![a-z])(?:${['change', 'change due', 'rückgeld', 'wechselgeld', 'rendu', 'monnaie', 'wisselgeld', 'cambio', 'vuelto'].map(L).join('|')})(?![a-z])`,
);
const TENDERED = rx(
  `(?<![a-z])(?:${['cash', 'tendered', 'received', 'tunai', 'bar', 'bargeld', 'espèces', 'especes', 'efectivo', 'contant', 'card', 'visa', 'master', 'mastercard', 'amex', 'credit', 'debit', 'edc', 'eftpos', 'ec karte', 'carte', 'tarjeta', 'pin'].map(L).join('|')})(?![a-z])`,
);
const ROUNDED = rx(`${TOTAL}.{0,20}${ROUND}|${ROUND}\\w*[\\s:._-]*${TOTAL}`);
const ROUNDING = rx(`(?<![a-z])${ROUND}(?:ing|ed)?`);
// Tax printed as a share of the total: "GST @6% included in total RM 0.66", "enthaltene MwSt 19,00", "dont TVA 3,20".
const TAX_WORDS = ['gst', 'vat', 'tax', 'sst', 'mwst', 'ust', 'tva', 'btw', 'iva'].map(L).join('|');
const TAX_INCLUDED = rx(
  `(?:${TAX_WORDS})(?![a-z]).{0,20}${L('included')}|${L('included')}\\s*(?:${TAX_WORDS})(?![a-z])|${L('enthalten')}e?\\s*(?:${TAX_WORDS})|${L('dont')}\\s+(?:${TAX_WORDS})|(?:${TAX_WORDS})\\s+(?:${['incluido', 'inbegrepen'].map(L).join('|')})`,
);
const TAX_START = rx(
  `^\\(?(?:${TOTAL}[\\s:._-]*)?(?:${['gst', 'sst', 'vat', 'tax', 'mwst', 'ust', 'tva', 'btw', 'iva', 'sales tax', 'service tax'].map(L).join('|')})(?![a-z])`,
);
const TAX_NOT_AMOUNT = rx(
  `(?<![a-z])(?:${['invoice', 'reg', 'id', 'no', 'number', 'summary', 'code', 'rate', 'registration', 'taxable'].map(L).join('|')})(?![a-z])|${L('incl')}|${L('excl')}`,
);
const DUE = rx(
  [
    `^${L('due')}(?![a-z])`,
    ...[
      'grand total',
      'amount due',
      'amt due',
      'total due',
      'balance due',
      'total payable',
      'amount payable',
      'net total',
      'nett total',
      'final total',
      'amount paid',
      'amt paid',
      'total paid',
      'total payment',
      'payment total',
      'total to pay',
      'total charged',
      'amount charged',
    ].map(L),
    ...[
      'zu zahlen',
      'gesamtbetrag',
      'endbetrag',
      'rechnungsbetrag',
      'total ttc',
      'net à payer',
      'net a payer',
      'te betalen',
      'total a pagar',
      'total pagado',
    ].map(L),
  ].join('|'),
);
const NET = rx(
  `(?<![a-z])(?:${['net amount', 'net amt', 'nett amount', 'nett amt', 'netto amount'].map(L).join('|')})(?![a-z])`,
);
const INCLUSIVE = rx(
  `${TOTAL}.{0,30}(?:${['incl', 'inclusive', 'inc', 'gross', 'ttc', 'inkl', 'brutto'].map(L).join('|')})(?![a-z])`,
);
const PLAIN_TOTAL = rx(
  `(?<![a-z])(?:${TOTAL}|${['total amount', 'amount', 'gesamt', 'summe', 'montant', 'importe', 'totale', 'totaal'].map(L).join('|')})`,
);

/** The role of a line that carries an amount, or null when it names none of these. */
export function amountRole(line: string): AmountRole | null {
  if (OTHER.test(line)) return 'other';
  if (SUBTOTAL.test(line)) return 'subtotal';
  if (ROUNDED.test(line) && !/adj|ad[j)1i]/i.test(line)) return 'rounded';
  if (ROUNDING.test(line)) return 'rounding';
  if (TAX_INCLUDED.test(line)) return 'tax';
  if (TAX_START.test(line.trim()) && !TAX_NOT_AMOUNT.test(line.replace(/included in total/i, '')))
    return 'tax';
  if (DUE.test(line)) return 'due';
  if (NET.test(line)) return 'net';
  if (CHANGE.test(line)) return 'change';
  if (INCLUSIVE.test(line)) return 'inclusive';
  if (PLAIN_TOTAL.test(line)) return 'total';
  if (TENDERED.test(line)) return 'tendered';
  return null;
}

/** How final each total role is; higher wins when totals disagree. */
export const TOTAL_RANK: Partial<Record<AmountRole, number>> = { rounded: 4, due: 3, inclusive: 2, total: 1 };
