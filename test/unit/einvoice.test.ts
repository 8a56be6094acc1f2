/**
 * The e-invoice XML path: every ZUGFeRD/Factur-X PDF of ../shared/corpora/zugferd-corpus
 * (Apache-2.0, see PROVENANCE.json) read the way production reads it — readPdf →
 * findEmbeddedInvoiceXml → parseEInvoiceXml — against the corpus's normalised truth
 * (`X.pdf.expected.json`, taken from the same XML); the standalone CII files; hand-written UBL
 * documents (no UBL sample is in the corpora); and hostile XML (XXE, entity bombs, garbage).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dueDateFromTerms } from '../../src/extract/einvoice/einvoice.terms.ts';
import {
  findEmbeddedInvoiceXml,
  parseEInvoiceXml,
  readEInvoiceXml,
} from '../../src/extract/einvoice/einvoice.ts';
import { parseAmount, parseCiiDate } from '../../src/extract/einvoice/einvoice.values.ts';
import { DocumentError, type ExtractedDocument } from '../../src/extract/extract.model.ts';
import { closePdfReader, readPdf } from '../../src/extract/pdf/pdf.reader.ts';

const ZUGFERD = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpora', 'zugferd-corpus');

interface IndexRow {
  pdf: string;
  upstream_validation: 'correct' | 'fail';
  embedded_xml: string;
}

interface Expected {
  invoice_number?: string;
  type_code: string | null;
  issue_date: string | null;
  due_date: string | null;
  payment_terms: string | null;
  currency: string | null;
  seller: { name: string | null; vat_id?: string | null };
  iban: string[] | null;
  totals: { grand_total?: number; due_payable?: number; tax_total?: number };
}

const index = JSON.parse(readFileSync(join(ZUGFERD, 'expected_index.json'), 'utf8')) as IndexRow[];
const truthOf = (row: IndexRow) =>
  JSON.parse(readFileSync(join(ZUGFERD, `${row.pdf}.expected.json`), 'utf8')) as Expected;
const withTruth = index.filter((row) => truthOf(row).invoice_number !== undefined);

afterAll(async () => {
  await closePdfReader();
});

/**
 * Field by field, as the corpora README asks: names compared with whitespace runs collapsed
 * (we collapse the line breaks some XML puts inside a name), IBANs without spaces, money ±0.005.
 * A due date the XML leaves empty may be filled from the payment terms, but only from a clause
 * that is really in them.
 */
