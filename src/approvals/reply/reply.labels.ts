/**
 * The labels owners put before a corrected invoice field, in English, German, French and Spanish,
 * and the words that may stand between a label and its value ("total should be 1200", "due on
 * Friday", "Betrag: 1.200,00"). One table so a missing label is a one-line change. "amount" is the
 * total: an owner correcting "the amount" means what will be paid.
 */
import type { CorrectionField } from './reply.model.ts';

const LABELS: Record<CorrectionField, string> = {
  total:
    'total|total amount|grand total|amount|amount due|total due|balance due|gross amount|betrag|gesamtbetrag|' +
    'rechnungsbetrag|summe|gesamtsumme|bruttobetrag|endbetrag|montant|montant total|montant ttc|total ttc|importe|' +
    'importe total|bedrag|totaalbedrag',
  subtotal:
    'subtotal|sub-total|sub total|net amount|nettobetrag|zwischensumme|sous-total|montant ht|total ht|base imponible',
  tax: 'tax|tax amount|vat|vat amount|sales tax|gst|mwst|ust|umsatzsteuer|mehrwertsteuer|tva|montant tva|iva|btw',
  currency: 'currency|währung|waehrung|devise|monnaie|moneda|valuta',
  dueDate:
    'due|due date|payment due|pay by|payable by|pay on|fällig|faellig|fälligkeit|fälligkeitsdatum|zahlbar bis|' +
    "zahlungsziel|échéance|date d'échéance|date limite|vencimiento|fecha de vencimiento|vervaldatum",
  issueDate:
    'issue date|date of issue|invoice date|issued|rechnungsdatum|ausstellungsdatum|date de facture|' +
    'date de facturation|fecha de factura|fecha de emisión|factuurdatum',
  invoiceNumber:
    'invoice number|invoice no|invoice nr|invoice #|invoice num|invoice id|inv no|inv #|invoice|rechnungsnummer|' +
    'rechnungsnr|rechnung nr|re-nr|numéro de facture|n° de facture|no de facture|número de factura|factuurnummer',
  iban: 'iban',
  bic: 'bic|swift|swift code|bic/swift|swift/bic|swift-bic',
  poNumber:
    'po|po number|po no|po #|p.o.|p.o. number|purchase order|purchase order number|bestellnummer|bestellnr|' +
    'bon de commande|orden de compra',
  vendor:
    'vendor|supplier|payee|lieferant|zahlungsempfänger|fournisseur|proveedor|leverancier|creditor|kreditor',
};

/** Labels too common in prose to count without ":", "=", "is" or "to" after them. */
export const STRICT_LABELS = new Set(['invoice', 'po', 'issued', 'payee']);

const escapeLabel = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
const entries = Object.entries(LABELS).flatMap(([field, labels]) =>
  labels.split('|').map((label) => ({ field: field as CorrectionField, label })),
);
const FIELD_OF = new Map(entries.map((e) => [e.label.replace(/\s+/g, ' '), e.field]));

/** Every label, longest first so "invoice number" wins over "invoice" and "due date" over "due". */
export const LABEL_RE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${entries
    .map((e) => e.label)
    .sort((a, b) => b.length - a.length)
    .map(escapeLabel)
    .join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);

/** The field a matched label names. */
export function fieldOfLabel(label: string): CorrectionField | null {
  return FIELD_OF.get(label.toLowerCase().replace(/’/g, "'").replace(/\s+/g, ' ')) ?? null;
}

const LINKS =
  '(?:should|must|would|will)\\s+be|needs?\\s+to\\s+be|is|was|are|now|actually|really|changed\\s+to|corrected\\s+to|' +
  'set\\s+to|to|into|ist|soll|sollte|muss|auf|est|sera|doit\\s+être|es|debe\\s+ser|moet\\s+zijn|is\\s+nu|of';
const DATE_LINKS = `${LINKS}|on|by|until|before|am|bis|zum|le|el|the|op|voor`;
/** What may stand between a label and its value; group 1 is set when an explicit ":" or "=" was written. */
export const LINK_RE = new RegExp(`^\\s*(?:(\\s*[:=]|\\s*->|\\s*→|\\s*=>)\\s*)?(?:(?:${LINKS})\\s+)*`, 'iu');
export const DATE_LINK_RE = new RegExp(
  `^\\s*(?:(\\s*[:=]|\\s*->|\\s*→|\\s*=>)\\s*)?(?:(?:${DATE_LINKS})\\s+)*`,
  'iu',
);

/** How the reason names a field. */
export const FIELD_NAMES: Record<CorrectionField, string> = {
  total: 'total',
  subtotal: 'subtotal',
  tax: 'tax',
  currency: 'currency',
  dueDate: 'due date',
  issueDate: 'issue date',
  invoiceNumber: 'invoice number',
  iban: 'IBAN',
  bic: 'BIC',
  poNumber: 'PO number',
  vendor: 'vendor',
};
