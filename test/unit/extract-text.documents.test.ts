/**
 * The text reader on whole documents: bank details, whose VAT id is whose, what kind of document
 * it is, contracts and their dates, currencies, and hostile input. All texts are written for these
 * tests.
 */
import { describe, expect, it } from 'vitest';
import { extractFromText } from '../../src/extract/text/text.extract.ts';

const read = (text: string, vendorEmail: string | null = null) =>
  extractFromText([text], { source: 't.txt', method: 'text', hints: { vendorEmail } });

describe('bank details', () => {
  it('reads an IBAN written in groups and checks it', () => {
    const doc = read('Rechnung Nr. 1\nIBAN: DE89 3704 0044 0532 0130 00\nBIC: COBADEFFXXX');
    expect(doc).toMatchObject({ iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' });
  });

  it('returns no IBAN, and says why, when the checksum fails (one digit misread)', () => {
    const doc = read('Rechnung Nr. 1\nIBAN: DE89 3704 0044 0532 0130 01');
    expect(doc.iban).toBeNull();
    expect(doc.warnings).toContain('IBAN checksum fails');
  });

  it('chooses none of two different IBANs', () => {
    const doc = read('Invoice No. 1\nIBAN GB33BUKB20201555555555\nPlease pay to IBAN DE89370400440532013000');
    expect(doc.iban).toBeNull();
    expect(doc.warnings).toContain('two different IBANs found; none chosen');
  });

  it('gives no IBAN to pay to when the amount is collected by direct debit, and says why', () => {
    const doc = read(
      'Rechnung Nr. 1\nDer Betrag wird per SEPA-Lastschrift von Ihrem Konto IBAN DE89370400440532013000 eingezogen.\nUnsere Bankverbindung: IBAN GB33BUKB20201555555555',
    );
    expect(doc.iban).toBeNull();
    expect(doc.warnings).toContain(
      "the amount is collected by direct debit from the buyer's account; no IBAN to pay to (the seller's account GB33BUKB20201555555555 is printed too)",
    );
  });

  it('does not read a masked IBAN', () => {
    const doc = read('Facture n° 1\nIBAN : FR76 **** **** **** **** **** 189');
    expect(doc.iban).toBeNull();
    expect(doc.warnings).toContain('IBAN is masked in the document; not read');
  });
});

describe("the seller's VAT id, not the buyer's", () => {
  it('takes the letterhead id for the seller and the "Bill to" block id for the buyer', () => {
    const doc = read(
      'Northwind Trading Ltd\n1 King Street, London\nVAT No. GB123456789\nINVOICE\nInvoice No. 55\nBill to:\nContoso GmbH\nHauptstraße 1, 10115 Berlin\nVAT ID: DE811234567\nDescription\tAmount\nWidgets\t100.00\nTotal\t100.00 GBP',
    );
    expect(doc.vendor.taxId).toBe('GB123456789');
    expect(doc.buyer.taxId).toBe('DE811234567');
  });

  it('reads a buyer id named as such ("N° TVA client") even outside a block', () => {
    const doc = read('Atelier SARL\nTVA : FR40812345678\nFacture n° 8\nN° TVA client : FR83404833048');
    expect(doc.vendor.taxId).toBe('FR40812345678');
    expect(doc.buyer.taxId).toBe('FR83404833048');
  });

  it("takes the footer's id for the seller when the buyer's is in its block", () => {
    const lines = ['Rechnung Nr. 77', 'Rechnungsempfänger:', 'Kunde GmbH', 'USt-IdNr.: DE811234567'];
    for (let i = 0; i < 20; i++) lines.push(`Position ${i + 1}\tArtikel\t10,00`);
    lines.push('Beispiel GmbH · Amtsgericht Köln HRB 1 · USt-IdNr. DE123456789');
    const doc = read(lines.join('\n'));
    expect(doc.vendor.taxId).toBe('DE123456789');
    expect(doc.buyer.taxId).toBe('DE811234567');
  });

  it('leaves the seller id null, with a warning, when an id stands where nothing says whose it is', () => {
    const lines = ['Rechnung Nr. 77'];
    for (let i = 0; i < 8; i++) lines.push(`Position ${i + 1}\tArtikel\t10,00`);
    lines.push('Hinweis: DE811234567');
    for (let i = 0; i < 12; i++) lines.push(`Zeile ${i + 1}`);
    const doc = read(lines.join('\n'));
    expect(doc.vendor.taxId).toBeNull();
    expect(doc.warnings).toContain('VAT id DE811234567 found, but not whose (seller or buyer); not read');
  });
});

describe('what kind of document it is', () => {
  it.each([
    ['Gutschrift\nGutschrift Nr. G-12\nGesamtbetrag 100,00 €', 'credit_note'],
    ['Avoir AV-2017-0005\nTotal TTC 100,00 €', 'credit_note'],
    ['Creditnota\nCreditnotanummer: C-9\nTotaal € 100,00', 'credit_note'],
    ['Nota de crédito\nNúmero: NC-4\nTotal 100,00 €', 'credit_note'],
    ['Credit Note\nCredit note no. CN-1\nTotal 100.00 GBP', 'credit_note'],
    ['Receipt\nThank you for your purchase\nTotal paid 12.50 GBP', 'receipt'],
    ['Quittung\nBetrag erhalten: 50,00 €', 'receipt'],
    ['Kassenbon\nSumme 12,99 €', 'receipt'],
    ['Reçu\nMontant payé 20,00 €', 'receipt'],
    ['Recibo\nTotal 20,00 €', 'receipt'],
    ['Invoice - PAID\nInvoice No. 5\nTotal 20.00 GBP', 'receipt'],
    ['Your receipt from Example Store\nTotal 9.99 GBP', 'receipt'],
    ['Ticket de caisse\nTotal 9,99 €', 'receipt'],
    ['Bon\nTotaal € 9,99', 'receipt'],
    ['Thanks for your order!\nOrder #12345\nTotal: 48.60 EUR\nPaid with Visa ending 4242', 'receipt'],
    ['Bon de commande\nN° BC-1', 'purchase_order'],
    ['Angebot\nAngebot Nr. A-77\nGesamtbetrag 1.190,00 €', 'quote'],
    ['Devis\nDevis n° D-12\nTotal TTC 100,00 €', 'quote'],
    ['Offerte\nOffertenummer: O-5\nTotaal € 100,00', 'quote'],
    ['Presupuesto\nTotal 100,00 €', 'quote'],
    ['Quotation\nQuote valid for 30 days\nTotal 100.00 GBP', 'quote'],
    ['Kontoauszug\nKontoauszug Nr. 3/2024', 'statement'],
    ['Relevé de compte\nPériode du 01/01/2024 au 31/01/2024', 'statement'],
    ['Purchase Order\nPO Number: 4500012345', 'purchase_order'],
    ['Lohnsteuerbescheinigung für 2023\nSteuer-ID 12345678901', 'tax_form'],
    ['Form W-9\nRequest for Taxpayer Identification Number', 'tax_form'],
    ['Avis d’imposition 2024\nImpôt sur le revenu', 'tax_form'],
    ['Rechnung\nRechnungsnummer: 1\nGesamtbetrag 10,00 €', 'invoice'],
  ])('reads %j as %s', (text, kind) => {
    expect(read(text).kind).toBe(kind);
  });

  it('gives a credit note its amounts as positive numbers, as e-invoices do, and says so', () => {
    const doc = read('Avoir AV-1\nTotal HT -100,00 €\nTVA 20 % -20,00 €\nTotal TTC -120,00 €');
    expect(doc).toMatchObject({ kind: 'credit_note', subtotal: 100, tax: 20, total: 120 });
    expect(doc.warnings).toContain(
      'credit note printed with negative amounts; amounts given as positive (the kind says it is a credit)',
    );
  });
});

describe('contracts, quotes and statements', () => {
  const CONTRACT = `Wartungsvertrag
zwischen der Haustechnik Meier GmbH, Bahnhofstraße 3, 80335 München (Auftragnehmer)
und der Beispiel AG, Ringstraße 8, 80331 München (Auftraggeber)
§ 1 Laufzeit
Vertragsbeginn: 01.01.2024
Vertragsende: 31.12.2025
Der Vertrag verlängert sich automatisch um jeweils ein Jahr, wenn er nicht mit einer Kündigungsfrist von 3 Monaten zum Vertragsende gekündigt wird.
§ 2 Vergütung
Die monatliche Pauschale beträgt 250,00 € zzgl. MwSt.`;

  it('reads a contract: parties, start and end, the renewal and the notice deadline', () => {
    const doc = read(CONTRACT);
    expect(doc.kind).toBe('contract');
    expect(doc.parties).toEqual(['Haustechnik Meier GmbH', 'Beispiel AG']);
    expect(doc.keyDates).toEqual([
      { label: 'contract start', date: '2024-01-01', evidence: 'Vertragsbeginn: 01.01.2024' },
      { label: 'contract end', date: '2025-12-31', evidence: 'Vertragsende: 31.12.2025' },
      {
        label: 'notice deadline',
        date: '2025-09-30',
        evidence: expect.stringContaining('Kündigungsfrist von 3 Monaten'),
      },
      {
        label: 'renewal',
        date: '2025-12-31',
        evidence: expect.stringContaining('verlängert sich automatisch'),
      },
    ]);
    expect(doc.warnings).not.toContain('invoice number not found');
  });

  it('reads an English contract with role labels and a notice period in days', () => {
    const doc = read(
      'SERVICE AGREEMENT\nProvider: Cloudline Ltd\nCustomer: Harbour Analytics GmbH\nStart date: 1 March 2024\nEnd date: 28 February 2025\nEither party may terminate with 30 days written notice.',
    );
    expect(doc.parties).toEqual(['Cloudline Ltd', 'Harbour Analytics GmbH']);
    expect(doc.keyDates.map((k) => [k.label, k.date])).toEqual([
      ['contract start', '2024-03-01'],
      ['contract end', '2025-02-28'],
      ['notice deadline', '2025-01-29'],
    ]);
  });

  it('reads how long a quote is valid and its total', () => {
    const doc = read(
      'Devis n° D-12\nValable jusqu’au 31/03/2024\nTotal HT 1 000,00 €\nTVA 20 % 200,00 €\nTotal TTC 1 200,00 €',
    );
    expect(doc.kind).toBe('quote');
    expect(doc.total).toBe(1200);
    expect(doc.keyDates).toEqual([
      { label: 'valid until', date: '2024-03-31', evidence: 'Valable jusqu’au 31/03/2024' },
    ]);
  });

  it("reads a statement's period", () => {
    const doc = read(
      'Kontoauszug Nr. 3\nAbrechnungszeitraum: 01.03.2024 bis 31.03.2024\nNeuer Saldo 1.234,56 EUR',
    );
    expect(doc.keyDates.map((k) => [k.label, k.date])).toEqual([
      ['period start', '2024-03-01'],
      ['period end', '2024-03-31'],
    ]);
  });
});

describe('currency', () => {
  it('does not call a bare $ US dollars without something that says so', () => {
    const doc = read('INVOICE\nInvoice No. 3\nTotal $127.50');
    expect(doc.currency).toBeNull();
    expect(doc.warnings).toContain('amounts in $ but nothing says which dollar; currency not chosen');
  });

  it('reads $ as USD with a US address', () => {
    expect(read('Acme Inc.\nSeattle, WA 98109\nInvoice No. 3\nTotal $127.50').currency).toBe('USD');
  });

  it.each([
    ['Invoice No. 3\nGrand Total Rs. 1,939.00', 'INR'],
    ['Invoice No. 3\nTotal ₹1,939.00', 'INR'],
    ['Faktura nr 3\nRazem 316,83 zł', 'PLN'],
    ['Rechnung Nr. 3\nTotal CHF 1’190.–', 'CHF'],
    ['Rechnung Nr. 3\nWährung: EUR\nGesamtbetrag 10,00', 'EUR'],
  ])('reads %j as %s', (text, currency) => {
    expect(read(text).currency).toBe(currency);
  });
});

describe('the vendor', () => {
  it('lets the sender domain confirm a name, never invent one', () => {
    const doc = read('Rechnung Nr. 3\nGesamtbetrag 10,00 €', 'billing@acme.de');
    expect(doc.vendor.name).toBeNull();
    const named = read('ACME GmbH\nRechnung Nr. 3\nGesamtbetrag 10,00 €', 'billing@acme.de');
    expect(named.vendor.name).toBe('ACME GmbH');
  });

  it('does not take the addressee company for the vendor', () => {
    const doc = read(
      'Firma\nBeispielkunde AG\nHauptstraße 1\n10115 Berlin\nRechnung Nr. 3\nGesamtbetrag 10,00 €',
    );
    expect(doc.vendor.name).toBeNull();
    expect(doc.buyer.name).toBe('Beispielkunde AG');
  });
});

describe('hostile and odd input', () => {
  it.each([[[]], [['']], [['\u0000\u0001\u0002']], [['%PDF-1.7 garbage ' + '\ufffd'.repeat(500)]]])(
    'never throws: %#',
    (pages) => {
      const doc = extractFromText(pages, { source: 'x', method: 'pdf-text' });
      expect(doc.total).toBeNull();
      expect(doc.invoiceNumber).toBeNull();
    },
  );

  it('reads a very large text layer in linear time and says it was cut', () => {
    const page = 'Position 1\tArtikel mit langer Beschreibung\t1\t10,00 €\t10,00 €\n'.repeat(40_000);
    const start = performance.now();
    const doc = extractFromText([page], { source: 'big.pdf', method: 'pdf-text' });
    expect(performance.now() - start).toBeLessThan(8_000);
    expect(doc.warnings).toContain('text too long; only the first part was read');
  });

  it('reads a 1 MB single line without stalling', () => {
    const start = performance.now();
    extractFromText([`Total ${'1.000,00 € '.repeat(100_000)}`], { source: 'line.txt', method: 'text' });
    expect(performance.now() - start).toBeLessThan(3_000);
  });
});
