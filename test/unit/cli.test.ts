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

  it('demo runs the bundled mailbox with nothing configured: rules, drafts, a booked meeting and flags, and nothing sent', async () => {
    const r = await cli(['demo', '--json'], { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LLM_MODEL: '' });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // The demo's clock: just after the mailbox, so Maya's "next week" (16–20 March) still lies ahead.
    expect(j.now).toBe('2026-03-17T12:00:00.000Z');
    // The 11 sample messages, then the owner's 3 answers to approval requests and Dana's pick.
    expect(j.messages).toHaveLength(15);
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
    expect(j.messages[14]).toMatchObject({
      file: '(answer) Dana picks the second time offered',
      from: 'dana@lumen.example',
      subject: 'Re: Catching up on the Q3 pilot',
      status: 'processed',
      flags: [],
    });
    // The owner's rule is confirmed to the owner only (shadow mode: queued, never sent)…
    expect(j.rules).toMatchObject([
      { kind: 'file_messages', status: 'active', from: '06-owner-instruction.eml' },
    ]);
    // Shadow mode: everything is queued, nothing is sent. To anyone but the owner go only the
    // meeting offer (on its own: Maya asked in the thread), the approved reply and the invite.
    expect(j.wouldSend.every((w: { status: string }) => w.status === 'pending')).toBe(true);
    type Send = {
      purpose: string;
      to: string[];
      cc: string[];
      subject: string;
      inReplyTo: string | null;
      calendar: { method: string; filename: string } | null;
    };
    const toOthers = j.wouldSend.filter((w: Send) => w.to.join() !== 'maya@northwind.example');
    expect(toOthers.map((w: Send) => [w.purpose, w.to, w.cc, w.calendar?.method ?? null])).toEqual([
      ['reply', ['dana@lumen.example'], ['maya@northwind.example'], null],
      ['reply', ['dana@lumen.example'], ['maya@northwind.example'], null],
      ['invite', ['dana@lumen.example', 'maya@northwind.example'], [], 'REQUEST'],
    ]);
    const [offer, approvedReply, invite] = toOthers as Send[];
    // The offer is a reply-all in Maya's thread, threaded to her message.
    expect(offer).toMatchObject({
      subject: 'Re: Catching up on the Q3 pilot',
      inReplyTo: '20260310081402.3e9b2c71@mail.northwind.example',
    });
    expect(approvedReply?.subject).toBe('Re: Offer for the Q2 analytics project');
    // The invite answers Dana's pick and carries the calendar part.
    expect(invite).toMatchObject({
      subject: expect.stringMatching(/^Invitation: Catching up on the Q3 pilot — /),
      inReplyTo: 'demo-answer-1@mail.lumen.example',
      calendar: { method: 'REQUEST', filename: expect.stringMatching(/\.ics$/) },
    });
    expect(j.wouldSend.filter((w: { purpose: string }) => w.purpose === 'notice')[0]).toMatchObject({
      subject: expect.stringMatching(/^\[deskhand\] Rule noted/),
    });
    // The meeting: offered on its own, booked at the time Dana picked (option 2), one invite.
    // The daily digest it would send at DIGEST_TIME: the open draft to decide, the approved invoice to pay.
    expect(j.digest).toMatchObject({
      day: '2026-03-17',
      skipped: false,
      subject: 'Your digest for Tuesday 17 March 2026 — 1 decision, 1 payment to make, 2 exceptions',
      items: [
        { number: 1, kind: 'approval', label: 'Send this reply to Tomás Ruiz' },
        { number: 2, kind: 'payment', label: 'Pay ACME GmbH EUR 1,190.00, invoice 2024-0042' },
      ],
    });
    expect(j.wouldSend.filter((w: { purpose: string }) => w.purpose === 'digest')).toHaveLength(1);
    expect(j.meetings).toHaveLength(1);
    const [meeting] = j.meetings;
    expect(meeting).toMatchObject({
      summary: 'Catching up on the Q3 pilot',
      status: 'booked',
      for: '01-cc-meeting.eml',
      durationMinutes: 45,
      organizer: { email: 'maya@northwind.example', zone: 'Europe/Berlin' },
      attendees: [
        { name: 'Dana Lee', email: 'dana@lumen.example', zone: 'America/New_York', zoneLabel: 'New York' },
      ],
      mails: [
        {
          action: 'offer',
          round: 1,
          status: 'executed',
          delegated: true,
          sentOnItsOwn: true,
          waitsForApproval: false,
          to: ['dana@lumen.example'],
          cc: ['maya@northwind.example'],
          inReplyTo: '20260310081402.3e9b2c71@mail.northwind.example',
        },
      ],
    });
    type Slot = { index: number; start: string; end: string; text: string; picked: boolean };
    const offered = meeting.offered as Slot[];
    expect(offered.map((o) => o.index)).toEqual([1, 2, 3]);
    for (const o of offered) {
      // 45 minutes next week, after the demo's "now" and its 4 hours' notice, in Maya's afternoon
      // ("my late afternoon is probably the easiest for both of us"), shown in both zones.
      expect(Date.parse(o.end) - Date.parse(o.start)).toBe(45 * 60_000);
      expect(Date.parse(o.start)).toBeGreaterThanOrEqual(Date.parse('2026-03-17T16:00:00Z'));
      expect(Date.parse(o.end)).toBeLessThanOrEqual(Date.parse('2026-03-21T04:00:00Z'));
      expect(o.text).toMatch(
        /^(Tues|Wednes|Thurs|Fri)day (17|18|19|20) March, \d\d:\d\d–\d\d:\d\d New York \(EDT\) · 1[2-7]:\d\d–1[2-8]:\d\d Berlin \(GMT\+1\)$/,
      );
    }
    expect(offered.map((o) => o.picked)).toEqual([false, true, false]);
    const second = offered[1]!;
    expect(meeting.booked).toEqual({
      option: 2,
      start: second.start,
      end: second.end,
      when: second.text,
      chosenBy: '(answer) Dana picks the second time offered',
      evidence: 'The second one',
    });
    expect(meeting.invites).toEqual([
      {
        method: 'REQUEST',
        uid: 'meeting-1@northwind.example',
        sequence: 0,
        start: second.start,
        end: second.end,
        when: second.text,
        to: ['dana@lumen.example', 'maya@northwind.example'],
        cc: [],
        subject: invite?.subject,
        file: invite?.calendar?.filename,
        status: 'pending',
      },
    ]);
    // The subject names the time on the first guest's clock; the body and the event carry every zone.
    expect(invite?.subject).toBe(`Invitation: Catching up on the Q3 pilot — ${second.text.split(' · ')[0]}`);
    // Approval emails: the payment (flagged: a new vendor) and both drafts; none for the offer.
    expect(j.approvals.map((a: { subject: string; level: string }) => [a.subject, a.level])).toEqual([
      [
        '[deskhand] Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31 — decision needed: first invoice from a new vendor',
        'decision',
      ],
      ['[deskhand] Send this reply to Tomás Ruiz', 'one_yes'],
      ['[deskhand] Send this reply to Dana Lee', 'one_yes'],
    ]);
    // The owner's answers: a forged "yes" changes nothing; the signed ones approve and send.
    expect(j.decisions.map((d: { action: string; for: string }) => [d.action, d.for])).toEqual([
      ['approval_refused', '(answer) forged "yes" to the payment, without your provider\'s DKIM verdict'],
      ['approval_approved', '(answer) your signed "Yes, go ahead" to the payment'],
      ['invoice_approved', '(answer) your signed "Yes, go ahead" to the payment'],
      ['approval_approved', '(answer) your signed edit of the reply draft'],
      ['approval_executed', '(answer) your signed edit of the reply draft'],
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

  it('demo prints the meeting: the offer as its mail lists the times, the pick and the invite', async () => {
    const r = await cli(['demo'], { OPENAI_API_KEY: '', OPENAI_BASE_URL: '', LLM_MODEL: '' });
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(
      "Clock: Tuesday 17 March 2026, 13:00 Berlin, just after the sample mailbox's last message.",
    );
    const at = lines.indexOf('Meetings:');
    expect(at).toBeGreaterThan(0);
    const section = lines.slice(at, lines.indexOf('', at));
    expect(section[1]).toBe('  ◷ Catching up on the Q3 pilot  [booked, 45 min, for 01-cc-meeting.eml]');
    expect(section[2]).toBe(
      '    With: Dana Lee <dana@lumen.example> (New York); organizer Maya Chen <maya@northwind.example> (Berlin)',
    );
    expect(section[3]).toBe('    Offer 1: sent on its own — Maya Chen asked in the thread');
    expect(section[4]).toMatch(
      /^ {6}To: dana@lumen\.example {2}Cc: maya@northwind\.example {2}Message-ID: <[^<>\s]+@northwind\.example>$/,
    );
    // The three times, the second one picked, each as the offer mail lists it.
    const slot =
      /^ {4}([ ▸]) ([123])\. ((?:Tues|Wednes|Thurs|Fri)day (?:1[7-9]|20) March, \d\d:\d\d–\d\d:\d\d New York \(EDT\) · \d\d:\d\d–\d\d:\d\d Berlin \(GMT\+1\))$/;
    expect(section.slice(5, 8).map((l) => slot.exec(l)?.slice(1, 3))).toEqual([
      [' ', '1'],
      ['▸', '2'],
      [' ', '3'],
    ]);
    const picked = slot.exec(section[6] ?? '')?.[3];
    expect(section[8]).toBe(
      '    Booked: option 2, picked in (answer) Dana picks the second time offered ("The second one")',
    );
    expect(section[9]).toBe(
      '    Invite: METHOD REQUEST · UID meeting-1@northwind.example · SEQUENCE 0 → dana@lumen.example, maya@northwind.example',
    );
    expect(section[10]).toBe(`    │ ${picked}`);
    expect(section).toHaveLength(11);
    expect(lines).toContain(
      `  ✉ invite to dana@lumen.example, maya@northwind.example: Invitation: Catching up on the Q3 pilot — ${picked?.split(' · ')[0]}  [REQUEST invite.ics]`,
    );
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
