import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readAutomaticSignals } from '../../src/ingest/automatic.ts';
import { triageMessage } from '../../src/triage/triage.rules.ts';
import {
  ASSISTANT,
  addr,
  aForwardedMessage,
  aMessage,
  anAttachment,
  demoContext,
  messageFromEml,
  OWNER,
} from './builders/message.builder.ts';

const ctx = demoContext();
const MAYA = addr(`Maya Chen <${OWNER}>`);
const DANA = addr('Dana Lee <dana@lumen.example>');
const CORPUS = new URL('../../../shared/corpora/mailparser/fixtures/', import.meta.url);

describe('addressing', () => {
  it('is cc when the assistant is in Cc', () => {
    const r = triageMessage(aMessage({ from: MAYA, to: [DANA], cc: [addr(ASSISTANT)] }), ctx);
    expect(r.addressing).toBe('cc');
    expect(r.reasons).toContain('assistant is in Cc');
  });

  it('is direct when an outsider writes to the assistant', () => {
    expect(triageMessage(aMessage({ to: [addr(ASSISTANT)] }), ctx).addressing).toBe('direct');
  });

  it('is bcc when the assistant is in neither To nor Cc but the message was delivered to it', () => {
    const r = triageMessage(aMessage({ from: DANA, to: [MAYA], deliveredTo: [ASSISTANT] }), ctx);
    expect(r.addressing).toBe('bcc');
    expect(r.confidence).toBeGreaterThanOrEqual(0.3);
  });

  it('treats assistant+tag@ and upper-case spellings as the assistant', () => {
    const tagged = aMessage({ to: [addr('assistant+invoices@northwind.example')] });
    const shouting = aMessage({ to: [], cc: [addr('Assistant <ASSISTANT@Northwind.Example>')] });
    expect(triageMessage(tagged, ctx).addressing).toBe('direct');
    expect(
      triageMessage(shouting, demoContext({ assistantEmail: 'Assistant@northwind.example' })).addressing,
    ).toBe('cc');
  });

  it('is an owner instruction when the owner writes to the assistant alone', () => {
    const msg = aMessage({ from: MAYA, to: [addr(ASSISTANT)], text: 'Reply to Dana that we accept.' });
    expect(triageMessage(msg, ctx).addressing).toBe('owner_instruction');
  });

  it('is still an owner instruction when the owner copies someone in Cc', () => {
    const msg = aMessage({ from: MAYA, to: [addr(ASSISTANT)], cc: [addr('jo@northwind.example')] });
    expect(triageMessage(msg, ctx).addressing).toBe('owner_instruction');
  });

  it('is direct, not an instruction, when the owner writes to an outsider and the assistant together', () => {
    const r = triageMessage(aMessage({ from: MAYA, to: [DANA, addr(ASSISTANT)] }), ctx);
    expect(r.addressing).toBe('direct');
    expect(r.reasons.join(' ')).toContain('not an instruction');
  });

  it('is forward when the owner forwards a message, even though she writes to the assistant', () => {
    const forwarded = aForwardedMessage('billing@acme.example', 'Invoice 7', 'Invoice attached.');
    const r = triageMessage(
      aMessage({ from: MAYA, to: [addr(ASSISTANT)], subject: 'Fwd: Invoice 7', forwarded }),
      ctx,
    );
    expect(r.addressing).toBe('forward');
    expect(r.requester).toBe('owner');
  });

  it.each(['Fwd:', 'FW:', 'WG:', 'TR:', 'RV:', 'Doorst:', 'Re: Fwd:'])(
    'is forward for a "%s" subject with a forwarded block, even when the parser did not unwrap it',
    (prefix) => {
      const text =
        'See below.\n\n-----Original Message-----\nFrom: Dana Lee\nSent: Monday\nSubject: pilot\n\nHi';
      expect(triageMessage(aMessage({ subject: `${prefix} pilot`, text }), ctx).addressing).toBe('forward');
    },
  );

  it('is forward for a Fwd: subject with an attached message/rfc822', () => {
    const msg = aMessage({
      subject: 'Fwd: pilot',
      attachments: [anAttachment('pilot.eml', 'message/rfc822')],
    });
    expect(triageMessage(msg, ctx).addressing).toBe('forward');
  });

  it('is not a forward for a Fwd: subject without forwarded content', () => {
    expect(
      triageMessage(aMessage({ subject: 'Fwd: pilot', text: 'Any news on this?' }), ctx).addressing,
    ).toBe('direct');
  });

  it('is not a forward for a bounce that carries our original message as message/rfc822', () => {
    const original = aForwardedMessage('assistant@northwind.example', 'Invitation', 'Hi Sam');
    const msg = aMessage({
      from: addr('MAILER-DAEMON@mail.northwind.example'),
      subject: 'Undelivered Mail Returned to Sender',
      headers: { 'return-path': '<>', 'content-type': 'multipart/report; report-type=delivery-status' },
      forwarded: { ...original, via: 'rfc822' },
    });
    expect(triageMessage(msg, ctx)).toMatchObject({ addressing: 'direct', category: 'bounce' });
  });

  it('is an approval reply when In-Reply-To names one of our approval requests', () => {
    const seen: unknown[] = [];
    const approvals = demoContext({
      isApprovalReference: (ids, tags) => {
        seen.push({ ids, tags });
        return ids.includes('dh.approval.1@northwind.example');
      },
    });
    const msg = aMessage({
      from: MAYA,
      inReplyTo: 'dh.approval.1@northwind.example',
      references: ['a@x'],
      text: 'yes',
    });
    expect(triageMessage(msg, approvals).addressing).toBe('approval_reply');
    expect(seen).toEqual([{ ids: ['dh.approval.1@northwind.example', 'a@x'], tags: [] }]);
  });

  it('is an approval reply when the reply goes to assistant+TOKEN@', () => {
    const approvals = demoContext({ isApprovalReference: (_ids, tags) => tags.includes('k3v9x1') });
    const msg = aMessage({ from: MAYA, to: [addr('assistant+K3V9X1@northwind.example')], text: 'yes' });
    expect(triageMessage(msg, approvals).addressing).toBe('approval_reply');
  });

  it('is never an approval reply without a way to check approval references', () => {
    const msg = aMessage({ from: MAYA, to: [addr('assistant+k3v9x1@northwind.example')], text: 'yes' });
    expect(triageMessage(msg, ctx).addressing).toBe('owner_instruction');
  });

  it('is not an approval reply when an out-of-office answers the approval request with "yes" (RELIABILITY.md 14)', () => {
    const approvals = demoContext({ isApprovalReference: () => true });
    const msg = aMessage({
      from: MAYA,
      to: [addr('assistant+k3v9x1@northwind.example')],
      inReplyTo: 'dh.approval.1@northwind.example',
      subject: 'Automatic reply: approve payment?',
      headers: { 'auto-submitted': 'auto-replied' },
      text: 'Yes, I am away until Monday.',
    });
    const r = triageMessage(msg, approvals);
    expect(r.addressing).toBe('direct');
    expect(r.category).toBe('auto_reply');
    expect(r.automatic).toBe(true);
    expect(r.reasons.join(' ')).toContain('automatic mail: not an approval reply');
  });
});

