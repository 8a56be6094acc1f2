import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { arithmeticChecks } from '../../src/skills/invoices/checks.arithmetic.ts';
import { dateChecks } from '../../src/skills/invoices/checks.dates.ts';
import { type EarlierInvoice, historyChecks } from '../../src/skills/invoices/checks.history.ts';
import { ibanChecks, maskIban, taxIdCountry } from '../../src/skills/invoices/checks.iban.ts';
import { type CheckResult, DEFAULT_CHECK_SETTINGS, riskOf } from '../../src/skills/invoices/checks.model.ts';
import { type PurchaseOrder, poChecks } from '../../src/skills/invoices/checks.po.ts';
import { recordInvoice } from '../../src/skills/invoices/invoice.usecase.ts';
import { importPurchaseOrders } from '../../src/skills/invoices/po.import.ts';
import { confirmBankAccount } from '../../src/skills/invoices/vendors.ts';
import { memoryDb, resetDb } from '../support/pglite.ts';
import { fixedClock, IBAN, invoiceDoc, newMessage } from './builders/invoice.builder.ts';

const S = DEFAULT_CHECK_SETTINGS;
const byId = (checks: CheckResult[], id: string) => checks.find((c) => c.check === id)!;

describe('arithmetic checks', () => {
  it('when lines, subtotal, tax and total agree, every arithmetic check passes', () => {
    const checks = arithmeticChecks(invoiceDoc());
    expect(checks.map((c) => [c.check, c.ok])).toEqual([
      ['arithmetic.lines', true],
      ['arithmetic.total', true],
      ['arithmetic.line_items', true],
    ]);
  });

  it('when subtotal plus tax misses the total by more than a cent, it warns with both figures', () => {
    const c = byId(arithmeticChecks(invoiceDoc({ total: 1190.5 })), 'arithmetic.total');
    expect(c).toMatchObject({ ok: false, severity: 'warn' });
    expect(c.message).toContain('EUR 1,190.00');
    expect(c.message).toContain('EUR 1,190.50');
  });

  it('a one-cent rounding difference in the total passes', () => {
    expect(byId(arithmeticChecks(invoiceDoc({ tax: 189.99 })), 'arithmetic.total').ok).toBe(true);
  });

  it('line sums may round by two cents per line, not more', () => {
    const lines = [
      { description: 'a', quantity: null, unitPrice: null, amount: 333.33 },
      { description: 'b', quantity: null, unitPrice: null, amount: 333.33 },
      { description: 'c', quantity: null, unitPrice: null, amount: 333.3 },
    ];
    expect(byId(arithmeticChecks(invoiceDoc({ lines })), 'arithmetic.lines').ok).toBe(true);
    const off = lines.map((l, i) => (i === 0 ? { ...l, amount: 330 } : l));
    expect(byId(arithmeticChecks(invoiceDoc({ lines: off })), 'arithmetic.lines')).toMatchObject({
      ok: false,
      severity: 'warn',
    });
  });

  it('gross line prices that add up to the total pass (receipts)', () => {
    const lines = [{ description: 'Coffee', quantity: 1, unitPrice: 1190, amount: 1190 }];
    expect(byId(arithmeticChecks(invoiceDoc({ lines })), 'arithmetic.lines').ok).toBe(true);
  });

  it('quantity × unit price that does not make the line amount is named', () => {
    const lines = [{ description: 'Consulting', quantity: 10, unitPrice: 100, amount: 900 }];
    const c = byId(
      arithmeticChecks(invoiceDoc({ lines, subtotal: 900, tax: 171, total: 1071 })),
      'arithmetic.line_items',
    );
    expect(c).toMatchObject({ ok: false, severity: 'warn' });
    expect(c.message).toContain('Consulting');
  });

  it('missing numbers make a check unanswerable (null), with the reason', () => {
    const checks = arithmeticChecks(invoiceDoc({ total: null, lines: [] }));
    expect(byId(checks, 'arithmetic.total')).toMatchObject({
      ok: null,
      message: 'The total could not be read.',
    });
    expect(byId(checks, 'arithmetic.lines').ok).toBeNull();
  });
});

