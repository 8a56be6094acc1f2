import { describe, expect, it, vi } from 'vitest';
import type { OcrImageOptions } from '../../src/extract/ocr/ocr.image.ts';
import { findAmounts } from '../../src/extract/receipt/receipt.amount.ts';
import {
  findDateBeforeTime,
  findDates,
  findGarbledDate,
  findMisreadDate,
  misreadMonth,
} from '../../src/extract/receipt/receipt.date.ts';
import { extractReceiptFields } from '../../src/extract/receipt/receipt.extract.ts';
import { readReceiptImage } from '../../src/extract/receipt/receipt.image.ts';
import { mergeReadings, worthSecondReading } from '../../src/extract/receipt/receipt.merge.ts';

// Tesseract stand-in for readReceiptImage: each mode "reads" the text a test set for it.
const readings = vi.hoisted(() => ({ block: '', column: '', adaptive: '', calls: [] as string[] }));
vi.mock('../../src/extract/ocr/ocr.image.ts', () => ({
  ocrImage: async (_content: Buffer, opts: OcrImageOptions) => {
    const mode = opts.threshold === 'adaptive' ? 'adaptive' : opts.layout === 'column' ? 'column' : 'block';
    readings.calls.push(mode);
    const text = readings[mode];
    return { text, confidence: 0.8, words: 100 };
  },
}));

const ocr = (text: string) => extractReceiptFields(text, { source: 'receipt.jpg', method: 'ocr', page: 1 });

// A printed till receipt as OCR reads it: a cashier's name above the merchant, totals before and
// after cash rounding, cash handed over and change. Written for these tests.
const TILL = `lim mei ling
KEDAI RUNCIT MAJU JAYA SDN BHD
(123456-K)
NO. 12, JALAN MAWAR 3, TAMAN SERI
43000 KAJANG, SELANGOR
TEL: 03-8736 1234
GST REG NO: 001234567890
TAX INVOICE
Doc No: CS00123 Date: 25/12/2018 18:42:10
ITEM QTY PRICE AMOUNT
MILO 1KG 1 24.90 24.90
BREAD 2 3.20 6.40
SUBTOTAL 31.30
GST 6% 1.88
TOTAL INCL. GST 33.18
ROUNDING ADJ 0.02
ROUNDED TOTAL (RM) 33.20
CASH 50.00
CHANGE 16.80
GOODS SOLD ARE NOT RETURNABLE`;

