import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { termDaysOf } from '../../src/skills/invoices/corrections.model.ts';
import { applyCorrections, recordCorrection } from '../../src/skills/invoices/corrections.ts';
import { recordInvoice } from '../../src/skills/invoices/invoice.usecase.ts';
import { baseDomain, isVendorDomain, vendorKey } from '../../src/skills/invoices/vendor.names.ts';
import { resolveVendor } from '../../src/skills/invoices/vendors.ts';
import { memoryDb, resetDb } from '../support/pglite.ts';
import { fixedClock, IBAN, invoiceDoc, newMessage } from './builders/invoice.builder.ts';

describe('vendor names', () => {
  it.each([
    ['ACME GmbH', 'acme'],
    ['Acme Gmbh.', 'acme'],
    ['ACME AG', 'acme'],
    ['ACME GmbH & Co. KG', 'acme'],
    ['ACME GMBH INVOICE', 'acme'],
    ['Müller Bürobedarf e.K.', 'muller burobedarf'],
    ['Straße Systems S.A.', 'strasse systems'],
    ['Globex Pty Ltd', 'globex'],
    ['AG', 'ag'],
  ])('%s matches as "%s"', (name, key) => {
    expect(vendorKey(name)).toBe(key);
  });

  it('mail providers, billing platforms and the team’s own domain never identify a vendor', () => {
    expect(isVendorDomain('gmail.com')).toBe(false);
    expect(isVendorDomain('mail.stripe.com')).toBe(false);
    expect(isVendorDomain('northwind.example', ['northwind.example'])).toBe(false);
    expect(isVendorDomain('acme.example')).toBe(true);
    expect(baseDomain('billing.eu.acme.com')).toBe('acme.com');
    expect(baseDomain('mail.acme.co.uk')).toBe('acme.co.uk');
  });

  it('payment terms in several languages give days', () => {
    expect(termDaysOf('Net 45')).toBe(45);
    expect(termDaysOf('zahlbar innerhalb 14 Tagen')).toBe(14);
    expect(termDaysOf('30 jours fin de mois')).toBe(30);
    expect(termDaysOf('sofort')).toBeNull();
  });
});

