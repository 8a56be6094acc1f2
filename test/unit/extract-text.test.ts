/**
 * The text reader's primitives in the five languages it knows: numbers, dates and the day/month
 * decision, field labels, and payment terms. All texts are written for these tests.
 */
import { describe, expect, it } from 'vitest';
import { dateOrder, findDates } from '../../src/extract/text/text.dates.ts';
import { extractFromText } from '../../src/extract/text/text.extract.ts';
import { findAmounts, parseAmount } from '../../src/extract/text/text.numbers.ts';

const read = (text: string) => extractFromText([text], { source: 't.txt', method: 'text' });

describe('numbers as invoices write them', () => {
  it.each([
    ['1,190.00', '.', false, 1190],
    ['1.190,00', ',', false, 1190],
    ['1 190,00', ',', true, 1190],
    ["1'190.00", '.', false, 1190],
    ['1’190.–', '.', false, 1190],
    ['1.190.000', ',', false, 1190000],
    ['0,025', '.', false, 0.025],
    ['9,9000', ',', false, 9.9],
    ['1,190', '.', false, 1190],
    ['1,190', ',', false, 1.19],
    ['-8,79', ',', false, -8.79],
    ['−8,79', ',', false, -8.79],
    ['(8.79)', '.', false, -8.79],
    ['8,79-', ',', false, -8.79],
  ] as const)('reads %s (decimal mark %s) as %d', (text, habit, spaces, value) => {
    expect(parseAmount(text, habit, spaces)).toBe(value);
  });

  it('leaves "1,190" unread when the document does not say which mark is decimal', () => {
    expect(parseAmount('1,190', null)).toBeNull();
  });

  it.each([
    ['Total EUR 1.190,00', 'EUR', 1190],
    ['Totaal € 1.190,00', 'EUR', 1190],
    ['Total TTC 1 190,00 €', 'EUR', 1190],
    ['Total 1.190,00 €', 'EUR', 1190],
    ['Total £1,190.00', 'GBP', 1190],
    ['CHF 1’190.–', 'CHF', 1190],
    ['Należność ogółem: 316,83 PLN', 'PLN', 316.83],
    ['Grand Total Rs 1939', 'INR', 1939],
    ['Razem 12,50 zł', 'PLN', 12.5],
  ])('finds the amount and its currency in "%s"', (text, currency, value) => {
    const found = findAmounts(text, text.includes(',') && !text.includes('£') ? ',' : '.', true).filter(
      (a) => !a.percent,
    );
    expect(found.at(-1)).toMatchObject({ value, currency });
  });

  it('takes no amounts from dates, rates or codes', () => {
    expect(findAmounts('Rechnungsdatum 05.03.2018, fällig 2018-04-04', ',')).toEqual([]);
    expect(findAmounts('19 %', ',')[0]?.percent).toBe(true);
    expect(findAmounts('Artikel A4', ',')).toEqual([]);
  });

  it('does not join a quantity cell and a price cell into one French number', () => {
    const doc = read(
      'Facture n° F-1\nDésignation\tQuantité\tPrix\tMontant\nSéance photo\t3\t250,00 €\t750,00 €\nTotal TTC\t750,00 €',
    );
    expect(doc.lines).toEqual([{ description: 'Séance photo', quantity: 3, unitPrice: 250, amount: 750 }]);
  });
});