describe('printed receipts read by OCR', () => {
  it('reads the merchant, the date, the rounded total, the subtotal and the tax, each with its line', () => {
    const doc = ocr(TILL);
    expect(doc.kind).toBe('receipt');
    expect(doc.vendor.name).toBe('KEDAI RUNCIT MAJU JAYA SDN BHD');
    expect(doc.issueDate).toBe('2018-12-25');
    expect(doc.total).toBe(33.2);
    expect(doc.subtotal).toBe(31.3);
    expect(doc.tax).toBe(1.88);
    expect(doc.currency).toBe('MYR');
    expect(doc.invoiceNumber).toBe('CS00123');
    expect(doc.method).toBe('ocr');
    expect(doc.evidence.total).toMatchObject({ text: 'ROUNDED TOTAL (RM) 33.20', page: 1 });
    expect(doc.evidence.total!.confidence).toBeGreaterThanOrEqual(0.8);
    expect(doc.evidence['vendor.name']?.text).toBe('KEDAI RUNCIT MAJU JAYA SDN BHD');
    expect(doc.evidence.issueDate?.text).toContain('25/12/2018');
  });

  it('prefers the total after rounding over the total before it, and never takes the cash handed over', () => {
    const doc = ocr(
      'SHOP ENTERPRISE\nTotal RM Incl. of GST 40.99\nRounding Adj 0.01\nTotal RM 41.00\nCash 50.00\nChange 9.00',
    );
    expect(doc.total).toBe(41);
    const paid = ocr('CAFE ENTERPRISE\nTOTAL (INCL GST) RM21.85\nTOTAL PAID RM50.00\nCHANGE RM28.15');
    expect(paid.total).toBe(21.85);
  });

  it('takes GRAND TOTAL, NETT TOTAL, AMOUNT DUE and TOTAL INCL. GST over a subtotal', () => {
    expect(ocr('A SDN BHD\nSub Total 10.00\nService Charge 1.00\nGRAND TOTAL 11.00').total).toBe(11);
    expect(ocr('A SDN BHD\nTotal Amount: $7.40\nGST @6%: 0.42\nNett Total: $7.40\nCASH $7.40').total).toBe(
      7.4,
    );
    expect(ocr('A SDN BHD\nSUB TOTAL 129.30\nAMT DUE 129.30').total).toBe(129.3);
    expect(
      ocr('A SDN BHD\nTotal Qty: 3\nTotal Incl. GST@6% RM 3.90\nCASH RM 4.00\nCHANGE RM 0.10').total,
    ).toBe(3.9);
  });

  it('ignores the tax-summary table and item quantities', () => {
    const doc = ocr(
      'B SDN BHD\nTotal Qty: 2 52.00\nTOTAL 55.10\nCASH 60.00\nCHANGE 4.90\nGST Summary Amount(RM) Tax(RM)\nSR 6% 52.00 3.12\nTotal : 52.00 3.12',
    );
    expect(doc.total).toBe(55.1);
  });

  it('reads totals through OCR noise: O for 0, l for 1, S for 5, a space after the point, a comma for the point', () => {
    expect(ocr('X SDN BHD\nT0TAL RM 1O.5O').total).toBe(10.5);
    expect(ocr('X SDN BHD\nTota1 : l2.00').total).toBe(12);
    expect(ocr('X SDN BHD\nNett Totai: $7.10').total).toBe(7.1);
    expect(ocr('X SDN BHD\nTotal RN 85. 54').total).toBe(85.54);
    expect(ocr('X SDN BHD\nTOTAL: 62, 80').total).toBe(62.8);
    expect(ocr('X SDN BHD\nTOTAL RM 4S.90').total).toBe(45.9);
    expect(ocr('X SDN BHD\nFinal Total —~—~—-35.00').total).toBe(35);
  });

  it('takes a subtotal as the total only when the payment confirms it, and says so', () => {
    const doc = ocr('C SDN BHD\nSUBTOTAL RM53.60\nCASH RM100.00\nCHANGE RM46.40');
    expect(doc.total).toBe(53.6);
    expect(doc.warnings.join(' ')).toMatch(/total not printed/);
    expect(ocr('C SDN BHD\nSUBTOTAL RM53.60').total).toBeNull();
  });

  it('reads a net amount as the total on a till receipt, and as the subtotal when tax is added to it', () => {
    expect(ocr('G SDN BHD\nITEM QTY PRICE AMOUNT\nNET AMT : 53.55').total).toBe(53.55);
    const invoice = ocr('H LTD\nNet amount 100.00\nVAT 19% 19.00\nTotal 119.00');
    expect(invoice).toMatchObject({ total: 119, subtotal: 100, tax: 19 });
  });

  it('doubts a total smaller than one of the items, and says why', () => {
    const doc = ocr('J SDN BHD\nDescription Qty Price\nFried Rice 3 Pax 71.00\nTOTAL 1.00\nCash 71.00');
    expect(doc.total).toBe(1);
    expect(doc.evidence.total!.confidence).toBeLessThan(0.6);
    expect(doc.warnings.join(' ')).toMatch(/less than the line amount 71/);
  });

  it('leaves the total null, with a warning, when nothing says which amount it is', () => {
    const doc = ocr('D SDN BHD\nMILO 24.90\nBREAD 6.40\nTHANK YOU');
    expect(doc.total).toBeNull();
    expect(doc.warnings).toContain('total not found');
  });

  it('skips a cashier name and logo noise above the merchant, and joins a name printed over two lines', () => {
    expect(
      ocr('tan woon yann\nBOOK TA .K (TAMAN DAYA) SDN BHD\n789417-W\nNO.53 55,57 & 59, JALAN SAGU 18').vendor
        .name,
    ).toBe('BOOK TA .K (TAMAN DAYA) SDN BHD');
    expect(ocr('HOME MASTER HARDWARE &\nELECTRICAL\nNO.113G, JALAN SETIA').vendor.name).toBe(
      'HOME MASTER HARDWARE & ELECTRICAL',
    );
    expect(ocr('POPULAR BOOK\nCO. (M) SDN BHD\n(COMPANY NO. 113825-W)').vendor.name).toBe(
      'POPULAR BOOK CO. (M) SDN BHD',
    );
    expect(ocr('g Of Ot 4\n107\nGERBANG RESTAURANTS SDN BHD (65351-M)\nTEL 03-1234').vendor.name).toBe(
      'GERBANG RESTAURANTS SDN BHD',
    );
    expect(ocr('99 SPEED MART S/B (519537-X)\nLOT P.T. 2811').vendor.name).toBe('99 SPEED MART S/B');
  });

  it('leaves the vendor null when the top of the receipt is unreadable', () => {
    const doc = ocr('~~ ,. 3\n12 JALAN 5\nTOTAL 5.00');
    expect(doc.vendor.name).toBeNull();
    expect(doc.warnings).toContain('vendor name not found');
  });

  it('reads the purchase date, not a card expiry', () => {
    const doc = ocr('E SDN BHD\nCard Expiry: 31/05/18\n27/02/18 21:22 Slip No.: 8020188757\nTOTAL 5.00');
    expect(doc.issueDate).toBe('2018-02-27');
  });

  it('reads a date whose separators OCR garbled, on a Date line, only when no line has a readable date', () => {
    // "/" read as "1" and a space inside the month; "/" read as a space.
    expect(ocr('A SDN BHD\nReceipt #: 500093091 Date: 04/1 212017\nTOTAL 5.00').issueDate).toBe('2017-12-04');
    const spaced = ocr('B SDN BHD\nINV NO: CS-0078908 Date: 18 4/2017,\nTOTAL 5.00');
    expect(spaced.issueDate).toBe('2017-04-18');
    expect(spaced.evidence.issueDate!.confidence).toBeLessThan(0.6);
    expect(spaced.warnings.join(' ')).toMatch(/garbled separators or a misread digit/);
    // Next to a clock time, without a label.
    expect(ocr('C SDN BHD\n2511212018 09:12:51\nTOTAL 5.00').issueDate).toBe('2018-12-25');
    // A readable date anywhere wins; digits with no separator at all are no date.
    expect(ocr('D SDN BHD\nDate: 18 4/2017\n19/04/2017 10:02\nTOTAL 5.00').issueDate).toBe('2017-04-19');
    expect(findGarbledDate(' 212017')).toBeNull();
    // Splits that disagree give nothing.
    expect(findGarbledDate(' 5 6 2018 7 8 2019')).toBeNull();
    // One digit misread into an impossible date: a 1 read as a 4.
    expect(ocr('H SDN BHD\nDATE =: 42/13/2016 9:52:15 AM\nTOTAL 5.00').issueDate).toBe('2016-12-13');
    expect(findMisreadDate(' 99/99/2018')).toBeNull();
  });

  it('reads more OCR-damaged dates when no line has a readable one, never as sure', () => {
    // A date before the time whose first separator OCR read as a space or as ". ".
    const spaced = ocr('K SDN BHD\n24 11-17 13:11 SH01 ZT09\nTOTAL 5.00');
    expect(spaced.issueDate).toBe('2017-11-24');
    expect(spaced.evidence.issueDate!.confidence).toBeLessThan(0.6);
    expect(ocr('K SDN BHD\n18. 03-18 15:12 SH01\nTOTAL 5.00').issueDate).toBe('2018-03-18');
    // Neither separator survived: no date.
    expect(findDateBeforeTime('Qty 12 3 18 10:30')).toBeNull();
    // The century misread: a 2 read as a 7.
    expect(ocr('K SDN BHD\nVE0514 Date: 28/08/7017\nTOTAL 5.00').issueDate).toBe('2017-08-28');
    // Separators lost where the two-digit day and month leave one split only.
    expect(ocr('K SDN BHD\nDD: 2808/2017 12:26\nTOTAL 5.00').issueDate).toBe('2017-08-28');
    expect(ocr('K SDN BHD\nDate: 28082017\nTOTAL 5.00').issueDate).toBe('2017-08-28');
  });

  it('ranks each date by its own label: a due date beside the sale date, a label on the line above, a print date', () => {
    // One line, two dates: the due date is skipped, not the whole line.
    expect(ocr('L SDN BHD\nInvoice Date: 01/03/2018 Due Date: 31/03/2018\nTOTAL 5.00').issueDate).toBe(
      '2018-03-01',
    );
    // A "Due" before an amount on the line does not bar the date after its own label.
    expect(ocr('L SDN BHD\nChange Due 0.00 Date: 12/03/2018\nTOTAL 5.00').issueDate).toBe('2018-03-12');
    // The label ends one line, the date starts the next (OCR read label and value as two lines).
    const above = ocr('L SDN BHD\nRef 09/01/2018 10:22\nTarikh :\n08/01/2018\nTOTAL 5.00');
    expect(above.issueDate).toBe('2018-01-08');
    expect(ocr('L SDN BHD\nDue Date:\n31/03/2018\n01/03/2018\nTOTAL 5.00').issueDate).toBe('2018-03-01');
    // A reprint carries the day it was printed again; the sale's own date wins.
    const reprint = ocr('L SDN BHD\nPrint Date: 14/03/2017 10:05\nDate: 13/03/2017 10:00\nTOTAL 5.00');
    expect(reprint.issueDate).toBe('2017-03-13');
  });

  it('reads a date that runs over the end of a line', () => {
    // The year cut after its century: not 2020.
    expect(ocr('M SDN BHD\nRcpt 10-05-20\n17 10:30 Cashier 2\nTOTAL 5.00').issueDate).toBe('2017-05-10');
    // Cut after the day's separator, the rest with another separator.
    expect(ocr('M SDN BHD\nDD: 28.\n08/2017 12:26\nTOTAL 5.00').issueDate).toBe('2017-08-28');
    // A line ending in an ordinary number joins nothing.
    expect(ocr('M SDN BHD\nQty 12\n05/06/2018\nTOTAL 5.00').issueDate).toBe('2018-06-05');
  });

  it('reads a month name with one letter OCR misread, below a clean date and never as sure', () => {
    const doc = ocr('N SDN BHD\n27 Mat 2018 18:46\nTOTAL 5.00');
    expect(doc.issueDate).toBe('2018-03-27');
    expect(doc.evidence.issueDate!.confidence).toBeLessThan(0.6);
    expect(doc.warnings.join(' ')).toMatch(/misread digit or letter/);
    expect(ocr('N SDN BHD\n05 Mat 2018 10:00\n06/03/2018 10:01\nTOTAL 5.00').issueDate).toBe('2018-03-06');
  });

  it('does not count an impossible clock time as the time printed with the sale date', () => {
    const doc = ocr('G SDN BHD\nTOTAL 7.40\n4 63:43am, 21 March, 2012\nServed by 21/03/2018 09:12:51');
    expect(doc.issueDate).toBe('2018-03-21');
  });

  it('warns when a date could be read day-first or month-first', () => {
    const doc = ocr('F SDN BHD\nDate: 03/04/2018\nTOTAL 5.00');
    expect(doc.issueDate).toBe('2018-04-03');
    expect(doc.warnings.join(' ')).toMatch(/day\/month or month\/day/);
  });

  it('reads a German till receipt: EUR, MwSt, dotted date', () => {
    const doc = ocr(
      'Bäckerei Müller GmbH\nHauptstraße 5, 10115 Berlin\nDatum: 05.03.2024 08:12\n2x Brötchen 0,90\nSumme EUR 3,40\nenthaltene MwSt 7% 0,22\nBar 5,00\nRückgeld 1,60',
    );
    expect(doc).toMatchObject({ total: 3.4, tax: 0.22, issueDate: '2024-03-05', currency: 'EUR' });
    expect(doc.vendor.name).toBe('Bäckerei Müller GmbH');
    expect(doc.warnings).toEqual([]);
  });
});