describe('vendors and corrections (PGlite)', () => {
  let h: DatabaseHandle;
  const now = new Date('2024-03-05T10:00:00Z');
  beforeAll(async () => {
    h = await memoryDb();
  }, 30_000);
  afterAll(async () => h?.close());
  beforeEach(async () => resetDb(h));

  const resolve = (doc = invoiceDoc(), senderEmail: string | null = null) =>
    resolveVendor(h.db, { doc, senderEmail, ignoreDomains: ['northwind.example'] }, now);

  it('a document naming no one known creates a vendor; the next is matched by tax id first', async () => {
    const first = await resolve();
    expect(first).toMatchObject({ created: true, matchedBy: 'created' });
    const again = await resolve(
      invoiceDoc({ vendor: { name: 'ACME Deutschland', taxId: 'DE 123 456 789' } }),
    );
    expect(again).toMatchObject({ created: false, matchedBy: 'tax_id' });
    expect(again!.vendor.id).toBe(first!.vendor.id);
    expect(again!.vendor.aliases).toContain('ACME Deutschland');
  });

  it('without a tax id the name matches regardless of case and legal form, and the spelling is kept as an alias', async () => {
    const first = await resolve();
    const m = await resolve(invoiceDoc({ vendor: { name: 'Acme AG', taxId: null } }));
    expect(m).toMatchObject({ matchedBy: 'name' });
    expect(m!.vendor.id).toBe(first!.vendor.id);
    expect(m!.vendor.aliases).toEqual(['Acme AG']);
  });

  it('a same-named company with a different tax id is a different vendor', async () => {
    const first = await resolve();
    const other = await resolve(invoiceDoc({ vendor: { name: 'ACME AG', taxId: 'CHE123456789' } }));
    expect(other).toMatchObject({ created: true });
    expect(other!.vendor.id).not.toBe(first!.vendor.id);
  });

  it('the sender domain matches when the names do not contradict, and never for a shared domain', async () => {
    const first = await resolve(invoiceDoc({ vendor: { taxId: null } }), 'billing@acme.example');
    const byDomain = await resolve(
      invoiceDoc({ vendor: { name: 'ACME Software', taxId: null } }),
      'invoices@mail.acme.example',
    );
    expect(byDomain).toMatchObject({ matchedBy: 'email_domain' });
    expect(byDomain!.vendor.id).toBe(first!.vendor.id);
    const unrelated = await resolve(
      invoiceDoc({ vendor: { name: 'Initech', taxId: null } }),
      'x@acme.example',
    );
    expect(unrelated).toMatchObject({ created: true });
    await resolve(invoiceDoc({ vendor: { name: 'Hooli', taxId: null } }), 'hooli@gmail.com');
    const nameless = await resolve(invoiceDoc({ vendor: { name: null, taxId: null } }), 'someone@gmail.com');
    expect(nameless).toBeNull();
  });

  it('a corrected vendor name is used on the next document and the wrong one still finds the vendor', async () => {
    const v = (await resolve(invoiceDoc({ vendor: { name: 'ACME GMBH INVOICE', taxId: null } })))!.vendor;
    const msg = await newMessage(h, 'maya@northwind.example');
    await recordCorrection(
      h.db,
      {
        vendorId: v.id,
        field: 'vendor.name',
        wrong: 'ACME GMBH INVOICE',
        right: 'ACME GmbH',
        messageId: msg,
      },
      now,
    );
    const next = invoiceDoc({ vendor: { name: 'ACME GMBH INVOICE', taxId: null } });
    const again = await resolve(next);
    expect(again!.vendor).toMatchObject({ id: v.id, name: 'ACME GmbH' });
    const { doc, applied } = await applyCorrections(h.db, v.id, next);
    expect(doc.vendor.name).toBe('ACME GmbH');
    expect(doc.evidence['vendor.name']?.text).toBe(
      'corrected by the owner on 2024-03-05 (was "ACME GMBH INVOICE")',
    );
    expect(applied).toHaveLength(1);
    expect(next.vendor.name).toBe('ACME GMBH INVOICE');
  });

  it('recording the same correction from the same message twice keeps one', async () => {
    const v = (await resolve())!.vendor;
    const msg = await newMessage(h, 'maya@northwind.example');
    const c = { vendorId: v.id, field: 'currency' as const, wrong: 'USD', right: 'EUR', messageId: msg };
    expect((await recordCorrection(h.db, c, now)).created).toBe(true);
    expect((await recordCorrection(h.db, c, now)).created).toBe(false);
    expect(await h.db.selectFrom('field_corrections').select('id').execute()).toHaveLength(1);
    expect(
      await h.db.selectFrom('journal').select('id').where('action', '=', 'field_corrected').execute(),
    ).toHaveLength(1);
  });

  it('a vendor field corrected twice to the same value becomes the vendor’s, whatever the next document says', async () => {
    const v = (await resolve())!.vendor;
    await recordCorrection(
      h.db,
      { vendorId: v.id, field: 'currency', wrong: 'USD', right: 'EUR', messageId: await newMessage(h) },
      now,
    );
    const once = await applyCorrections(h.db, v.id, invoiceDoc({ currency: 'GBP' }));
    expect(once.doc.currency).toBe('GBP');
    await recordCorrection(
      h.db,
      { vendorId: v.id, field: 'currency', wrong: 'CHF', right: 'EUR', messageId: await newMessage(h) },
      now,
    );
    const twice = await applyCorrections(h.db, v.id, invoiceDoc({ currency: 'GBP' }));
    expect(twice.doc.currency).toBe('EUR');
  });

  it('a corrected due date teaches the vendor’s terms: a later invoice without a due date gets issue + 45 days', async () => {
    const clock = fixedClock();
    const r = await recordInvoice(h.db, {
      doc: invoiceDoc({ dueDate: '2024-03-31' }),
      messageId: await newMessage(h),
      attachmentSha256: 'a',
      filename: 'invoice.pdf',
      clock,
    });
    const c = await recordCorrection(
      h.db,
      {
        vendorId: r.vendorId!,
        field: 'dueDate',
        wrong: '2024-03-31',
        right: '2024-04-15',
        messageId: await newMessage(h),
        invoiceId: r.invoiceId,
      },
      now,
    );
    expect(c.rule).toEqual({ termDays: 45, wrongTermDays: 30 });
    const missing = await applyCorrections(
      h.db,
      r.vendorId!,
      invoiceDoc({ issueDate: '2024-04-01', dueDate: null }),
    );
    expect(missing.doc.dueDate).toBe('2024-05-16');
    expect(missing.doc.evidence.dueDate?.text).toContain('45 days');
    const sameMistake = await applyCorrections(
      h.db,
      r.vendorId!,
      invoiceDoc({ issueDate: '2024-04-01', dueDate: '2024-05-01' }),
    );
    expect(sameMistake.doc.dueDate).toBe('2024-05-16');
    const explicit = await applyCorrections(
      h.db,
      r.vendorId!,
      invoiceDoc({ issueDate: '2024-04-01', dueDate: '2024-04-20' }),
    );
    expect(explicit.doc.dueDate).toBe('2024-04-20');
  });

  it('corrected payment terms ("Net 45") apply when the document repeats the old terms', async () => {
    const v = (await resolve())!.vendor;
    await recordCorrection(
      h.db,
      { vendorId: v.id, field: 'paymentTerms', wrong: 'Net 30', right: 'Net 45', messageId: null },
      now,
    );
    const { doc } = await applyCorrections(
      h.db,
      v.id,
      invoiceDoc({ paymentTerms: 'Net 30', issueDate: '2024-04-01', dueDate: '2024-05-01' }),
    );
    expect(doc).toMatchObject({ paymentTerms: 'Net 45', dueDate: '2024-05-16' });
  });

  it('a per-document value the owner corrected is cleared and flagged when it shows up again, never replaced', async () => {
    const v = (await resolve())!.vendor;
    await recordCorrection(
      h.db,
      { vendorId: v.id, field: 'invoiceNumber', wrong: 'KD-12345', right: '2024-0042', messageId: null },
      now,
    );
    const { doc, applied } = await applyCorrections(h.db, v.id, invoiceDoc({ invoiceNumber: 'KD 12345' }));
    expect(doc.invoiceNumber).toBeNull();
    expect(doc.warnings[0]).toContain('invoiceNumber read as "KD 12345"');
    expect(applied).toHaveLength(1);
    const other = await applyCorrections(h.db, v.id, invoiceDoc({ invoiceNumber: '2024-0043' }));
    expect(other.doc.invoiceNumber).toBe('2024-0043');
  });

  it('an IBAN correction is never substituted: it confirms the account the bank-change check trusts', async () => {
    const v = (await resolve())!.vendor;
    await recordCorrection(
      h.db,
      { vendorId: v.id, field: 'iban', wrong: IBAN.acme, right: IBAN.acmeNew, messageId: null },
      now,
    );
    const { doc } = await applyCorrections(h.db, v.id, invoiceDoc({ iban: IBAN.acme }));
    expect(doc.iban).toBe(IBAN.acme);
    const accounts = await h.db.selectFrom('vendor_accounts').select(['iban', 'status']).execute();
    expect(accounts).toEqual([{ iban: IBAN.acmeNew, status: 'confirmed' }]);
  });

  it('recordInvoice applies the corrections and journals them with the document', async () => {
    const first = await recordInvoice(h.db, {
      doc: invoiceDoc({ vendor: { name: 'ACME GMBH INVOICE' } }),
      messageId: await newMessage(h),
      attachmentSha256: 'a',
      filename: 'invoice.pdf',
      clock: fixedClock(),
    });
    await recordCorrection(
      h.db,
      {
        vendorId: first.vendorId!,
        field: 'vendor.name',
        wrong: 'ACME GMBH INVOICE',
        right: 'ACME GmbH',
        messageId: null,
      },
      now,
    );
    const next = await recordInvoice(h.db, {
      doc: invoiceDoc({
        vendor: { name: 'ACME GMBH INVOICE' },
        invoiceNumber: '2024-0077',
        issueDate: '2024-04-01',
        dueDate: '2024-05-01',
      }),
      messageId: await newMessage(h),
      attachmentSha256: 'b',
      filename: 'invoice.pdf',
      clock: fixedClock('2024-04-02T09:00:00Z'),
    });
    expect(next.corrections).toHaveLength(1);
    expect(next.proposal?.summary).toBe('Pay ACME GmbH EUR 1,190.00 by 2024-05-01, invoice 2024-0077');
    const row = await h.db
      .selectFrom('documents')
      .select('extracted')
      .where('id', '=', next.documentId)
      .executeTakeFirstOrThrow();
    expect((row.extracted as { vendor: { name: string } }).vendor.name).toBe('ACME GmbH');
  });
});