describe('dates in five languages', () => {
  it.each([
    ['2024-03-01', '2024-03-01'],
    ['01.03.2024', '2024-03-01'],
    ['1.3.24', '2024-03-01'],
    ['1. März 2024', '2024-03-01'],
    ['1. Maerz 2024', '2024-03-01'],
    ['15. Dez. 2024', '2024-12-15'],
    ['1er mars 2024', '2024-03-01'],
    ['02 Juillet 2015', '2015-07-02'],
    ['15 févr. 2024', '2024-02-15'],
    ['1 maart 2024', '2024-03-01'],
    ['12 okt 2024', '2024-10-12'],
    ['1 de marzo de 2024', '2024-03-01'],
    ['3 de diciembre del 2024', '2024-12-03'],
    ['March 1, 2024', '2024-03-01'],
    ['Mar 1 2024', '2024-03-01'],
    ['August 3 , 2014', '2014-08-03'],
    ['1st March 2024', '2024-03-01'],
    ['01-Mar-2024', '2024-03-01'],
  ])('reads "%s" as %s', (text, iso) => {
    expect(findDates(text, null).map((d) => d.iso)).toEqual([iso]);
  });

  it('reads 01/03/2024 by the order it is given, and not at all without one', () => {
    expect(findDates('01/03/2024', 'dmy')[0]?.iso).toBe('2024-03-01');
    expect(findDates('01/03/2024', 'mdy')[0]?.iso).toBe('2024-01-03');
    expect(findDates('01/03/2024', null)[0]?.iso).toBeNull();
    expect(findDates('17/03/2024', null)[0]?.iso).toBe('2024-03-17');
    expect(findDates('03/03/2024', null)[0]?.iso).toBe('2024-03-03');
  });

  it('rejects dates that do not exist', () => {
    expect(findDates('31.02.2024 and 32 August 2014', 'dmy')).toEqual([]);
  });

  it.each([
    [['Invoice date 05/03/2024', 'Delivered 17/02/2024'], 'en', null, 'dmy'],
    [['Invoice date 05/03/2024', 'Shipped 02/17/2024'], 'en', null, 'mdy'],
    [['Rechnungsdatum 05/03/2024'], 'de', null, 'dmy'],
    [['Date 05/03/2024'], 'en', true, 'mdy'],
    [['Date 05/03/2024'], 'en', false, 'dmy'],
    [['Date 05/03/2024'], 'en', null, null],
  ] as const)('decides the day/month order of %j (%s, US evidence %s) → %s', (texts, lang, us, order) => {
    expect(dateOrder([...texts], lang, us)).toBe(order);
  });

  it('reads an American invoice month-first: dollars and a US address', () => {
    const doc = read(
      'Acme Supplies Inc.\n410 Main St, Springfield, IL 62701\nInvoice No. 7781\nInvoice Date: 03/04/2024\nTotal $120.00',
    );
    expect(doc.issueDate).toBe('2024-03-04');
    expect(doc.currency).toBe('USD');
  });

  it('leaves an ambiguous English date null, with a warning, when nothing decides the order', () => {
    const doc = read('INVOICE\nInvoice No. 7781\nInvoice Date: 03/04/2024\nTotal 120.00');
    expect(doc.issueDate).toBeNull();
    expect(doc.warnings).toContain(
      'issue date "03/04/2024" is ambiguous (day/month order unknown); not read',
    );
  });
});

/** A small invoice in one language around one labelled line. */
const CONTEXT = {
  en: (line: string) => `INVOICE\nThe amount is payable to our account, thank you for your order.\n${line}`,
  de: (line: string) =>
    `Rechnung\nBitte überweisen Sie den Betrag auf unser Konto, vielen Dank für die Bestellung.\n${line}`,
  fr: (line: string) =>
    `Facture\nMerci de régler le montant de la facture par virement sur notre compte.\n${line}`,
  nl: (line: string) =>
    `Factuur\nGraag het bedrag van de factuur overmaken op onze rekening, met dank voor uw bestelling.\n${line}`,
  es: (line: string) =>
    `Factura\nPor favor realice el pago del importe de la factura en nuestra cuenta, gracias por su pedido.\n${line}`,
} as const;