describe('requester', () => {
  it.each([
    ['maya@northwind.example', 'owner'],
    ['MAYA@Northwind.example', 'owner'],
    ['jo@northwind.example', 'team'],
    ['ops@eu.northwind.example', 'team'],
    ['dana@lumen.example', 'external'],
    ['maya@northwind.example.evil.example', 'external'],
    ['maya@evilnorthwind.example', 'external'],
  ])('calls mail from %s %s', (from, requester) => {
    expect(triageMessage(aMessage({ from: addr(from) }), ctx).requester).toBe(requester);
  });

  it('calls mail without a From external', () => {
    const r = triageMessage(aMessage({ from: null }), ctx);
    expect(r.requester).toBe('external');
    expect(r.from).toBe('');
  });
});

describe('automatic mail is never answered (RELIABILITY.md 16)', () => {
  it.each([
    ['a bounce with Return-Path <>', { headers: { 'return-path': '<>' } }, 'bounce'],
    [
      'a multipart/report delivery status',
      { headers: { 'content-type': 'multipart/report; report-type=delivery-status' } },
      'bounce',
    ],
    ['a bounce from MAILER-DAEMON', { from: addr('MAILER-DAEMON@mx.lumen.example') }, 'bounce'],
    ['a List-Id message', { headers: { 'list-id': '<team.lists.example>' } }, 'newsletter'],
    ['a List-Unsubscribe message', { headers: { 'list-unsubscribe': '<mailto:u@x.example>' } }, 'newsletter'],
    ['Precedence: bulk', { headers: { precedence: 'bulk' } }, 'newsletter'],
    ['an auto-reply', { headers: { 'auto-submitted': 'auto-replied' } }, 'auto_reply'],
    ['an auto-reply told by its subject only', { subject: 'Abwesenheitsnotiz: Ihre Anfrage' }, 'auto_reply'],
    ['our own mail', { from: addr(ASSISTANT) }, 'fyi'],
    ['mail stamped with our X-Deskhand-Id', { headers: { 'x-deskhand-id': 'out_1' } }, 'fyi'],
  ] as const)('%s is automatic', (_name, overrides, category) => {
    const r = triageMessage(aMessage({ text: 'Can you please confirm? Yes.', ...overrides }), ctx);
    expect(r.automatic).toBe(true);
    expect(r.category).toBe(category);
  });

  it('reads the decoded subject when the parser gave the signals an RFC 2047 encoded one', () => {
    const raw: Record<string, string> = {
      'auto-submitted': 'auto-generated',
      subject: '=?UTF-8?Q?R=C3=A9ponse_automatique_:_facture?=',
    };
    const msg = aMessage({
      subject: 'Réponse automatique : facture',
      automatic: readAutomaticSignals((name) => raw[name] ?? null, 'text/plain'),
    });
    const r = triageMessage(msg, ctx);
    expect(r).toMatchObject({ automatic: true, category: 'auto_reply' });
    expect(r.reasons.join(' ')).toContain('looks like an auto-reply');
  });

  it('marks our own mail as ownMail', () => {
    const r = triageMessage(
      aMessage({ from: addr('Northwind Assistant <assistant@northwind.example>') }),
      ctx,
    );
    expect(r.ownMail).toBe(true);
    expect(triageMessage(aMessage({ headers: { 'x-deskhand-id': 'out_1' } }), ctx).ownMail).toBe(true);
    expect(triageMessage(aMessage(), ctx).ownMail).toBe(false);
  });

  it('classifies an auto-reply full of asks as an auto-reply with the header as the reason', () => {
    const msg = aMessage({
      headers: { 'auto-submitted': 'auto-replied' },
      text: 'Could you call me? Please!',
    });
    const r = triageMessage(msg, ctx);
    expect(r.category).toBe('auto_reply');
    expect(r.reasons).toContain('Auto-Submitted: auto-replied');
    expect(r.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('files a machine-sent notification that asks something as fyi, not a request', () => {
    const msg = aMessage({
      headers: { 'auto-submitted': 'auto-generated' },
      text: 'Please verify your address.',
    });
    expect(triageMessage(msg, ctx)).toMatchObject({ automatic: true, category: 'fyi' });
  });
});

describe('the result', () => {
  it('lists participants once each, without the assistant, keeping the first name found', () => {
    const msg = aMessage({
      from: addr('dana@lumen.example'),
      to: [addr('assistant+x@northwind.example'), MAYA],
      cc: [addr('Dana Lee <DANA@lumen.example>'), addr(ASSISTANT)],
      replyTo: [addr('Dana <dana@lumen.example>')],
    });
    expect(triageMessage(msg, ctx).participants).toEqual([
      { name: 'Dana Lee', address: 'dana@lumen.example' },
      { name: 'Maya Chen', address: 'maya@northwind.example' },
    ]);
  });

  it('copies the reply text and the forwarded message from the message', () => {
    const forwarded = aForwardedMessage('billing@acme.example', 'Invoice 7', 'Attached.');
    const r = triageMessage(aMessage({ replyText: 'Please file this.', forwarded }), ctx);
    expect(r.replyText).toBe('Please file this.');
    expect(r.forwarded).toBe(forwarded);
    expect(r.from).toBe('dana@lumen.example');
  });

  it('never repeats a reason', () => {
    const r = triageMessage(aMessage({ headers: { 'list-id': '<n.example>' } }), ctx);
    expect(new Set(r.reasons).size).toBe(r.reasons.length);
  });
});

describe('real messages from the mailparser corpus', () => {
  const load = (name: string) => readFileSync(new URL(name, CORPUS));

  it('calls the Amazon SES delivery-status.eml a bounce', async () => {
    const r = triageMessage(await messageFromEml(load('delivery-status.eml')), ctx);
    expect(r).toMatchObject({ category: 'bounce', automatic: true, requester: 'external' });
  });

  it('calls the Launchpad bug mail in large_text.eml a newsletter (List-Id, Precedence: bulk)', async () => {
    const r = triageMessage(await messageFromEml(load('large_text.eml')), ctx);
    expect(r).toMatchObject({ category: 'newsletter', automatic: true });
  });

  it('leaves spam.eml unjudged without a filter verdict, and calls it spam once the filter marks it', async () => {
    const raw = load('spam.eml');
    expect(triageMessage(await messageFromEml(raw), ctx).category).not.toBe('spam');
    const filtered = Buffer.concat([
      Buffer.from('X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=12.3\r\n'),
      raw,
    ]);
    expect(triageMessage(await messageFromEml(filtered), ctx).category).toBe('spam');
  });
});
