/**
 * One synthetic invoice per language, written for these tests (not taken from any corpus), laid
 * out as PDF text layers deliver them: one visual row per line, table cells separated by tabs.
 * Each is checked field by field against the full expected output.
 */
import { describe, expect, it } from 'vitest';
import { extractFromText } from '../../src/extract/text/text.extract.ts';

const read = (text: string, vendorEmail: string | null = null) =>
  extractFromText([text], { source: 'invoice.pdf', method: 'pdf-text', hints: { vendorEmail } });

const EN = `Brightline Studio Ltd
14 Wharf Road, London N1 7GR
VAT Reg No: GB 123 4567 89
INVOICE
Invoice No: BL-2024-0117
Invoice Date: 05/03/2024
Due Date: 04/04/2024
PO Number: PO-88213
Bill To:
Harbour Analytics GmbH
Speicherstraße 5
20457 Hamburg
Customer VAT: DE811234567
Description\tQty\tUnit Price\tAmount
Brand workshop (half day)\t2\t£450.00\t£900.00
Logo refresh\t1\t£1,250.00\t£1,250.00
Subtotal\t£2,150.00
VAT 20%\t£430.00
Total due\t£2,580.00
Payment terms: 30 days net
Bank: Barclays, IBAN: GB33BUKB20201555555555, BIC: BUKBGB22`;

const DE = `Müller & Söhne GmbH · Industriestraße 12 · 70565 Stuttgart
Firma
Beispielkunde AG
Frau Anna Schmidt
Hauptstraße 1
10115 Berlin
Rechnung
Rechnungsnummer: RE-2024-0042
Rechnungsdatum: 1. März 2024
Kundennummer: 10023
Ihre Bestellung: 4500012345
Leistungszeitraum: 01.02.2024 – 29.02.2024
Pos.\tBezeichnung\tMenge\tEinzelpreis\tGesamt
1\tBeratung Datenschutz\t10\t100,00 €\t1.000,00 €
Nettobetrag\t1.000,00 €
zzgl. 19 % MwSt.\t190,00 €
Gesamtbetrag\t1.190,00 €
Zahlbar innerhalb von 14 Tagen ohne Abzug.
Bankverbindung: Sparkasse Stuttgart · IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX
Geschäftsführer: Hans Müller · Amtsgericht Stuttgart HRB 12345 · USt-IdNr.: DE123456789`;

const FR = `Atelier Lumière SARL
8 rue des Lilas, 69003 Lyon
SIRET 812 345 678 00019 – TVA intracommunautaire : FR 40 812345678
Facture N° F2024-031
Date de facture : 1er mars 2024
Date d'échéance : 31/03/2024
Client :
Boulangerie Dupont SAS
12 avenue Jean Jaurès
75019 Paris
N° TVA client : FR 83 404833048
Désignation\tQuantité\tPrix unitaire HT\tMontant HT
Séance photo produits\t3\t250,00 €\t750,00 €
Retouche (forfait)\t1\t1\u202f200,00 €\t1\u202f200,00 €
Total HT\t1 950,00 €
TVA 20 %\t390,00 €
Total TTC\t2 340,00 €
Net à payer\t2 340,00 €
Conditions de paiement : 30 jours fin de mois
IBAN : FR76 3000 6000 0112 3456 7890 189 – BIC : AGRIFRPP`;

const NL = `Van Dijk Installatietechniek B.V.
Kanaalweg 21
3526 KM Utrecht
KvK 12345678 | BTW NL123456789B01
IBAN NL91 ABNA 0417 1643 00 | BIC ABNANL2A
FACTUUR
Factuurnummer: 2024-1187
Factuurdatum: 1 maart 2024
Vervaldatum: 15 maart 2024
Uw ordernummer: INK-55120
Factuuradres:
Bakkerij De Korenbloem
Dorpsstraat 4
1234 AB Amstelveen
Omschrijving\tAantal\tPrijs\tBedrag
Onderhoud cv-ketel\t1\t€ 145,00\t€ 145,00
Vervangen expansievat\t1\t€ 210,50\t€ 210,50
Subtotaal\t€ 355,50
BTW 21%\t€ 74,66
Totaal te betalen\t€ 430,16
Betalingstermijn: 14 dagen`;

