import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildInvoicePdf } from '../../examples/make-demo-pdf.ts';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { closePdfReader } from '../../src/extract/pdf/pdf.reader.ts';
import { handleProcessJob, type PipelineDeps } from '../../src/jobs/handlers.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { memoryDb, resetDb, store, testConfig } from '../support/pglite.ts';

// Documents through the pipeline (store → triage → skills) on PGlite: unreadable attachments
// become one clear notice each (RELIABILITY 24), archives are never opened, and purchase orders
// mailed by the owner as CSV are imported only from the owner's authenticated mail.

let h: DatabaseHandle;
let authenticated = true;
const sends: string[] = [];
beforeAll(async () => {
  h = await memoryDb();
});
afterAll(async () => {
  await closePdfReader();
  await h.close();
});
beforeEach(async () => {
  await resetDb(h);
  sends.length = 0;
  authenticated = true;
  uid = 1;
});

const deps = (): PipelineDeps => ({
  db: h.db,
  config: testConfig({ OWNER_NAME: 'Maya Chen' }),
  clock: systemClock,
  log: silentLogger(),
  jobs: {
    enqueueProcess: async () => undefined,
    enqueueSend: async (ids) => void sends.push(...ids),
    close: async () => undefined,
  },
  filing: null,
  model: null,
  authenticate: async () =>
    authenticated
      ? { authenticated: true, method: 'dkim', domain: 'northwind.example', reason: 'test' }
      : { authenticated: false, method: 'dkim', domain: null, reason: 'no DKIM signature' },
});

let uid = 1;
async function deliver(raw: Buffer): Promise<string> {
  const { newIds } = await store(h, [raw], { firstUid: uid++ });
  const id = newIds[0];
  if (!id) throw new Error('not stored');
  await handleProcessJob(deps(), id);
  return id;
}

function mail(
  from: string,
  subject: string,
  attachments: Array<{ filename: string; content: Buffer; contentType: string }>,
) {
  return new MailComposer({
    from,
    to: 'assistant@northwind.example',
    subject,
    text: 'See attached.',
    attachments,
  })
    .compile()
    .build();
}

const notices = () =>
  h.db.selectFrom('outbox').select(['subject', 'text_body', 'to_addresses']).orderBy('id').execute();

describe('documents in the pipeline', () => {
  it('a corrupt PDF, an encrypted PDF and a zip each raise one clear notice; the message is processed', async () => {
    const encrypted = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n3 0 obj << /Filter /Standard /V 1 /R 2 /O (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) /U (xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx) /P -4 >> endobj\ntrailer << /Root 1 0 R /Encrypt 3 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\n%%EOF\n',
    );
    const id = await deliver(
      await mail('ACME Billing <billing@acme.example>', 'Invoices', [
        {
          filename: 'broken.pdf',
          content: Buffer.from('%PDF-1.7\n this is not really a pdf'),
          contentType: 'application/pdf',
        },
        { filename: 'locked.pdf', content: encrypted, contentType: 'application/pdf' },
        {
          filename: 'invoices.zip',
          content: Buffer.from('PK\u0003\u0004rest-of-zip'),
          contentType: 'application/zip',
        },
      ]),
    );
    const row = await h.db
      .selectFrom('messages')
      .select(['status', 'skills_done_at'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('processed');
    expect(row.skills_done_at).not.toBeNull();
    const n = await notices();
    expect(n.map((x) => x.subject)).toEqual([
      '[deskhand] Could not read broken.pdf',
      '[deskhand] Could not read locked.pdf',
      '[deskhand] Could not read invoices.zip',
    ]);
    expect(n[2]?.text_body).toMatch(/archives are never opened/);
    expect(n.every((x) => x.to_addresses.join() === 'maya@northwind.example')).toBe(true);
    // A retried job repeats nothing.
    await handleProcessJob(deps(), id);
    expect(await notices()).toHaveLength(3);
  });

  it('an invoice PDF becomes a document, an invoice and a payment proposal', async () => {
    await deliver(
      await mail('ACME Billing <billing@acme.example>', 'Invoice 2024-0042', [
        { filename: 'invoice.pdf', content: buildInvoicePdf(), contentType: 'application/pdf' },
      ]),
    );
    const [p] = await h.db.selectFrom('proposals').select(['kind', 'summary', 'status']).execute();
    expect(p).toEqual({
      kind: 'payment',
      summary: 'Pay ACME GmbH EUR 1,190.00 by 2024-03-31, invoice 2024-0042',
      status: 'awaiting_approval',
    });
  });

  it('purchase orders mailed as CSV by the owner are imported, with bad lines reported', async () => {
    const csv =
      'PO number;Vendor;Amount;Currency\nPO-1001;ACME GmbH;1.190,00;EUR\nPO-1002;Contoso;not a number;EUR\n';
    await deliver(
      await mail('Maya Chen <maya@northwind.example>', 'POs', [
        { filename: 'orders.csv', content: Buffer.from(csv), contentType: 'text/csv' },
      ]),
    );
    expect(await h.db.selectFrom('purchase_orders').select('number').execute()).toHaveLength(1);
    const [n] = await notices();
    expect(n?.subject).toBe('[deskhand] Purchase orders imported from orders.csv');
    expect(n?.text_body).toMatch(/1 line\(s\) were NOT imported/);
  });

  it('…but not from mail in the owner’s name that cannot be verified', async () => {
    authenticated = false;
    const csv = 'PO number,Vendor,Amount,Currency\nPO-9,Evil Ltd,99999.00,EUR\n';
    await deliver(
      await mail('Maya Chen <maya@northwind.example>', 'POs', [
        { filename: 'orders.csv', content: Buffer.from(csv), contentType: 'text/csv' },
      ]),
    );
    expect(await h.db.selectFrom('purchase_orders').select('number').execute()).toEqual([]);
    expect((await notices())[0]?.subject).toMatch(/Unverified mail in your name/);
  });
});