describe('labels in five languages', () => {
  it.each([
    ['en', 'Invoice No.: 2024-0042'],
    ['en', 'Invoice number 2024-0042'],
    ['en', 'Invoice # 2024-0042'],
    ['de', 'Rechnungsnummer: 2024-0042'],
    ['de', 'Rechnungs-Nr. 2024-0042'],
    ['de', 'Rechnung Nr. 2024-0042'],
    ['fr', 'N° de facture : 2024-0042'],
    ['fr', 'Facture n° 2024-0042'],
    ['nl', 'Factuurnummer: 2024-0042'],
    ['nl', 'Factuurnr. 2024-0042'],
    ['es', 'Número de factura: 2024-0042'],
    ['es', 'Factura nº 2024-0042'],
  ] as const)('%s: reads the invoice number after "%s"', (lang, line) => {
    expect(read(CONTEXT[lang](line)).invoiceNumber).toBe('2024-0042');
  });

  it.each([
    ['en', 'Invoice date: 1 March 2024'],
    ['de', 'Rechnungsdatum: 01.03.2024'],
    ['fr', 'Date de facture : 01/03/2024'],
    ['nl', 'Factuurdatum: 1-3-2024'],
    ['es', 'Fecha de emisión: 01/03/2024'],
  ] as const)('%s: reads the issue date after "%s"', (lang, line) => {
    expect(read(CONTEXT[lang](line)).issueDate).toBe('2024-03-01');
  });

  it.each([
    ['en', 'Due date: 31 March 2024'],
    ['de', 'Fällig am 31.03.2024'],
    ['de', 'Zahlbar bis 31.03.2024'],
    ['fr', "Date d'échéance : 31/03/2024"],
    ['fr', 'Échéance : 31/03/2024'],
    ['nl', 'Vervaldatum: 31-03-2024'],
    ['es', 'Fecha de vencimiento: 31/03/2024'],
    ['es', 'Vencimiento: 31/03/2024'],
  ] as const)('%s: reads the due date after "%s"', (lang, line) => {
    expect(read(CONTEXT[lang](line)).dueDate).toBe('2024-03-31');
  });

  it.each([
    ['en', 'Subtotal 1,000.00\nVAT 20% 200.00\nTotal 1,200.00', 1000, 200, 1200],
    ['en', 'Net amount 1,000.00\nSales tax 80.00\nAmount due 1,080.00', 1000, 80, 1080],
    ['de', 'Zwischensumme 1.000,00 €\nMwSt. 19 % 190,00 €\nGesamtbetrag 1.190,00 €', 1000, 190, 1190],
    ['de', 'Nettobetrag 1.000,00\nzzgl. USt. 190,00\nRechnungsbetrag 1.190,00', 1000, 190, 1190],
    ['fr', 'Total HT 1 000,00 €\nTVA 20 % 200,00 €\nTotal TTC 1 200,00 €', 1000, 200, 1200],
    ['nl', 'Subtotaal € 1.000,00\nBTW 21% € 210,00\nTotaal € 1.210,00', 1000, 210, 1210],
    ['es', 'Base imponible 1.000,00 €\nIVA 21% 210,00 €\nTotal a pagar 1.210,00 €', 1000, 210, 1210],
  ] as const)(
    '%s: reads subtotal, tax (the amount, not the rate) and total',
    (lang, lines, subtotal, tax, total) => {
      expect(read(CONTEXT[lang](lines))).toMatchObject({ subtotal, tax, total });
    },
  );

  it.each([
    ['en', 'PO Number: 4500012345'],
    ['de', 'Bestellnummer: 4500012345'],
    ['de', 'Ihre Bestellung: 4500012345'],
    ['fr', 'Bon de commande : 4500012345'],
    ['nl', 'Inkoopordernummer: 4500012345'],
    ['es', 'Pedido: 4500012345'],
  ] as const)('%s: reads the PO number after "%s"', (lang, line) => {
    expect(read(CONTEXT[lang](line)).poNumber).toBe('4500012345');
  });

  it('reads a value printed before its label and a value below a label alone on its line', () => {
    const doc = read(
      'FACTUUR\n993548900\tFactuurnummer:\n19 april 2014\tFactuurdatum:\nDue Date:\n2014-05-19',
    );
    expect(doc).toMatchObject({ invoiceNumber: '993548900', issueDate: '2014-04-19', dueDate: '2014-05-19' });
  });

  it('pairs a column of values with the column of labels that follows it', () => {
    const doc = read(
      'INVOICE\nJan 1, 2022\nNet 30 days\nJan 31, 2022\nPO-1\nDate:\nPayment Terms:\nDue Date:\nPO Number:',
    );
    expect(doc).toMatchObject({
      issueDate: '2022-01-01',
      dueDate: '2022-01-31',
      poNumber: 'PO-1',
      paymentTerms: 'Net 30 days',
    });
  });

  it('prefers the grand total nearest the end over section subtotals, and says so when the amount due differs', () => {
    const doc = read(
      'Invoice No. 5\nSubtotal 112.00 EUR\nSubtotal 150.90 EUR\nSubtotal 262.90 EUR\nTax 15% on 112.90 16.94 EUR\nTotal 279.84 EUR\nPaid 79.84 EUR\nAmount due 200.00 EUR',
    );
    expect(doc).toMatchObject({ subtotal: 262.9, tax: 16.94, total: 279.84 });
    expect(doc.evidence.total?.text).toBe('Total 279.84 EUR');
    expect(doc.warnings).toContain(
      'amount due 200.00 differs from the invoice total 279.84 (prepaid or credited)',
    );
  });
});