const ES = `Soluciones Norte S.L.
Calle Mayor 45, 28013 Madrid
NIF: ESB12345674
FACTURA
Número de factura: 2024/0315
Fecha de factura: 1 de marzo de 2024
Fecha de vencimiento: 31 de marzo de 2024
Pedido: PED-7781
Cliente:
Distribuciones Levante S.A.
Avenida del Puerto 120
46023 Valencia
NIF cliente: ESA98765432
Concepto\tCantidad\tPrecio\tImporte
Licencia software anual\t5\t120,00 €\t600,00 €
Soporte técnico (horas)\t8\t45,00 €\t360,00 €
Base imponible\t960,00 €
IVA 21%\t201,60 €
Total factura\t1.161,60 €
Condiciones de pago: 30 días fecha factura
IBAN: ES91 2100 0418 4502 0005 1332`;

describe('a synthetic invoice per language, read in full', () => {
  it('reads an English (UK) invoice: day-first dates because the money is pounds', () => {
    const doc = read(EN);
    expect(doc).toMatchObject({
      kind: 'invoice',
      vendor: { name: 'Brightline Studio Ltd', email: null, taxId: 'GB123456789' },
      buyer: { name: 'Harbour Analytics GmbH', taxId: 'DE811234567' },
      invoiceNumber: 'BL-2024-0117',
      issueDate: '2024-03-05',
      dueDate: '2024-04-04',
      currency: 'GBP',
      subtotal: 2150,
      tax: 430,
      total: 2580,
      iban: 'GB33BUKB20201555555555',
      bic: 'BUKBGB22',
      poNumber: 'PO-88213',
      paymentTerms: '30 days net',
      lines: [
        { description: 'Brand workshop (half day)', quantity: 2, unitPrice: 450, amount: 900 },
        { description: 'Logo refresh', quantity: 1, unitPrice: 1250, amount: 1250 },
      ],
      method: 'pdf-text',
    });
    expect(doc.evidence.total).toEqual({
      text: 'Total due £2,580.00',
      page: 1,
      confidence: expect.any(Number),
    });
    expect(doc.warnings).toEqual([]);
  });

  it('reads a German invoice: "1. März 2024", "1.190,00 €", due date from "14 Tagen"', () => {
    const doc = read(DE, 'buchhaltung@mueller-soehne.de');
    expect(doc).toMatchObject({
      kind: 'invoice',
      vendor: { name: 'Müller & Söhne GmbH', email: null, taxId: 'DE123456789' },
      buyer: { name: 'Beispielkunde AG', taxId: null },
      invoiceNumber: 'RE-2024-0042',
      issueDate: '2024-03-01',
      dueDate: '2024-03-15',
      currency: 'EUR',
      subtotal: 1000,
      tax: 190,
      total: 1190,
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      poNumber: '4500012345',
      paymentTerms: 'Zahlbar innerhalb von 14 Tagen ohne Abzug.',
      lines: [{ description: 'Beratung Datenschutz', quantity: 10, unitPrice: 100, amount: 1000 }],
    });
    expect(doc.evidence.dueDate?.text).toBe('Zahlbar innerhalb von 14 Tagen ohne Abzug.');
    expect(doc.warnings).toEqual([]);
  });

  it('reads a French invoice: "1er mars", "1 200,00" with a narrow no-break space, "30 jours fin de mois"', () => {
    const doc = read(FR);
    expect(doc).toMatchObject({
      kind: 'invoice',
      vendor: { name: 'Atelier Lumière SARL', taxId: 'FR40812345678' },
      buyer: { name: 'Boulangerie Dupont SAS', taxId: 'FR83404833048' },
      invoiceNumber: 'F2024-031',
      issueDate: '2024-03-01',
      dueDate: '2024-03-31',
      currency: 'EUR',
      subtotal: 1950,
      tax: 390,
      total: 2340,
      iban: 'FR7630006000011234567890189',
      bic: 'AGRIFRPP',
      poNumber: null,
      paymentTerms: '30 jours fin de mois',
      lines: [
        { description: 'Séance photo produits', quantity: 3, unitPrice: 250, amount: 750 },
        { description: 'Retouche (forfait)', quantity: 1, unitPrice: 1200, amount: 1200 },
      ],
    });
    expect(doc.warnings).toEqual([]);
  });

  it('reads a Dutch invoice: "1 maart 2024", "Totaal te betalen", "Uw ordernummer"', () => {
    const doc = read(NL);
    expect(doc).toMatchObject({
      kind: 'invoice',
      vendor: { name: 'Van Dijk Installatietechniek B.V.', taxId: 'NL123456789B01' },
      buyer: { name: 'Bakkerij De Korenbloem', taxId: null },
      invoiceNumber: '2024-1187',
      issueDate: '2024-03-01',
      dueDate: '2024-03-15',
      currency: 'EUR',
      subtotal: 355.5,
      tax: 74.66,
      total: 430.16,
      iban: 'NL91ABNA0417164300',
      bic: 'ABNANL2A',
      poNumber: 'INK-55120',
      paymentTerms: '14 dagen',
      lines: [
        { description: 'Onderhoud cv-ketel', quantity: 1, unitPrice: 145, amount: 145 },
        { description: 'Vervangen expansievat', quantity: 1, unitPrice: 210.5, amount: 210.5 },
      ],
    });
    expect(doc.warnings).toEqual([]);
  });

  it('reads a Spanish invoice: "1 de marzo de 2024", "Base imponible", "IVA 21%"', () => {
    const doc = read(ES);
    expect(doc).toMatchObject({
      kind: 'invoice',
      vendor: { name: 'Soluciones Norte S.L.', taxId: 'ESB12345674' },
      buyer: { name: 'Distribuciones Levante S.A.', taxId: 'ESA98765432' },
      invoiceNumber: '2024/0315',
      issueDate: '2024-03-01',
      dueDate: '2024-03-31',
      currency: 'EUR',
      subtotal: 960,
      tax: 201.6,
      total: 1161.6,
      iban: 'ES9121000418450200051332',
      bic: null,
      poNumber: 'PED-7781',
      paymentTerms: '30 días fecha factura',
      lines: [
        { description: 'Licencia software anual', quantity: 5, unitPrice: 120, amount: 600 },
        { description: 'Soporte técnico (horas)', quantity: 8, unitPrice: 45, amount: 360 },
      ],
    });
    expect(doc.warnings).toEqual([]);
  });

  it('reads a two-page German invoice with a carried-over subtotal and descriptions between quantity and price', () => {
    const page1 = `Schreinerei Holz GmbH · Am Wald 3 · 12345 Baumstadt
Rechnung Nr. 2024-17
Datum: 12.02.2024
Pos\tMenge\tText\tEinzelpreis\tGesamt
1\t2\tStuhl Eiche\t150,00\t300,00
2\t1\tTisch Eiche\t900,00\t900,00
Übertrag\t1.200,00`;
    const page2 = `Übertrag\t1.200,00
3\t4\tMontage (Std.)\t55,00\t220,00
Summe netto\t1.420,00
19 % USt.\t269,80
Rechnungsbetrag\t1.689,80
Zahlbar bis 26.02.2024 ohne Abzug.`;
    const doc = extractFromText([page1, page2], { source: 'r.pdf', method: 'pdf-text' });
    expect(doc).toMatchObject({ invoiceNumber: '2024-17', issueDate: '2024-02-12', dueDate: '2024-02-26' });
    expect(doc).toMatchObject({ subtotal: 1420, tax: 269.8, total: 1689.8, currency: null });
    expect(doc.lines.map((l) => l.description)).toEqual(['Stuhl Eiche', 'Tisch Eiche', 'Montage (Std.)']);
    expect(doc.evidence.total).toMatchObject({ text: 'Rechnungsbetrag 1.689,80', page: 2 });
    expect(doc.warnings).toContain('currency not found');
  });

  it('reads an order mail body (no pages): dollars made USD by the US address', () => {
    const body = `Your order has shipped
Item subtotal: $45.00
Shipping: $5.99
Estimated tax: $3.60
Order total: $54.59
Ship to: John Smith, 12 Elm St, Springfield, IL 62704`;
    const doc = extractFromText([body], { source: 'message body', method: 'html' });
    expect(doc).toMatchObject({ subtotal: 45, tax: 3.6, total: 54.59, currency: 'USD', method: 'html' });
    expect(doc.buyer.name).toBe('John Smith');
    expect(doc.evidence.total?.page).toBeNull();
  });

  it('gives every value evidence: the line it was read from, its page and a confidence', () => {
    const doc = read(DE);
    for (const [field, ev] of Object.entries(doc.evidence)) {
      expect(ev?.page, field).toBe(1);
      expect(ev?.confidence, field).toBeGreaterThan(0.5);
      expect(ev?.confidence, field).toBeLessThanOrEqual(1);
      expect(DE.replace(/\t/g, ' '), field).toContain(ev?.text);
    }
  });
});