describe('date checks', () => {
  it('a due date before the issue date warns', () => {
    const c = byId(dateChecks(invoiceDoc({ dueDate: '2024-02-01' }), '2024-03-05', 1), 'dates.order');
    expect(c).toMatchObject({ ok: false, severity: 'warn' });
  });

  it('an issue date more than a day ahead is in the future; tomorrow is not', () => {
    expect(
      byId(dateChecks(invoiceDoc({ issueDate: '2024-03-07' }), '2024-03-05', 1), 'dates.issue_not_future').ok,
    ).toBe(false);
    expect(
      byId(dateChecks(invoiceDoc({ issueDate: '2024-03-06' }), '2024-03-05', 1), 'dates.issue_not_future').ok,
    ).toBe(true);
  });

  it('a passed due date is reported as information', () => {
    const c = byId(dateChecks(invoiceDoc({ dueDate: '2024-03-02' }), '2024-03-05', 1), 'dates.overdue');
    expect(c).toMatchObject({ ok: false, severity: 'info' });
    expect(c.message).toContain('3 day(s) ago');
  });
});

describe('IBAN checks', () => {
  it('a valid IBAN passes and its masked form shows only country and last four', () => {
    expect(ibanChecks(invoiceDoc(), 'DE123456789').map((c) => c.ok)).toEqual([true, true]);
    expect(maskIban('DE89 3704 0044 0532 0130 00')).toBe('DE…3000');
  });

  it('a broken checksum is high severity', () => {
    const [c] = ibanChecks(invoiceDoc({ iban: 'DE89370400440532013001' }), null);
    expect(c).toMatchObject({ check: 'iban.checksum', ok: false, severity: 'high' });
    expect(c!.message).toContain('checksum');
  });

  it("an IBAN in another country than the vendor's tax id warns", () => {
    const c = byId(ibanChecks(invoiceDoc({ iban: IBAN.lithuania }), null), 'iban.country');
    expect(c).toMatchObject({ ok: false, severity: 'warn' });
    expect(taxIdCountry('EL123456789')).toBe('GR');
  });
});

const earlier = (o: Partial<EarlierInvoice> = {}): EarlierInvoice => ({
  id: '7',
  documentId: '7',
  kind: 'invoice',
  number: '2024-0041',
  issueDate: '2024-02-01',
  receivedOn: '2024-02-02',
  currency: 'EUR',
  total: 1190,
  status: 'paid',
  filename: 'feb.pdf',
  ...o,
});
const vendor = { id: '1', name: 'ACME GmbH' };
const history = (o: Partial<Parameters<typeof historyChecks>[0]> = {}) =>
  historyChecks({
    doc: invoiceDoc(),
    kind: 'invoice',
    today: '2024-03-05',
    vendor,
    history: [],
    sameFile: [],
    accounts: [],
    settings: S,
    ...o,
  });

