import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { buildInvoicePdf } from '../../examples/make-demo-pdf.ts';
import { demoMessage, uniqueDomain } from '../support/demo-mail.ts';
import { type LiveDeskhand, liveDeskhand } from '../support/live.ts';
import { listMessages, sendRaw, waitForMessages } from './stack.ts';

/**
 * Invoices end to end on the real stack: a forwarded invoice becomes a document, an invoice and a
 * checked payment proposal; the same invoice forwarded again, and the vendor's next invoice with
 * a new IBAN, each raise their exception to the owner exactly once.
 */

let dh: LiveDeskhand | null = null;
afterEach(async () => {
  await dh?.destroy();
  dh = null;
});

/** The demo's forwarded invoice again, as a new message (its own Message-ID). */
function forwardAgain(domain: string, n: number): Buffer {
  return Buffer.from(
    demoMessage('02-forwarded-invoice.eml', domain)
      .toString('utf8')
      .replace(/^Message-ID: <([^>]+)>/im, `Message-ID: <again-${n}-$1>`),
  );
}

async function vendorMail(domain: string, pdf: Buffer, subject: string): Promise<Buffer> {
  return new MailComposer({
    from: 'ACME GmbH Billing <billing@acme.example>',
    to: `assistant@${domain}`,
    subject,
    text: 'Please find our invoice attached.\n\nACME GmbH',
    attachments: [{ filename: 'invoice-2024-0043.pdf', content: pdf, contentType: 'application/pdf' }],
  })
    .compile()
    .build();
}

describe('invoices on the real mail stack', () => {
  it('a forwarded invoice becomes a payment proposal; a duplicate and a changed IBAN each raise one exception', async () => {
    const domain = uniqueDomain('inv');
    const owner = `maya@${domain}`;
    const assistant = `assistant@${domain}`;
    dh = await liveDeskhand({ assistant, owner, env: { TEAM_DOMAINS: domain, OWNER_NAME: 'Maya Chen' } });
    await dh.start();
    const db = dh.handle.db;

    await sendRaw({ from: owner, to: [assistant] }, demoMessage('02-forwarded-invoice.eml', domain));
    await dh.waitSettled(1);
    await waitUntil(async () => (await db.selectFrom('proposals').select('id').execute()).length === 1);
    const [first] = await db.selectFrom('proposals').selectAll().execute();
    expect(first?.kind).toBe('payment');
    expect(first?.summary).toBe('Pay ACME GmbH EUR 1,190.00 by 2024-03-31, invoice 2024-0042');
    const [inv] = await db.selectFrom('invoices').selectAll().execute();
    expect(inv).toMatchObject({ number: '2024-0042', currency: 'EUR', due_date: '2024-03-31' });

    // The same invoice forwarded again: one duplicate exception to the owner.
    await sendRaw({ from: owner, to: [assistant] }, forwardAgain(domain, 1));
    await dh.waitSettled(2);
    const dup = await waitForMessages(owner, 'INBOX', (m) => /duplicate/i.test(m.source), 20_000);
    expect(dup).toHaveLength(1);
    expect(dup[0]?.source).toContain('2024-0042');

    // The vendor's next invoice, paid into a different account: one high-risk exception.
    const next = buildInvoicePdf({
      'Invoice number: 2024-0042': 'Invoice number: 2024-0043',
      'Issue date: 2024-03-01': 'Issue date: 2024-04-01',
      'Due date: 2024-03-31': 'Due date: 2024-04-30',
      'Please transfer the total by 2024-03-31, quoting the invoice number.':
        'Please transfer the total by 2024-04-30, quoting the invoice number.',
      'Commerzbank · IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX':
        'New bank · IBAN DE02 1203 0000 0000 2020 51 · BIC BYLADEM1001',
    });
    await sendRaw(
      { from: 'billing@acme.example', to: [assistant] },
      await vendorMail(domain, next, 'Invoice 2024-0043'),
    );
    await dh.waitSettled(3);
    const changed = await waitForMessages(
      owner,
      'INBOX',
      (m) => /bank/i.test(m.subject + m.source) && m.source.includes('2024-0043'),
      20_000,
    );
    expect(changed).toHaveLength(1);

    // Exactly once each, even after a restart that re-runs recovery.
    await dh.stop();
    await dh.start();
    await new Promise((r) => setTimeout(r, 1500));
    const inbox = await listMessages(owner);
    expect(inbox.filter((m) => /duplicate/i.test(m.source))).toHaveLength(1);
    expect(inbox.filter((m) => m.source.includes('2024-0043'))).toHaveLength(1);
    const risks = await db.selectFrom('invoices').select(['number', 'risk']).orderBy('id').execute();
    expect(risks).toEqual([
      { number: '2024-0042', risk: expect.any(String) },
      { number: '2024-0042', risk: 'high' },
      { number: '2024-0043', risk: 'high' },
    ]);
  }, 120_000);
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