function mismatches(doc: ExtractedDocument, truth: Expected): string[] {
  const bad: string[] = [];
  const same = (field: string, got: unknown, want: unknown) => {
    const equal =
      typeof got === 'number' && typeof want === 'number' ? Math.abs(got - want) < 0.005 : got === want;
    if (!equal) bad.push(`${field}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  };
  same('invoice_number', doc.invoiceNumber, truth.invoice_number);
  same('issue_date', doc.issueDate, truth.issue_date);
  if (truth.due_date !== null) same('due_date', doc.dueDate, truth.due_date);
  else if (doc.dueDate !== null) {
    const clause = doc.evidence.dueDate?.text.split(': ').slice(1).join(': ') ?? '';
    if (!clause || !truth.payment_terms?.includes(clause))
      bad.push(`due_date: ${doc.dueDate} not from the terms`);
  }
  same('currency', doc.currency, truth.currency);
  same('seller.name', doc.vendor.name, truth.seller.name?.replace(/\s+/g, ' ').trim() ?? null);
  same('seller.vat_id', doc.vendor.taxId, truth.seller.vat_id ?? null);
  same('total', doc.total, truth.totals.grand_total ?? truth.totals.due_payable ?? null);
  same('tax', doc.tax, truth.totals.tax_total ?? null);
  same('iban', doc.iban, truth.iban?.[0]?.replace(/\s+/g, '') ?? null);
  same('kind', doc.kind, truth.type_code === '381' ? 'credit_note' : 'invoice');
  return bad;
}

describe('embedded XML of the ZUGFeRD/Factur-X corpus, through readPdf', () => {
  it.each(withTruth.map((row) => [`${row.upstream_validation}: ${row.pdf}`, row] as const))(
    '%s matches its expected.json',
    async (_, row) => {
      const pdf = await readPdf(readFileSync(join(ZUGFERD, row.pdf)), row.pdf);
      const embedded = findEmbeddedInvoiceXml(pdf.attachments);
      expect(embedded?.name).toBe(row.embedded_xml);
      const doc = parseEInvoiceXml(embedded!.xml, row.pdf);
      expect(doc).not.toBeNull();
      expect(doc!.method).toBe('einvoice-xml');
      expect(mismatches(doc!, truthOf(row))).toEqual([]);
      for (const evidence of Object.values(doc!.evidence)) expect(evidence.text).toMatch(/^\//);
      // The fast path (parsed in the worker, text layer skipped) gives the very same record.
      const fast = await readPdf(readFileSync(join(ZUGFERD, row.pdf)), row.pdf, { preferEInvoice: true });
      expect(fast.pages).toEqual([]);
      expect(fast.einvoice).toEqual({ name: row.embedded_xml, doc });
    },
  );

  it('the pre-1.0 ZUGFeRD draft (no normalised truth) is not taken for an invoice we read', () => {
    const drafts = index.filter((row) => truthOf(row).invoice_number === undefined);
    expect(drafts.length).toBe(1);
    for (const row of drafts) {
      expect(parseEInvoiceXml(readFileSync(join(ZUGFERD, `${row.pdf}.embedded.xml`)), row.pdf)).toBeNull();
    }
  });

  it('every value carries its element path, a due date from the terms says so', () => {
    const row = withTruth.find((r) => r.pdf.endsWith('FX/EN16931_Einfach.pdf'))!;
    const doc = readEInvoiceXml(
      readFileSync(join(ZUGFERD, `${row.pdf}.embedded.xml`)),
      'EN16931_Einfach.pdf',
    );
    expect(doc.evidence.invoiceNumber).toEqual({
      text: '/CrossIndustryInvoice/ExchangedDocument/ID',
      page: null,
      confidence: 1,
    });
    expect(doc.evidence.total?.text).toBe(
      '/CrossIndustryInvoice/SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementHeaderMonetarySummation/GrandTotalAmount',
    );
    expect(doc.dueDate).toBe('2018-04-04');
    expect(doc.evidence.dueDate?.confidence).toBeLessThan(1);
    expect(doc.warnings).toContain(
      'due date read from the payment terms ("Zahlbar innerhalb 30 Tagen netto bis 04.04.2018")',
    );
    expect(doc.subtotal).toBe(473);
    expect(doc.lines).toEqual([
      { description: 'Trennblätter A4', quantity: 20, unitPrice: 9.9, amount: 198 },
      { description: 'Joghurt Banane', quantity: 50, unitPrice: 5.5, amount: 275 },
    ]);
    expect(doc.buyer.name).toBe('Kunden AG Mitte');
  });

  it('a prepaid invoice totals the grand total and warns that less is due', () => {
    const row = withTruth.find((r) => r.pdf.endsWith('FX/EN16931_Betriebskostenabrechnung.pdf'))!;
    const doc = readEInvoiceXml(readFileSync(join(ZUGFERD, `${row.pdf}.embedded.xml`)), 'x.pdf');
    expect(doc.total).toBe(18310.63);
    expect(doc.warnings).toContain(
      'amount due 502.63 differs from the invoice total 18310.63 (prepaid or adjusted)',
    );
  });

  it('a corrected invoice (384) is an invoice with a warning; 381 is a credit note', () => {
    const read = (suffix: string) =>
      readEInvoiceXml(
        readFileSync(join(ZUGFERD, `${withTruth.find((r) => r.pdf.endsWith(suffix))!.pdf}.embedded.xml`)),
        suffix,
      );
    const corrected = read('FX/EN16931_Rechnungskorrektur.pdf');
    expect(corrected.kind).toBe('invoice');
    expect(corrected.warnings.join()).toMatch(/corrected invoice \(type 384\)/);
    expect(read('Avoir_FR_type381_BASIC.pdf').kind).toBe('credit_note');
  });
});

describe('standalone CII files (XML-Rechnung/CII)', () => {
  it('each reads with a number, an issue date, a total and a currency', () => {
    const dir = join(ZUGFERD, 'XML-Rechnung', 'CII');
    const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const doc = readEInvoiceXml(readFileSync(join(dir, file)), file);
      expect([doc.invoiceNumber, doc.issueDate, doc.currency], file).not.toContain(null);
      expect(doc.total, file).not.toBeNull();
    }
  });
});

const UBL_INVOICE = `<?xml version="1.0" encoding="UTF-8"?>
<ubl:Invoice xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>
  <cbc:ID>2024-0042</cbc:ID>
  <cbc:IssueDate>2024-03-01</cbc:IssueDate>
  <cbc:DueDate>2024-03-31</cbc:DueDate>
  <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>04011000-12345-03</cbc:BuyerReference>
  <cac:OrderReference><cbc:ID>PO-7731</cbc:ID></cac:OrderReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cbc:EndpointID schemeID="EM">billing@acme.example</cbc:EndpointID>
    <cac:PartyName><cbc:Name>ACME</cbc:Name></cac:PartyName>
    <cac:PartyTaxScheme><cbc:CompanyID>DE123456789</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
    <cac:PartyLegalEntity><cbc:RegistrationName>ACME GmbH &amp; Co. KG</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyLegalEntity><cbc:RegistrationName>M&#252;ller Consulting</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    <cac:PayeeFinancialAccount><cbc:ID>DE89 3704 0044 0532 0130 00</cbc:ID>
      <cac:FinancialInstitutionBranch><cbc:ID>COBADEFFXXX</cbc:ID></cac:FinancialInstitutionBranch>
    </cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:PaymentTerms><cbc:Note>Net 30 days</cbc:Note></cac:PaymentTerms>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">190.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">1000.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">1000.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">1190.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">1190.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="HUR">10</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">1000.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Consulting</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</ubl:Invoice>`;

const UBL_CREDIT_NOTE = `<?xml version="1.0" encoding="UTF-8"?>
<CreditNote xmlns="urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:ID>CN-17</cbc:ID>
  <cbc:IssueDate>2024-04-02</cbc:IssueDate>
  <cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>ACME GmbH</cbc:Name></cac:PartyName></cac:Party></cac:AccountingSupplierParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode><cbc:PaymentDueDate>2024-04-16</cbc:PaymentDueDate></cac:PaymentMeans>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">19.00</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">119.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">119.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:CreditNoteLine><cbc:ID>1</cbc:ID><cbc:CreditedQuantity unitCode="C62">2</cbc:CreditedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Returned widget</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount><cbc:BaseQuantity>2</cbc:BaseQuantity></cac:Price>
  </cac:CreditNoteLine>
</CreditNote>`;

describe('UBL 2.1', () => {
  it('an XRechnung UBL invoice reads field by field, legal name first, IBAN without spaces', () => {
    const doc = readEInvoiceXml(UBL_INVOICE, 'invoice.xml');
    expect(doc).toMatchObject({
      kind: 'invoice',
      vendor: { name: 'ACME GmbH & Co. KG', email: 'billing@acme.example', taxId: 'DE123456789' },
      invoiceNumber: '2024-0042',
      issueDate: '2024-03-01',
      dueDate: '2024-03-31',
      currency: 'EUR',
      subtotal: 1000,
      tax: 190,
      total: 1190,
      iban: 'DE89370400440532013000',
      bic: 'COBADEFFXXX',
      poNumber: 'PO-7731',
      paymentTerms: 'Net 30 days',
      lines: [{ description: 'Consulting', quantity: 10, unitPrice: 100, amount: 1000 }],
      buyer: { name: 'Müller Consulting', taxId: null },
      warnings: [],
      method: 'einvoice-xml',
    });
    expect(doc.evidence.iban?.text).toBe('/Invoice/PaymentMeans/PayeeFinancialAccount/ID');
  });

  it('a UBL credit note takes its due date from PaymentMeans and its unit price per base quantity', () => {
    const doc = readEInvoiceXml(Buffer.from(UBL_CREDIT_NOTE), 'credit.xml');
    expect(doc).toMatchObject({
      kind: 'credit_note',
      invoiceNumber: 'CN-17',
      dueDate: '2024-04-16',
      total: 119,
    });
    expect(doc.lines).toEqual([{ description: 'Returned widget', quantity: 2, unitPrice: 50, amount: 100 }]);
  });

  it('a due date is resolved from "Net 30" when the XML has none', () => {
    const doc = readEInvoiceXml(UBL_INVOICE.replace('<cbc:DueDate>2024-03-31</cbc:DueDate>', ''), 'x.xml');
    expect(doc.dueDate).toBe('2024-03-31');
    expect(doc.evidence.dueDate?.text).toBe('/Invoice/PaymentTerms/Note: Net 30 days');
  });
});

describe('findEmbeddedInvoiceXml', () => {
  const cii = readFileSync(join(ZUGFERD, 'XML-Rechnung', 'CII', 'EN16931_Einfach.cii.xml'));
  it('prefers the standard names, skips XML that is not an invoice, and sniffs unnamed XML', () => {
    const other = { name: 'logistics.xml', content: Buffer.from('<?xml version="1.0"?><Shipment/>') };
    expect(findEmbeddedInvoiceXml([other, { name: 'factur-x.xml', content: cii }])?.name).toBe(
      'factur-x.xml',
    );
    expect(findEmbeddedInvoiceXml([{ name: 'something.xml', content: cii }, other])?.name).toBe(
      'something.xml',
    );
    expect(findEmbeddedInvoiceXml([{ name: 'invoice-data', content: cii }])?.name).toBe('invoice-data');
    expect(
      findEmbeddedInvoiceXml([other, { name: 'photo.png', content: Buffer.from([0x89, 0x50]) }]),
    ).toBeNull();
    expect(findEmbeddedInvoiceXml([])).toBeNull();
  });
});

describe('hostile and broken XML', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"><rsm:ExchangedDocument><ram:ID xmlns:ram="x">&lol9;</ram:ID></rsm:ExchangedDocument></rsm:CrossIndustryInvoice>`;
  const xxe = `<?xml version="1.0"?><!-- looks harmless --><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><ID>&xxe;</ID></Invoice>`;

  it('a DTD with entities (billion laughs, XXE) is refused at once and nothing is expanded', () => {
    for (const xml of [billionLaughs, xxe]) {
      const start = performance.now();
      expect(parseEInvoiceXml(xml, 'evil.xml')).toBeNull();
      expect(() => readEInvoiceXml(xml, 'evil.xml')).toThrow(/declares a DTD/);
      expect(performance.now() - start).toBeLessThan(100);
    }
  });

  it('garbage, truncated XML, deep nesting and unknown roots never throw from parseEInvoiceXml', () => {
    const cii = readFileSync(join(ZUGFERD, 'XML-Rechnung', 'CII', 'EN16931_Einfach.cii.xml'), 'utf8');
    const deep = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</Invoice>`;
    const polluting = `<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><__proto__><ID>1</ID></__proto__><constructor/></Invoice>`;
    const inputs: Array<string | Buffer> = [
      '',
      'not xml at all',
      Buffer.from([0xff, 0x00, 0x13, 0x37, 0xc3, 0x28]),
      cii.slice(0, cii.length / 2),
      deep,
      polluting,
      '<html><body>invoice</body></html>',
    ];
    for (const input of inputs) expect(parseEInvoiceXml(input, 'bad.xml')).toBeNull();
    expect(({} as Record<string, unknown>)['ID']).toBeUndefined();
    expect(() => readEInvoiceXml(cii.slice(0, cii.length / 2), 'cut.xml')).toThrow(DocumentError);
    expect(() => readEInvoiceXml('<html/>', 'page.xml')).toThrow(/not an e-invoice format/);
  });

  it('XML over the size cap is refused before decoding', () => {
    const big = Buffer.alloc(17 * 1024 * 1024, 0x20);
    expect(() => readEInvoiceXml(big, 'big.xml')).toThrow(/larger than 16 MB/);
    expect(parseEInvoiceXml(big, 'big.xml')).toBeNull();
  });
});

describe('values as the standards write them', () => {
  it('amounts are xsd:decimal only; CII dates are format 102', () => {
    expect(parseAmount('1190.00')).toBe(1190);
    expect(parseAmount('-8.79')).toBe(-8.79);
    expect(parseAmount('1.190,00')).toBeNull();
    expect(parseCiiDate('20180305', '102')).toBe('2018-03-05');
    expect(parseCiiDate('20180230', '102')).toBeNull();
    expect(parseCiiDate('201412', '610')).toBeNull();
  });

  it('a due date comes from the terms only when they name exactly one', () => {
    const skonto =
      'Zahlbar innerhalb 30 Tagen netto bis 04.04.2018, 3% Skonto innerhalb 10 Tagen bis 15.03.2018';
    expect(dueDateFromTerms(skonto, '2018-03-05')?.date).toBe('2018-04-04');
    expect(dueDateFromTerms('Net 30', '2024-01-31')?.date).toBe('2024-03-01');
    expect(dueDateFromTerms('Paiement à 45 jours', '2024-01-01')?.date).toBe('2024-02-15');
    expect(dueDateFromTerms('Fälligkeiten 01.07.2014, 01.10.2014', '2014-03-11')).toBeNull();
    expect(dueDateFromTerms('Payable by 03/04/2024', '2024-01-01')).toBeNull();
    expect(dueDateFromTerms('Zahlbar 14 Tage nach Erhalt der Rechnung', '2024-01-01')).toBeNull();
    expect(dueDateFromTerms('Zahlbar innerhalb 30 Tagen bis 01.01.2030', '2024-01-01')).toBeNull();
    expect(dueDateFromTerms('Net 30', null)).toBeNull();
  });
});
