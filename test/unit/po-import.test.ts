import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { detectDecimalMark, parseDecimal } from '../../src/skills/invoices/csv.numbers.ts';
import { parsePurchaseOrdersCsv } from '../../src/skills/invoices/po.csv.ts';
import { importPurchaseOrders } from '../../src/skills/invoices/po.import.ts';
import { memoryDb, resetDb } from '../support/pglite.ts';

describe('amounts in CSV', () => {
  it('reads grouped and plain numbers with either decimal mark', () => {
    expect(parseDecimal('1.234,56', ',')).toBe(1234.56);
    expect(parseDecimal('1 234,5', ',')).toBe(1234.5);
    expect(parseDecimal('1,234.56', '.')).toBe(1234.56);
    expect(parseDecimal("1'234.56", '.')).toBe(1234.56);
    expect(parseDecimal('1000', '.')).toBe(1000);
    expect(parseDecimal('1.234.5', '.')).toBeNull();
    expect(parseDecimal('12,34', '.')).toBeNull();
  });

  it('decides the decimal mark from the values that give it away, else from the fallback', () => {
    expect(detectDecimalMark(['1.000', '250,50'], '.')).toBe(',');
    expect(detectDecimalMark(['1,000', '250.50'], ',')).toBe('.');
    expect(detectDecimalMark(['1000', '2000'], ',')).toBe(',');
  });
});

describe('parsing a PO export', () => {
  it('reads German headers, semicolons and decimal commas', () => {
    const csv =
      '\uFEFFBestellnummer;Lieferant;USt-IdNr.;Betrag;Währung;Status\r\n' +
      'PO-4711;ACME GmbH;DE 123 456 789;1.190,00;EUR;offen\r\n' +
      'PO-4712;Globex AG;;250,5;EUR;erledigt\r\n';
    const r = parsePurchaseOrdersCsv(csv);
    expect(r).toMatchObject({ delimiter: ';', decimalMark: ',', errors: [] });
    expect(r.rows).toEqual([
      expect.objectContaining({
        line: 2,
        number: 'PO-4711',
        numberKey: '4711',
        vendorName: 'ACME GmbH',
        vendorTaxId: 'DE123456789',
        amount: 1190,
        currency: 'EUR',
        status: 'open',
      }),
      expect.objectContaining({
        line: 3,
        number: 'PO-4712',
        amount: 250.5,
        status: 'closed',
        vendorTaxId: null,
      }),
    ]);
  });

  it('reads English headers, commas, quoted fields and decimal points', () => {
    const csv =
      'PO Number,Vendor,Amount,Currency,Description\n' +
      '4500012345,"Initech, Inc.","1,250.00",USD,"Staplers, red"\n' +
      '4500012346,Initech Inc.,$99.90,,\n';
    const r = parsePurchaseOrdersCsv(csv);
    expect(r).toMatchObject({ delimiter: ',', decimalMark: '.', errors: [] });
    expect(r.rows.map((x) => [x.number, x.vendorName, x.amount, x.currency, x.description])).toEqual([
      ['4500012345', 'Initech, Inc.', 1250, 'USD', 'Staplers, red'],
      ['4500012346', 'Initech Inc.', 99.9, 'USD', null],
    ]);
  });

  it('reads tab-separated files', () => {
    const r = parsePurchaseOrdersCsv('order\tsupplier\ttotal\nA-1\tHooli\t10.5\n');
    expect(r.delimiter).toBe('\t');
    expect(r.rows[0]).toMatchObject({ number: 'A-1', vendorName: 'Hooli', amount: 10.5 });
  });

  it('reports every bad line with its number and imports the rest', () => {
    const csv = [
      'PO;Vendor;Amount;Currency;Status',
      'PO-1;ACME;100,00;EUR;open',
      'PO-2;ACME;zehn;EUR;open',
      ';ACME;5,00;EUR;open',
      'PO-3;ACME;1,00;EUR',
      'PO-4;ACME;1,00;EURO;open',
      'PO-5;ACME;1,00;EUR;maybe',
      'PO-1;ACME;7,00;EUR;open',
      'PO-6;ACME;-3,00;EUR;open',
      'PO-7;ACME;12,50;EUR;closed',
    ].join('\n');
    const r = parsePurchaseOrdersCsv(csv);
    expect(r.rows.map((x) => x.number)).toEqual(['PO-1', 'PO-7']);
    expect(r.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(r.errors[0]!.message).toBe('amount "zehn" is not a number in this file\'s format (decimal comma)');
    expect(r.errors[1]!.message).toBe('the PO number is empty');
    expect(r.errors[2]!.message).toBe('expected 5 fields, found 4');
    expect(r.errors[5]!.message).toBe('PO PO-1 is already on line 2; this line was not imported');
  });

  it('a broken quote is reported with the lines it swallowed', () => {
    const r = parsePurchaseOrdersCsv('PO,Vendor,Amount\nPO-1,ACME,1.00\nPO-2,"ACME,2.00\nPO-3,ACME,3.00\n');
    expect(r.rows.map((x) => x.number)).toEqual(['PO-1']);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ line: 3 });
    expect(r.errors[0]!.message).toMatch(/^lines 3–\d could not be read/);
  });

  it('a file without a PO number or amount column says which headers it saw', () => {
    const r = parsePurchaseOrdersCsv('Vendor,Notes\nACME,x\n');
    expect(r.rows).toEqual([]);
    expect(r.errors[0]!.message).toBe('no column for the PO number or the amount (headers: Vendor, Notes)');
  });
});

describe('importing purchase orders (PGlite)', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await memoryDb();
  }, 30_000);
  afterAll(async () => h?.close());
  beforeEach(async () => resetDb(h));

  const csv =
    'PO;Vendor;Amount;Currency;Status\nPO-1;ACME GmbH;100,00;EUR;open\nPO-2;ACME GmbH;200,00;EUR;open\nPO-x;ACME;bad;EUR;open\n';

  it('is idempotent by PO number, updates what changed, and returns the bad lines', async () => {
    const first = await importPurchaseOrders(h.db, csv, 'po.csv');
    expect(first).toMatchObject({ imported: 2, updated: 0, unchanged: 0 });
    expect(first.errors).toEqual([{ line: 4, message: expect.stringContaining('"bad"') }]);
    const again = await importPurchaseOrders(h.db, csv, 'po.csv');
    expect(again).toMatchObject({ imported: 0, updated: 0, unchanged: 2 });
    const closed = await importPurchaseOrders(
      h.db,
      'po number,vendor,amount,currency,status\npo 1,ACME GmbH,100.00,EUR,closed\n',
      'po-en.csv',
    );
    expect(closed).toMatchObject({ imported: 0, updated: 1 });
    const rows = await h.db
      .selectFrom('purchase_orders')
      .select(['number', 'number_key', 'status', 'vendor_key', 'imported_from'])
      .orderBy('number_key')
      .execute();
    expect(rows).toEqual([
      { number: 'po 1', number_key: '1', status: 'closed', vendor_key: 'acme', imported_from: 'po-en.csv' },
      { number: 'PO-2', number_key: '2', status: 'open', vendor_key: 'acme', imported_from: 'po.csv' },
    ]);
    const journal = await h.db
      .selectFrom('journal')
      .select('reason')
      .where('action', '=', 'purchase_orders_imported')
      .execute();
    expect(journal).toHaveLength(3);
  });
});