describe('payment terms, kept as written and resolved against the issue date', () => {
  it.each([
    ['Payment terms: Net 30', '2024-03-01', 'Net 30', '2024-03-31'],
    ['Payment terms: 14 days', '2024-03-01', '14 days', '2024-03-15'],
    [
      'Zahlbar innerhalb von 14 Tagen netto.',
      '2024-03-01',
      'Zahlbar innerhalb von 14 Tagen netto.',
      '2024-03-15',
    ],
    ['Zahlungsbedingungen: 30 Tage netto', '2024-03-01', '30 Tage netto', '2024-03-31'],
    ['Conditions de paiement : 30 jours fin de mois', '2024-01-15', '30 jours fin de mois', '2024-02-29'],
    ['Betalingstermijn: 14 dagen', '2024-03-01', '14 dagen', '2024-03-15'],
    ['Condiciones de pago: pago a 30 días', '2024-03-01', 'pago a 30 días', '2024-03-31'],
    ['Zahlbar sofort ohne Abzug', '2024-03-01', 'Zahlbar sofort ohne Abzug', '2024-03-01'],
    ['Payment terms: due upon receipt', '2024-03-01', 'due upon receipt', '2024-03-01'],
  ])('"%s" from %s', (terms, issue, asWritten, due) => {
    const doc = read(`Invoice No. 9\nInvoice date: ${issue}\n${terms}`);
    expect(doc.paymentTerms).toBe(asWritten);
    expect(doc.dueDate).toBe(due);
  });

  it('takes the date the terms name, not the discount date', () => {
    const doc = read(
      'Rechnung Nr. 471102 vom 05.03.2018\nZahlbar innerhalb 30 Tagen netto bis 04.04.2018, 3% Skonto innerhalb 10 Tagen bis 15.03.2018',
    );
    expect(doc.dueDate).toBe('2018-04-04');
  });

  it('says how "fin de mois" was counted when it decides the due date', () => {
    const doc = read(
      'Facture n° 12\nDate de facture : 15/01/2024\nConditions de paiement : 30 jours fin de mois',
    );
    expect(doc.warnings).toContain(
      'due date from "30 jours fin de mois" computed as issue date + 30 days, then end of month',
    );
  });

  it('warns "due date missing" on an invoice with neither a due date nor terms', () => {
    expect(read('Invoice No. 9\nInvoice date: 2024-03-01\nTotal 10.00 EUR').warnings).toContain(
      'due date missing',
    );
  });
});
