import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildInvoicePdf } from '../../examples/make-demo-pdf.ts';
import { triageMessage } from '../../src/triage/triage.rules.ts';
import { demoContext, messageFromEml } from './builders/message.builder.ts';

const DIR = new URL('../../examples/demo-mailbox/', import.meta.url);
/** The approval request that 04-out-of-office.eml answers (sent by deskhand, token in the plus-address). */
const APPROVAL_ID = 'dh.approval.2f8k1q.ap7kq2m4x9@northwind.example';
const APPROVAL_TOKEN = 'ap7kq2m4x9';

const ctx = demoContext({
  isApprovalReference: (ids, tags) => ids.includes(APPROVAL_ID) || tags.includes(APPROVAL_TOKEN),
});

const EXPECTED = [
  ['01-cc-meeting.eml', { addressing: 'cc', category: 'meeting', requester: 'owner', automatic: false }],
  [
    '02-forwarded-invoice.eml',
    { addressing: 'forward', category: 'invoice', requester: 'owner', automatic: false },
  ],
  [
    '03-newsletter.eml',
    { addressing: 'direct', category: 'newsletter', requester: 'external', automatic: true },
  ],
  [
    '04-out-of-office.eml',
    { addressing: 'direct', category: 'auto_reply', requester: 'owner', automatic: true },
  ],
  ['05-bounce.eml', { addressing: 'direct', category: 'bounce', requester: 'team', automatic: true }],
  [
    '06-owner-instruction.eml',
    { addressing: 'owner_instruction', category: 'request', requester: 'owner', automatic: false },
  ],
  [
    '07-vendor-request.eml',
    { addressing: 'direct', category: 'request', requester: 'external', automatic: false },
  ],
  [
    '08-receipt-html.eml',
    { addressing: 'direct', category: 'receipt', requester: 'external', automatic: true },
  ],
  [
    '09-owner-reply-request.eml',
    { addressing: 'forward', category: 'request', requester: 'owner', automatic: false },
  ],
  [
    '10-vendor-injection.eml',
    { addressing: 'direct', category: 'request', requester: 'external', automatic: false },
  ],
  ['11-bank-statement.eml', { addressing: 'cc', category: 'fyi', requester: 'external', automatic: false }],
] as const;

async function load(name: string) {
  return messageFromEml(readFileSync(new URL(name, DIR)));
}

describe('the demo mailbox', () => {
  it('has exactly the messages this test expects', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.eml'));
    expect(files.sort()).toEqual(EXPECTED.map(([name]) => name));
  });

  it.each(EXPECTED)('triages %s as expected', async (name, expected) => {
    const result = triageMessage(await load(name), ctx);
    expect(result).toMatchObject(expected);
  });

  it.each(EXPECTED)('%s has a Message-ID and a 2026 date', async (name) => {
    const msg = await load(name);
    expect(msg.messageId).toMatch(/^[^<>\s]+@[^<>\s]+$/);
    expect(msg.date?.getUTCFullYear()).toBe(2026);
  });

  it('unwraps the forwarded ACME invoice and keeps Maya’s note', async () => {
    const result = triageMessage(await load('02-forwarded-invoice.eml'), ctx);
    expect(result.forwarded).toMatchObject({
      from: { address: 'billing@acme.example' },
      subject: 'Invoice 2024-0042',
    });
    expect(result.forwarded?.note).toContain('Please file it');
    expect(result.reasons).toContain('attachment invoice-2024-0042.pdf looks like an invoice');
  });

  it('carries the PDF that examples/make-demo-pdf.ts builds, byte for byte', async () => {
    const msg = await load('02-forwarded-invoice.eml');
    const pdf = msg.attachments.find((a) => a.filename === 'invoice-2024-0042.pdf');
    const sha = createHash('sha256').update(buildInvoicePdf()).digest('hex');
    expect(pdf?.contentType).toBe('application/pdf');
    expect(pdf?.sha256).toBe(sha);
  });

  it('does not take the out-of-office "yes" to an approval request for an approval (RELIABILITY.md 14)', async () => {
    const msg = await load('04-out-of-office.eml');
    expect(msg.text).toMatch(/\byes\b/i);
    const result = triageMessage(msg, ctx);
    expect(result.addressing).not.toBe('approval_reply');
    expect(result.reasons.join(' ')).toContain('automatic mail: not an approval reply');
  });

  it('lists Dana and Maya as the participants of the meeting thread, not the assistant', async () => {
    const result = triageMessage(await load('01-cc-meeting.eml'), ctx);
    expect(result.participants.map((p) => p.address)).toEqual([
      'maya@northwind.example',
      'dana@lumen.example',
    ]);
  });
});
