import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildInvoicePdf } from '../../examples/make-demo-pdf.ts';
import { DANA, DANA_PICK } from '../../src/commands/demo.answers.ts';
import { DEMO_IDENTITY, DEMO_NOW } from '../../src/commands/demo.command.ts';
import { readSlotChoice } from '../../src/skills/scheduling/choose/choose.ts';
import { understandMeetingRequest } from '../../src/skills/scheduling/understand/understand.ts';
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

  it("at the demo's clock, 01 asks for 45 minutes with Dana in days still ahead (an offer, not a question)", async () => {
    const msg = await load('01-cc-meeting.eml');
    // Every sample message is older than the demo's "now".
    for (const [name] of EXPECTED) {
      expect((await load(name)).date?.getTime() ?? 0).toBeLessThan(Date.parse(DEMO_NOW));
    }
    const req = understandMeetingRequest([msg], {
      ownerEmail: DEMO_IDENTITY.OWNER_EMAIL,
      ownerZone: DEMO_IDENTITY.OWNER_TIMEZONE,
      assistantEmail: DEMO_IDENTITY.ASSISTANT_EMAIL,
      defaultMinutes: 30,
      now: new Date(DEMO_NOW),
    });
    expect(req).toMatchObject({
      wanted: true,
      requester: DEMO_IDENTITY.OWNER_EMAIL,
      invitees: [{ address: DANA.email }],
      durationMinutes: 45,
      durationStated: true,
      ambiguities: [],
    });
    // "Next week" from Tuesday 10 March is 16–20 March; from the demo's Tuesday 17 March on.
    expect(req.range).toEqual({ from: '2026-03-17', to: '2026-03-20' });
    // New York, as Maya says: "You're in New York and I'm in Berlin".
    expect(req.zones[DANA.email]?.zone).toBe('America/New_York');
  });

  it("reads Dana's scripted answer to the offer as a pick of the second time", () => {
    const at = (h: number) => new Date(Date.UTC(2026, 2, 18, h));
    const offered = [1, 2, 3].map((index) => ({ index, start: at(11 + index), end: at(12 + index) }));
    const choice = readSlotChoice({
      replyText: DANA_PICK,
      offered,
      replierZone: 'America/New_York',
      now: new Date(DEMO_NOW),
    });
    expect(choice).toMatchObject({ kind: 'chosen', index: 2 });
  });
});
