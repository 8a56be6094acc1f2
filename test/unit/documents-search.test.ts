import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { toCsv } from '../../src/skills/invoices/csv.write.ts';
import { recordInvoice } from '../../src/skills/invoices/invoice.usecase.ts';
import { exportInvoicesCsv, searchDocuments, toPrefixQuery } from '../../src/skills/invoices/search.ts';
import { memoryDb, resetDb } from '../support/pglite.ts';
import { fixedClock, invoiceDoc, newMessage } from './builders/invoice.builder.ts';

describe('search queries and CSV cells', () => {
  it('every query word becomes a folded prefix; punctuation cannot reach the tsquery syntax', () => {
    expect(toPrefixQuery('Müller  2024-0042')).toBe("'muller':* & '2024':* & '0042':*");
    expect(toPrefixQuery("a' | !b & (c)")).toBe("'a':* & 'b':* & 'c':*");
    expect(toPrefixQuery(' ,; ')).toBeNull();
  });

  it('quotes what RFC 4180 requires, ends lines in CRLF, and defuses spreadsheet formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x, "y"', '=HYPERLINK("http://evil")'],
          [{ number: '-10.00' }, null],
        ],
      ),
    ).toBe('a,b\r\n"x, ""y""","\'=HYPERLINK(""http://evil"")"\r\n-10.00,\r\n');
  });
});

describe('documents search and export (PGlite)', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await memoryDb();
  }, 30_000);
  afterAll(async () => h?.close());
  const clock = fixedClock('2024-03-05T10:00:00Z');
  const file = async (doc: ReturnType<typeof invoiceDoc>, at: string, text = '') => {
    clock.set(at);
    return recordInvoice(h.db, {
      doc,
      messageId: await newMessage(h),
      attachmentSha256: `${doc.source}-${at}`,
      filename: doc.source,
      clock,
      text,
    });
  };

  beforeEach(async () => {
    await resetDb(h);
    await file(invoiceDoc(), '2024-03-02T09:00:00Z', 'Rechnung Nr. 2024-0042 Beratungsleistungen März');
    await file(
      invoiceDoc({
        source: 'mueller.pdf',
        vendor: { name: 'Müller Bürobedarf', taxId: 'DE999999999' },
        invoiceNumber: 'MB/77',
        issueDate: '2024-02-20',
        dueDate: '2024-03-20',
        subtotal: 50,
        tax: 9.5,
        total: 59.5,
        lines: [],
        iban: null,
      }),
      '2024-03-03T09:00:00Z',
    );
    await file(
      invoiceDoc({
        source: 'lease.pdf',
        kind: 'contract',
        vendor: { name: 'Office Space Ltd', taxId: null },
        invoiceNumber: null,
        total: null,
        subtotal: null,
        tax: null,
        iban: null,
        lines: [],
        parties: ['Office Space Ltd', 'Northwind GmbH'],
        keyDates: [{ label: 'renewal notice', date: '2024-09-30', evidence: 'notice by 30 Sep 2024' }],
      }),
      '2024-03-04T09:00:00Z',
      'Lease agreement for the office at Hauptstraße 1',
    );
  });

  it('finds a document by its vendor, newest first', async () => {
    const hits = await searchDocuments(h.db, 'acme');
    expect(hits.map((x) => x.filename)).toEqual(['invoice.pdf']);
    expect(hits[0]).toMatchObject({
      vendorName: 'ACME GmbH',
      invoiceNumber: '2024-0042',
      total: 1190,
      currency: 'EUR',
      status: 'received',
    });
  });

  it('finds by invoice number as written or with other separators, and by word prefix in the text', async () => {
    expect((await searchDocuments(h.db, '2024-0042')).map((x) => x.filename)).toEqual(['invoice.pdf']);
    expect((await searchDocuments(h.db, 'MB 77')).map((x) => x.filename)).toEqual(['mueller.pdf']);
    const hit = await searchDocuments(h.db, 'beratung');
    expect(hit.map((x) => x.filename)).toEqual(['invoice.pdf']);
    expect(hit[0]!.snippet).toContain('Beratungsleistungen');
  });

  it('ignores accents and case: "mueller" is not "müller", but "MULLER" and "Müller" are', async () => {
    expect((await searchDocuments(h.db, 'MULLER')).map((x) => x.filename)).toEqual(['mueller.pdf']);
    expect((await searchDocuments(h.db, 'Müller bürobedarf')).map((x) => x.filename)).toEqual([
      'mueller.pdf',
    ]);
    expect((await searchDocuments(h.db, 'hauptstrasse')).map((x) => x.filename)).toEqual(['lease.pdf']);
  });

  it('finds non-invoice documents by party and shows their key dates; filters by kind', async () => {
    const [lease] = await searchDocuments(h.db, 'office space');
    expect(lease).toMatchObject({ kind: 'contract', invoiceId: null, vendorName: 'Office Space Ltd' });
    expect(lease!.keyDates).toEqual([{ label: 'renewal notice', date: '2024-09-30' }]);
    expect((await searchDocuments(h.db, '', { kinds: ['contract'] })).map((x) => x.filename)).toEqual([
      'lease.pdf',
    ]);
  });

  it('an empty query lists everything, newest first; all words must match', async () => {
    expect((await searchDocuments(h.db, '')).map((x) => x.filename)).toEqual([
      'lease.pdf',
      'mueller.pdf',
      'invoice.pdf',
    ]);
    expect(await searchDocuments(h.db, 'acme lease')).toEqual([]);
  });

  it('exports one RFC 4180 row per invoice with the columns an accountant needs', async () => {
    const csv = await exportInvoicesCsv(h.db);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      Vendor: 'Müller Bürobedarf',
      'Vendor tax ID': 'DE999999999',
      'Invoice number': 'MB/77',
      'Issue date': '2024-02-20',
      Currency: 'EUR',
      Net: '50.00',
      Tax: '9.50',
      Gross: '59.50',
      Status: 'received',
      File: 'mueller.pdf',
    });
    expect(rows[1]).toMatchObject({ Vendor: 'ACME GmbH', Gross: '1190.00', IBAN: 'DE89370400440532013000' });
    const march = parse(await exportInvoicesCsv(h.db, { from: '2024-03-01' }), { columns: true });
    expect(march).toHaveLength(1);
  });
});
