import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['bin/deskhand.js', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

describe('the command line', () => {
  it('triage --json prints the contract fields for a forwarded invoice', async () => {
    const r = await cli(['triage', 'examples/demo-mailbox/02-forwarded-invoice.eml', '--json'], {
      OWNER_EMAIL: 'maya@northwind.example',
      ASSISTANT_EMAIL: 'assistant@northwind.example',
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      addressing: 'forward',
      category: 'invoice',
      requester: 'owner',
      forwarded: { from: expect.stringContaining('billing@acme.example'), subject: 'Invoice 2024-0042' },
    });
    expect(typeof j.from).toBe('string');
    expect(typeof j.replyText).toBe('string');
    expect(j.forwarded.date).toBeTruthy();
    expect(j.forwarded.text).toMatch(/2024-0042/);
  });

  it('demo runs the bundled mailbox with nothing configured: rules, drafts and flags, and nothing sent', async () => {
    const r = await cli(['demo', '--json'], { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LLM_MODEL: '' });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // The 11 sample messages, then the owner's 3 answers to approval requests.
    expect(j.messages).toHaveLength(14);
    expect(j.messages.slice(0, 11).map((m: { category: string }) => m.category)).toEqual([
      'meeting',
      'invoice',
      'newsletter',
      'auto_reply',
      'bounce',
      'request',
      'request',
      'receipt',
      'request',
      'request',
      'fyi',
    ]);
    // The owner's rule is confirmed to the owner only (shadow mode: queued, never sent)…
    expect(j.rules).toMatchObject([
      { kind: 'file_messages', status: 'active', from: '06-owner-instruction.eml' },
    ]);
    // Shadow mode: everything is queued, nothing is sent. Only the approved reply goes to anyone else.
    expect(j.wouldSend.every((w: { status: string }) => w.status === 'pending')).toBe(true);
    expect(
      j.wouldSend
        .filter((w: { to: string[] }) => w.to.join() !== 'maya@northwind.example')
        .map((w: { purpose: string; to: string[] }) => [w.purpose, w.to]),
    ).toEqual([['reply', ['dana@lumen.example']]]);
    expect(j.wouldSend.filter((w: { purpose: string }) => w.purpose === 'notice')[0]).toMatchObject({
      subject: expect.stringMatching(/^\[deskhand\] Rule noted/),
    });
    // Approval emails: the payment (flagged: a new vendor) and both drafts.
    expect(j.approvals.map((a: { subject: string; level: string }) => [a.subject, a.level])).toEqual([
      [
        '[deskhand] Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31 — decision needed: first invoice from a new vendor',
        'decision',
      ],
      ['[deskhand] Send this reply to Tomás Ruiz', 'one_yes'],
      ['[deskhand] Send this reply to Dana Lee', 'one_yes'],
    ]);
    // The owner's answers: a forged "yes" changes nothing; the signed ones approve and send.
    expect(j.decisions.map((d: { action: string }) => d.action)).toEqual([
      'approval_refused',
      'approval_approved',
      'invoice_approved',
      'approval_approved',
      'approval_executed',
    ]);
    expect(j.approvals.map((a: { status: string }) => a.status)).toEqual(['approved', 'open', 'approved']);
    // …and applied to the bank's mail that came after it.
    expect(j.messages[10].wouldFileInto).toBe('deskhand/Statements');
    // Drafts for the print shop's question and for Maya's "reply to Dana", none for the injection.
    expect(j.proposals.map((p: { for: string; to: string[] }) => [p.for, p.to])).toEqual([
      ['07-vendor-request.eml', ['Tomás Ruiz <tomas@printwell.example>']],
      ['09-owner-reply-request.eml', ['Dana Lee <dana@lumen.example>']],
    ]);
    // The forwarded invoice is read from its PDF and becomes a checked payment proposal.
    expect(j.payments).toMatchObject([
      {
        summary: 'Pay ACME GmbH EUR 1,190.00 by 2024-03-31, invoice 2024-0042',
        for: '02-forwarded-invoice.eml',
      },
    ]);
    expect(j.documents.map((d: { file: string; kind: string }) => [d.file, d.kind])).toEqual([
      ['invoice-2024-0042.pdf', 'invoice'],
      ['message body', 'receipt'],
    ]);
    expect(j.messages[9].flags.map((f: { action: string }) => f.action)).toEqual([
      'invisible_text_stripped',
      'injection_flagged',
    ]);
  }, 90_000);

  it('stops with a sentence naming the variable when configuration is wrong', async () => {
    const r = await cli(['triage', 'examples/demo-mailbox/01-cc-meeting.eml'], {
      OWNER_TIMEZONE: 'Europe/Atlantis',
    });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/OWNER_TIMEZONE: must be an IANA time zone/);
  });

  it('refuses live mode without a mailbox, saying which variable is missing', async () => {
    const r = await cli(['start'], { IMAP_HOST: '', REDIS_URL: '', DATA_DIR: ':memory:' });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/IMAP_HOST/);
  });
});