describe('history checks', () => {
  it('the same vendor and invoice number is a high-severity duplicate naming the earlier invoice', () => {
    const c = byId(history({ history: [earlier({ number: '2024 0042' })] }), 'duplicate.number');
    expect(c).toMatchObject({ ok: false, severity: 'high' });
    expect(c.data?.['earlier']).toEqual([
      expect.objectContaining({ invoiceId: '7', number: '2024 0042', issueDate: '2024-02-01' }),
    ]);
  });

  it('the same total within the window is a duplicate; outside it is not', () => {
    expect(byId(history({ history: [earlier({ issueDate: '2024-02-25' })] }), 'duplicate.amount').ok).toBe(
      false,
    );
    expect(byId(history({ history: [earlier({ issueDate: '2024-02-01' })] }), 'duplicate.amount').ok).toBe(
      true,
    );
    const wide = { ...S, duplicateWindowDays: 30 };
    expect(byId(history({ history: [earlier()], settings: wide }), 'duplicate.amount').ok).toBe(false);
  });

  it('an IBAN outside the known accounts is always high severity and names both, masked', () => {
    const c = byId(
      history({
        doc: invoiceDoc({ iban: IBAN.acmeNew }),
        accounts: [{ iban: IBAN.acme, status: 'known', firstSeenOn: '2024-01-01' }],
      }),
      'bank.changed',
    );
    expect(c).toMatchObject({ ok: false, severity: 'high' });
    expect(c.message).toContain('DE…2051');
    expect(c.message).toContain('DE…3000');
    expect(c.message).not.toContain(IBAN.acmeNew);
  });

  it('a pending (unconfirmed) account still counts as a change', () => {
    const c = byId(
      history({
        doc: invoiceDoc({ iban: IBAN.acmeNew }),
        accounts: [
          { iban: IBAN.acme, status: 'known', firstSeenOn: '2024-01-01' },
          { iban: IBAN.acmeNew, status: 'pending', firstSeenOn: '2024-02-01' },
        ],
      }),
      'bank.changed',
    );
    expect(c.ok).toBe(false);
    expect(c.message).toContain('never confirmed');
  });

  it('an amount over three times the median of three earlier invoices warns', () => {
    const h = ['1', '2', '3'].map((id) => earlier({ id, total: 300, issueDate: '2023-12-01' }));
    expect(byId(history({ history: h }), 'amount.outlier')).toMatchObject({ ok: false, severity: 'warn' });
    expect(byId(history({ history: h.slice(0, 2) }), 'amount.outlier').ok).toBeNull();
  });

  it('a vendor without earlier invoices is new: a warning', () => {
    expect(byId(history(), 'vendor.new')).toMatchObject({ ok: false, severity: 'warn' });
  });
});

const po = (o: Partial<PurchaseOrder> = {}): PurchaseOrder => ({
  id: '3',
  number: 'PO-4711',
  vendorName: 'ACME GmbH',
  vendorKey: 'acme',
  vendorTaxId: 'DE123456789',
  amount: 1000,
  currency: 'EUR',
  status: 'open',
  ...o,
});
const poVendor = { id: '1', name: 'ACME GmbH', taxId: 'DE123456789', nameKeys: ['acme'] };
const poRun = (o: Partial<Parameters<typeof poChecks>[0]> = {}) =>
  poChecks({
    doc: invoiceDoc({ poNumber: 'PO-4711' }),
    vendor: poVendor,
    byNumber: po(),
    openForVendor: [po()],
    invoicedBefore: 0,
    settings: S,
    ...o,
  });

describe('PO checks', () => {
  it('a named, open PO whose net amount matches passes all three PO checks', () => {
    expect(poRun().map((c) => [c.check, c.ok])).toEqual([
      ['po.match', true],
      ['po.amount', true],
      ['po.currency', true],
    ]);
  });

  it('the amount may differ by 2% or 1.00, whichever is larger', () => {
    expect(byId(poRun({ byNumber: po({ amount: 1019 }) }), 'po.amount').ok).toBe(true);
    expect(byId(poRun({ byNumber: po({ amount: 900 }) }), 'po.amount').ok).toBe(false);
  });

  it('a PO number not imported, a closed PO and another currency each warn', () => {
    expect(byId(poRun({ byNumber: null }), 'po.match')).toMatchObject({ ok: false, severity: 'warn' });
    expect(byId(poRun({ byNumber: po({ status: 'closed' }) }), 'po.match').ok).toBe(false);
    expect(byId(poRun({ byNumber: po({ currency: 'USD' }) }), 'po.currency').ok).toBe(false);
  });

  it('no PO number while the vendor has open POs warns and suggests the one whose amount fits', () => {
    const [c] = poRun({ doc: invoiceDoc(), byNumber: null });
    expect(c).toMatchObject({ check: 'po.match', ok: false });
    expect(c!.message).toContain('fits PO-4711');
  });

  it('no PO number and no open POs: no PO checks at all', () => {
    expect(poRun({ doc: invoiceDoc(), byNumber: null, openForVendor: [] })).toEqual([]);
  });
});