const SAAS_TEXT = `Receipt from Acme Cloud, Inc.
Receipt #1842-0193

Amount paid $29.00
Date paid March 9, 2026
Payment method Visa - 4242

Summary
Pro plan (Mar 9 – Apr 9, 2026) $29.00
Amount charged $29.00

Questions? Contact us at billing@acme.example`;

const SAAS_HTML = `<html><body><table>
<tr><td><h1>Receipt from Acme Cloud, Inc.</h1></td></tr>
<tr><td>Receipt #1842-0193</td></tr>
<tr><td>Amount paid</td><td>$29.00</td></tr>
<tr><td>Date paid</td><td>March 9, 2026</td></tr>
<tr><td>Payment method</td><td>Visa &ndash; 4242</td></tr>
</table><table><tr><td>Pro plan &times; 1</td><td>$29.00</td></tr><tr><td><b>Total</b></td><td>$29.00</td></tr></table>
</body></html>`;

describe('receipts that arrive as a mail body', () => {
  it('reads a SaaS receipt in text: merchant, number, amount paid, date paid', () => {
    const doc = extractReceiptFields(SAAS_TEXT, { source: 'message body', method: 'text' });
    expect(doc).toMatchObject({
      kind: 'receipt',
      vendor: { name: 'Acme Cloud, Inc.' },
      invoiceNumber: '1842-0193',
      issueDate: '2026-03-09',
      total: 29,
      currency: 'USD',
      method: 'text',
    });
    expect(doc.evidence.issueDate).toMatchObject({ text: 'Date paid March 9, 2026', page: null });
    expect(doc.warnings).toContain('currency: "$" alone read as USD');
  });

  it('reads the same receipt in HTML', () => {
    const doc = extractReceiptFields(SAAS_HTML, { source: 'message body', method: 'html' });
    expect(doc).toMatchObject({
      vendor: { name: 'Acme Cloud, Inc.' },
      total: 29,
      issueDate: '2026-03-09',
      invoiceNumber: '1842-0193',
    });
  });

  it('does not take a greeting for the merchant', () => {
    const doc = extractReceiptFields(
      'Hi Sam,\nThanks for your order!\nTotal: €12.50\nOrdered on 2 May 2025',
      {
        source: 'message body',
        method: 'text',
      },
    );
    expect(doc.vendor.name).toBeNull();
    expect(doc).toMatchObject({ total: 12.5, currency: 'EUR', issueDate: '2025-05-02' });
  });

  it('calls a bill that asks for payment an invoice, and one that was paid a receipt', () => {
    const bill = 'INVOICE\nNorthwind Ltd\nInvoice No: 2024-0042\nDue date: 31/03/2024\nAmount due $500.00';
    expect(extractReceiptFields(bill, { source: 'b', method: 'text' }).kind).toBe('invoice');
    expect(extractReceiptFields(SAAS_TEXT, { source: 'b', method: 'text' }).kind).toBe('receipt');
  });

  it('returns an empty receipt with a warning for empty text', () => {
    const doc = extractReceiptFields('  \n ', { source: 'blank.png', method: 'ocr' });
    expect(doc).toMatchObject({ kind: 'receipt', total: null, issueDate: null, vendor: { name: null } });
    expect(doc.warnings).toEqual(['no text to read']);
  });
});

