import { describe, expect, it } from 'vitest';
import { extractReceiptFields } from '../../src/extract/receipt/receipt.extract.ts';

const ocr = (text: string) => extractReceiptFields(text, { source: 'receipt.jpg', method: 'ocr', page: 1 });

// Lines as tesseract reads faint till receipts: written for these tests, not taken from a corpus.
describe('receipt totals through OCR damage', () => {
  it('reads two label–amount pairs printed side by side on one line', () => {
    const doc = ocr(
      'A SDN BHD\nITEM: 2 TOTAL WITH GST @ 6% 6.83\nQTY: 3 ROUNDING 0.02\nTOTAL SAVING: 0.00 TOTAL 6.85',
    );
    expect(doc.total).toBe(6.85);
    expect(doc.evidence.total?.text).toBe('TOTAL SAVING: 0.00 TOTAL 6.85');
    // Cash and change on one row confirm the total.
    const paired = ocr('B SDN BHD\nTOTAL 12.00 GRAND TOTAL 41.00\nCash 50.00 Change 9.00');
    expect(paired.total).toBe(41);
    // An item row or a tax-summary row keeps its single label.
    expect(ocr('C SDN BHD\nTOTAL 55.10\nGST Summary Amount Tax\nTotal : 52.00 3.12').total).toBe(55.1);
  });

  it('takes the amount below a rounding adjustment as the rounded total when its label is unreadable', () => {
    const doc = ocr(
      'D SDN BHD\nTotal Amt incl GST @ 6% - 7.42\nRounding Adjustment; {0.013\nFol Art Feyable 7.40\nThank you',
    );
    expect(doc.total).toBe(7.4);
    expect(doc.warnings.join(' ')).toMatch(/total label unreadable/);
    expect(doc.evidence.total!.confidence).toBeLessThanOrEqual(0.65);
    // After a subtotal with no tax, the rounded total may equal it.
    expect(ocr('E SDN BHD\nSubTotal: 635.00\nRounding Aq : 0.00\n@s! incusive GST: C 635.00').total).toBe(
      635,
    );
    // A payment below the rounding line is not the total, nor is an amount far from every total.
    expect(ocr('F SDN BHD\nSub Total 7.42\nRounding Adj 0.0?\nCash 10.00').total).toBeNull();
    expect(ocr('F SDN BHD\nSub Total 7.42\nRounding Adj 0.0?\nXo1 3.00').total).toBeNull();
  });

  it('takes cash minus change over a printed total that nothing confirms, when the receipt prints that amount', () => {
    const doc = ocr(
      'G SDN BHD\nFried Rice 3 Pax 71.00\n1 Item (Inclusive of GST) 71.00\nRound Amt 0.00\nTOTAL 1.00\nCash Received 101.00\nChange 30.00',
    );
    expect(doc.total).toBe(71);
    expect(doc.evidence.total?.text).toBe('1 Item (Inclusive of GST) 71.00');
    expect(doc.warnings.join(' ')).toMatch(/cash − change/);
    // Cash minus change printed nowhere else proves nothing against the printed total.
    expect(
      ocr('H SDN BHD\nTOTAL RM 12.37\nROUNDING ADJ RM -0.02\nCASH RM 50.00\nCHANGE RM 37.65').total,
    ).toBe(12.37);
    // A total the arithmetic confirms stays.
    expect(
      ocr('I SDN BHD\nITEM 5.00\nSUBTOTAL 4.72\nGST 0.28\nTOTAL 5.00\nCASH 20.00\nCHANGE 10.00').total,
    ).toBe(5);
  });

  it('reads "TOTAL PAID" above the change as the cash handed over, with the rounding in between', () => {
    const doc = ocr(
      'J SDN BHD\nTOTAL (INCL GST) RM21.83\nROUNDING RM0.02\nRM21.85\nGRAND TOTAL\nTOTAL PAID RM50.00\nCHANGE RM28.15',
    );
    expect(doc.total).toBe(21.85);
    // Without the rounded total printed, the total is the one printed, never the cash.
    expect(ocr('J SDN BHD\nTOTAL 21.83\nROUNDING 0.02\nTOTAL PAID 50.00\nCHANGE 28.15').total).toBe(21.83);
  });

  it('finds the total in the payment when no total label survived', () => {
    const doc = ocr('K SDN BHD\nTEH TARIK 2 3.40\nFotel ~~ 3.40\nCASH 10.00\nCHANGE 6.60');
    expect(doc.total).toBe(3.4);
    expect(doc.warnings.join(' ')).toMatch(/total label unreadable/);
  });

  it('reads an amount "excluding tax" as the subtotal, whatever noun it carries', () => {
    const doc = ocr('M SDN BHD\nAMT PAID INCL GST : RM111.90\nAMT PAID EXCL. GST :RM 105.57\nGST 6% RM6.33');
    expect(doc).toMatchObject({ total: 111.9, subtotal: 105.57, tax: 6.33 });
  });

  it('takes an unlabelled amount equal to subtotal plus tax as the total when no total label survived', () => {
    const doc = ocr(
      'N SDN BHD\nSUB TOTAL : RM 68.87\nSERVICE CHARGE : RM 0.00\nGST/TAX 6% : RM 4.13\nTO : RM 73.00',
    );
    expect(doc.total).toBe(73);
    expect(doc.warnings.join(' ')).toMatch(/subtotal plus the tax/);
    // Without tax, a subtotal printed twice proves nothing.
    expect(ocr('N SDN BHD\nSUB TOTAL 68.87\nXQ 68.87').total).toBeNull();
    // A partial sum never overrules the printed total.
    expect(
      ocr(
        'O SDN BHD\nTotal 6% supplies (excl. GST): 30.28\nGST: 1.82\nL 6% supplies (Inc. GST): 32.10\nTotal Payable: 59.54',
      ).total,
    ).toBe(59.54);
  });

  it('reads a total that lost its decimal point only when cash minus change confirms it', () => {
    const doc = ocr('L SDN BHD\nTOTAL SAVING: 0,00 TOTAL 685 —\nCash 20.00\nCHANGE 1315');
    expect(doc.total).toBe(6.85);
    expect(doc.warnings.join(' ')).toMatch(/without its decimal point/);
    expect(ocr('L SDN BHD\nTOTAL 685\nCash 20.00').total).toBeNull();
    expect(ocr('L SDN BHD\nTOTAL 685\nCash 20.00\nCHANGE 13.00').total).toBeNull();
    expect(ocr('L SDN BHD\nTotal Qty 3\nCash 20.00\nCHANGE 19.97').total).toBeNull();
  });
});