describe('risk', () => {
  it('is high only when a high-severity check failed', () => {
    expect(riskOf([{ check: 'x', ok: false, severity: 'warn', message: '' }])).toBe('low');
    expect(riskOf([{ check: 'x', ok: null, severity: 'high', message: '' }])).toBe('low');
    expect(riskOf([{ check: 'x', ok: false, severity: 'high', message: '' }])).toBe('high');
  });
});

describe('recording invoices (PGlite)', () => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await memoryDb();
  }, 30_000);
  afterAll(async () => h?.close());
  beforeEach(async () => resetDb(h));

  const record = async (
    doc = invoiceDoc(),
    o: { sha?: string; clock?: ReturnType<typeof fixedClock> } = {},
  ) =>
    recordInvoice(h.db, {
      doc,
      messageId: await newMessage(h),
      attachmentSha256: o.sha ?? `sha-${Math.random()}`,
      filename: doc.source,
      clock: o.clock ?? fixedClock(),
    });
  const journal = (action: string) =>
    h.db.selectFrom('journal').selectAll().where('action', '=', action).orderBy('id').execute();

  it('an invoice becomes a document, an invoice and a payment proposal with the checks', async () => {
    const r = await record();
    expect(r.created).toBe(true);
    expect(r.invoiceId).not.toBeNull();
    expect(r.risk).toBe('low');
    expect(r.proposal?.summary).toBe('Pay ACME GmbH EUR 1,190.00 by 2024-03-31, invoice 2024-0042');
    expect(r.proposal?.payload['checks']).toEqual(r.checks);
    const stored = await h.db.selectFrom('proposals').selectAll().executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ kind: 'payment', status: 'awaiting_approval' });
    expect(byId(r.checks, 'vendor.new').ok).toBe(false);
    expect(await journal('document_recorded')).toHaveLength(1);
    expect(await journal('invoice_checked')).toHaveLength(1);
  });

  it('the same (message, file) twice is recorded once and returns the first result', async () => {
    const messageId = await newMessage(h);
    const input = {
      doc: invoiceDoc(),
      messageId,
      attachmentSha256: 'abc',
      filename: 'invoice.pdf',
      clock: fixedClock(),
    };
    const first = await recordInvoice(h.db, input);
    const again = await recordInvoice(h.db, input);
    expect(again).toMatchObject({
      created: false,
      invoiceId: first.invoiceId,
      documentId: first.documentId,
      risk: first.risk,
    });
    expect(again.proposal?.summary).toBe(first.proposal?.summary);
    expect(await h.db.selectFrom('invoices').select('id').execute()).toHaveLength(1);
    expect(await journal('proposed')).toHaveLength(1);
  });

  it('the same invoice forwarded twice raises exactly one duplicate exception, on the second', async () => {
    const first = await record(invoiceDoc(), { sha: 'same-file' });
    expect(first.exceptionDetails.filter((e) => e.code === 'duplicate')).toHaveLength(0);
    const second = await record(invoiceDoc(), { sha: 'same-file' });
    const dups = second.exceptionDetails.filter((e) => e.code === 'duplicate');
    expect(dups).toHaveLength(1);
    expect(dups[0]!.message).toContain(`#${first.invoiceId}`);
    expect(dups[0]!.message).toContain('same invoice number, same file and same amount');
    expect(second.risk).toBe('high');
    const rows = await journal('invoice_exception');
    expect(rows.filter((r) => r.data['code'] === 'duplicate')).toHaveLength(1);
  });

  it("a known vendor's invoice with a new IBAN raises exactly one high-risk bank-change exception", async () => {
    await record(invoiceDoc());
    const changed = await record(
      invoiceDoc({
        invoiceNumber: '2024-0050',
        total: 2380,
        subtotal: 2000,
        tax: 380,
        lines: [],
        iban: IBAN.acmeNew,
      }),
    );
    expect(changed.risk).toBe('high');
    const bank = changed.exceptionDetails.filter((e) => e.code === 'bank_change');
    expect(bank).toHaveLength(1);
    expect(bank[0]!.message).toMatch(
      /Bank details changed: ACME GmbH asks for payment to DE…2051, but the known account is DE…3000/,
    );
    expect(changed.exceptionDetails.map((e) => e.code)).toEqual(['bank_change']);
    const accounts = await h.db
      .selectFrom('vendor_accounts')
      .select(['iban', 'status'])
      .orderBy('id')
      .execute();
    expect(accounts).toEqual([
      { iban: IBAN.acme, status: 'known' },
      { iban: IBAN.acmeNew, status: 'pending' },
    ]);
    expect((await journal('invoice_exception')).filter((r) => r.data['code'] === 'bank_change')).toHaveLength(
      1,
    );
  });

  it('once the owner confirms the new account, the next invoice paying into it is not a bank change', async () => {
    const first = await record(invoiceDoc());
    await confirmBankAccount(
      h.db,
      { vendorId: first.vendorId!, iban: IBAN.acmeNew, messageId: null },
      new Date(),
    );
    const next = await record(
      invoiceDoc({ invoiceNumber: '2024-0051', issueDate: '2024-02-01', iban: IBAN.acmeNew }),
    );
    expect(byId(next.checks, 'bank.changed').ok).toBe(true);
    expect(next.risk).toBe('low');
    expect(await journal('vendor_account_confirmed')).toHaveLength(1);
  });

  it('an unreadable total is an exception with context and the proposal waits for input', async () => {
    const r = await record(invoiceDoc({ total: null, warnings: ['total not found'] }));
    const [e] = r.exceptionDetails;
    expect(e?.code).toBe('unreadable');
    expect(e?.message).toContain('Could not read the total of invoice.pdf');
    expect(e?.message).toContain('total not found');
    expect(r.proposal?.summary).toContain('(amount unreadable)');
    const p = await h.db.selectFrom('proposals').select('status').executeTakeFirstOrThrow();
    expect(p.status).toBe('needs_input');
  });

  it('an invoice without a PO from a vendor with open POs raises a no-PO exception', async () => {
    await importPurchaseOrders(h.db, 'PO;Vendor;Amount;Currency\nPO-4711;ACME GmbH;1000,00;EUR\n', 'po.csv');
    const r = await record();
    expect(r.exceptionDetails.map((e) => e.code)).toEqual(['no_po']);
    const named = await record(
      invoiceDoc({ invoiceNumber: '2024-0043', poNumber: 'po 4711', issueDate: '2024-01-01' }),
    );
    expect(named.exceptionDetails.map((e) => e.code)).toEqual([]);
    expect(byId(named.checks, 'po.amount').ok).toBe(true);
    const inv = await h.db
      .selectFrom('invoices')
      .select('purchase_order_id')
      .where('id', '=', named.invoiceId!)
      .executeTakeFirstOrThrow();
    expect(inv.purchase_order_id).not.toBeNull();
  });

  it('a credit note is checked and filed but proposes no payment', async () => {
    const r = await record(invoiceDoc({ kind: 'credit_note', invoiceNumber: 'CN-1' }));
    expect(r.invoiceId).not.toBeNull();
    expect(r.proposal).toBeNull();
    expect(r.checks.length).toBeGreaterThan(0);
  });

  it('a contract is stored as a document with its key dates, without invoice or vendor', async () => {
    const doc = invoiceDoc({
      kind: 'contract',
      keyDates: [{ label: 'contract end', date: '2025-12-31', evidence: 'ends on 31.12.2025' }],
    });
    const r = await record(doc);
    expect(r).toMatchObject({ invoiceId: null, vendorId: null, risk: null, proposal: null, checks: [] });
    const dates = await h.db.selectFrom('document_key_dates').selectAll().execute();
    expect(dates).toEqual([expect.objectContaining({ label: 'contract end', on_date: '2025-12-31' })]);
  });
});