describe('amounts and dates', () => {
  it('reads both decimal conventions and keeps a quantity apart from a price', () => {
    expect(findAmounts('Total EUR 1.190,00').map((a) => a.value)).toEqual([1190]);
    expect(findAmounts('Total 1,190.00').map((a) => a.value)).toEqual([1190]);
    expect(findAmounts('Total: 1 190,00 €').map((a) => a.value)).toEqual([1190]);
    expect(findAmounts('Qty 1 100.00').map((a) => a.value)).toEqual([100]);
    expect(findAmounts('Rounding -0.02').map((a) => a.value)).toEqual([-0.02]);
    expect(findAmounts('Date 25/12/2018 8:13 PM 12.05.2018')).toEqual([]);
    expect(findAmounts('GST @6% 0.42')[0]?.value).toBe(0.42);
  });

  it.each([
    ['25/12/2018', '2018-12-25'],
    ['25-12-18', '2018-12-25'],
    ['25 DEC 2018', '2018-12-25'],
    ['05-AUG-2017', '2017-08-05'],
    ['15/APR/2017', '2017-04-15'],
    ['2018-12-25', '2018-12-25'],
    ['12/13/2016', '2016-12-13'],
    ['March 9, 2026', '2026-03-09'],
    ['9. März 2026', '2026-03-09'],
    ['1er mars 2026', '2026-03-01'],
    ['9 maart 2026', '2026-03-09'],
    ['9 de marzo de 2026', '2026-03-09'],
    ['2O/O3/2018', '2018-03-20'],
    ['Dec 25,2018', '2018-12-25'],
    ['25/12/201810:30:12', '2018-12-25'],
  ])('reads the receipt date %s as %s', (text, iso) => {
    expect(findDates(text)[0]?.iso).toBe(iso);
  });

  it.each([
    // A month name glued to the day or the year: its O, D, S or l must not become a digit.
    ['12OCT2018', '2018-10-12'],
    ['05DEC2017', '2017-12-05'],
    ['28SEP18', '2018-09-28'],
    ['05Jul2018 14:02', '2018-07-05'],
    // Malay month names.
    ['Tarikh: 12 Mac 2018', '2018-03-12'],
    ['3 Ogos 2017', '2017-08-03'],
    ['1 Julai 2018', '2018-07-01'],
    ['25 Disember 2017', '2017-12-25'],
    // A time glued to the date, after a four- or a two-digit year.
    ['2018-01-0522:55:25', '2018-01-05'],
    ['26/02/1808:28', '2018-02-26'],
    ['25/12/2019:30', '2019-12-25'],
    // Two different separators, long dashes, Z for 2, a label's dash before the date.
    ['28.08/2017', '2017-08-28'],
    ['25—12—2018', '2018-12-25'],
    ['Z5/1Z/Z018', '2018-12-25'],
    ['Date:-25/12/2018', '2018-12-25'],
  ])('reads the OCR-damaged date %s as %s', (text, iso) => {
    expect(findDates(text)[0]?.iso).toBe(iso);
  });

  it('reads a month name with one letter misread the way OCR misreads it, only when one month fits', () => {
    expect(findDates('27 Mat 2018')[0]).toMatchObject({ iso: '2018-03-27', damaged: true });
    expect(misreadMonth('N0V')).toBe(11);
    expect(misreadMonth('AU6')).toBe(8);
    expect(misreadMonth('Jui')).toBe(7);
    // "Jon": January or June.
    expect(misreadMonth('Jon')).toBeUndefined();
    expect(findDates('12 Jon 2018')).toEqual([]);
    // Words that are no month: too far from one, or not letters.
    expect(findDates('3 pcs 2018')).toEqual([]);
    expect(findDates('Lot 12 Jln 2018')).toEqual([]);
    expect(findDates('12 345 2018')).toEqual([]);
    // A clean month name is never "damaged".
    expect(findDates('27 Mar 2018')[0]?.damaged).toBeUndefined();
  });

  it('reads YYYYMMDD only next to a date label, and no impossible dates', () => {
    expect(findDates('20180428')).toEqual([]);
    expect(findDates('20180428', { compact: true })[0]?.iso).toBe('2018-04-28');
    expect(findDates('31/02/2018')).toEqual([]);
    expect(findDates('TEL: 03-3271 9872')).toEqual([]);
    // A two-digit year from 50 up is 19xx, before any receipt here: "72" is a misread year, not 2072.
    expect(findDates('DATE : 12/13/72 9:52:15 AM')).toEqual([]);
    expect(findDates('05/03/49')[0]?.iso).toBe('2049-03-05');
  });

  it('reads an amount after a currency mark through look-alike letters and a space after the point', () => {
    expect(findAmounts('CASH RMS. OO').map((a) => a.value)).toEqual([5]);
    expect(findAmounts('GST 6% RMO. 28').map((a) => a.value)).toEqual([0.28]);
    expect(findAmounts('NO. OF ITEMS FORMS. OO')).toEqual([]);
  });
});

describe('two OCR readings of one receipt', () => {
  it('takes each field, with its evidence and warnings, from the reading that is surer of it', () => {
    const first = ocr('tan woon yann\n~~ %% 12\nDate: 25/12/2018\nTOTAL 1.00\nlNEM 71.00');
    const second = ocr(
      'KEDAI MAJU SDN BHD\nDate: 25/12/2O18\nSUBTOTAL 71.00\nROUNDED TOTAL 71.00\nCASH 100.00\nCHANGE 29.00',
    );
    expect(worthSecondReading(first)).toBe(true);
    const merged = mergeReadings(first, second);
    expect(merged).toMatchObject({
      total: 71,
      issueDate: '2018-12-25',
      vendor: { name: 'KEDAI MAJU SDN BHD' },
    });
    expect(merged.evidence.total?.text).toBe('ROUNDED TOTAL 71.00');
    expect(merged.warnings.some((w) => w.startsWith('total'))).toBe(false);
    expect(first.total).toBe(1);
  });

  it('reads the image a third time, adaptively, when both readings lost the total or the date', async () => {
    readings.block = 'KEDAI MAJU SDN BHD\nDate: 25/12/2018\nTOTAL ~~ .';
    readings.column = 'KEDAI MAJU SDN BHD\nTOTAL';
    readings.adaptive = 'KEDAI MAJU SDN BHD\nDate: 25/12/2018\nTOTAL RM 9.00\nCASH 10.00\nCHANGE 1.00';
    readings.calls = [];
    const read = await readReceiptImage(Buffer.from('image'), { source: 'r.jpg' });
    expect(readings.calls).toEqual(['block', 'column', 'adaptive']);
    expect(read.passes).toBe(3);
    expect(read.document).toMatchObject({ total: 9, issueDate: '2018-12-25' });
    // Found by the second reading: no third.
    readings.column = readings.adaptive;
    readings.calls = [];
    expect((await readReceiptImage(Buffer.from('image'), { source: 'r.jpg' })).passes).toBe(2);
    expect(readings.calls).toEqual(['block', 'column']);
  });

  it('keeps the first reading when it is already sure', () => {
    const first = ocr(TILL);
    expect(worthSecondReading(first)).toBe(false);
    expect(mergeReadings(first, ocr('X SDN BHD\nTOTAL 5.00'))).toEqual(first);
  });
});
