import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { renderDigest } from '../../src/digest/digest.render.ts';
import { readDigestReply } from '../../src/digest/digest.reply.ts';
import { digestDue, sendDigest } from '../../src/digest/digest.send.ts';
import { eml } from '../support/pglite.ts';
import {
  ASSISTANT,
  approvalsConfig,
  demoMail,
  type Harness,
  harness,
  OWNER,
  ownerAnswer,
  pipelineOnPglite,
} from './builders/approvals-harness.ts';

// The daily digest through the real pipeline on PGlite: what it lists (numbered decisions oldest
// first, payments to make, exceptions, invoices, meetings, numbers), exactly one per day, and the
// owner's answer "approve 1 3, reject 2" deciding exactly those items with the same verification
// as a single approval (the harness's fake DKIM: `X-Test-Signed`).

let h: DatabaseHandle;
let t: Harness;
pipelineOnPglite(
  (db, harnessed) => {
    h = db;
    t = harnessed;
  },
  () => approvalsConfig({ DIGEST_TIME: '08:00', REPLY_RATE_PER_HOUR: '20' }),
);

const outboxOf = (purpose: string) =>
  h.db.selectFrom('outbox').selectAll().where('purpose', '=', purpose).orderBy('id').execute();
const rounds = () => h.db.selectFrom('approvals').selectAll().orderBy('id').execute();

/** A guest asks for a meeting in their own thread (the assistant copied): an offer awaits approval. */
async function asks(person: string, subject: string): Promise<void> {
  await t.deliver(
    eml({
      from: person,
      to: `Maya Chen <${OWNER}>`,
      cc: ASSISTANT,
      subject,
      messageId: `${subject.replace(/\W+/g, '-')}@guest.example`,
      date: 'Mon, 16 Mar 2026 05:00:00 -0400',
      body: 'Hi Maya,\n\ncould we find 30 minutes next week to talk this through?\n\nBest',
    }),
  );
}

async function dayOfMail(): Promise<void> {
  await asks('Dana Lee <dana@lumen.example>', 'Q2 plan');
  t.clock.set('2026-03-16T09:05:00Z');
  await asks('Sam Ortiz <sam@ortiz.example>', 'Audit scope');
  t.clock.set('2026-03-16T09:10:00Z');
  await asks('Tom Berg <tom@berg.example>', 'Brochure print run');
  t.clock.set('2026-03-16T09:15:00Z');
  await t.deliver(demoMail('02-forwarded-invoice.eml'));
}

const digestAnswer = (
  digest: { message_id: string; subject: string; extra_headers: Record<string, string> },
  text: string,
  signed: string | false = 'yes',
) =>
  ownerAnswer({
    inReplyTo: digest.message_id,
    subject: digest.subject,
    text,
    to: digest.extra_headers['Reply-To'] ?? ASSISTANT,
    signed,
  });

describe('the daily digest', () => {
  it('lists the open decisions oldest first, numbered, with the flagged one marked, and is sent once per day', async () => {
    await dayOfMail();
    t.clock.set('2026-03-17T07:00:00Z'); // 08:00 in Berlin
    expect(await digestDue(t.deps)).toBe(true);
    const first = await sendDigest(t.deps);
    expect(first.kind).toBe('sent');
    expect(await sendDigest(t.deps)).toEqual({ kind: 'exists', day: '2026-03-17' });
    expect(await digestDue(t.deps)).toBe(false);
    const [digest, ...more] = await outboxOf('digest');
    expect(more).toEqual([]);
    expect(digest!.to_addresses).toEqual([OWNER]);
    expect(digest!.subject).toBe('Your digest for Tuesday 17 March 2026 — 4 decisions');
    expect(digest!.extra_headers['Reply-To']).toMatch(/^assistant\+dh-a-[0-9a-f]{32}@northwind\.example$/);
    const text = digest!.text_body;
    const numbered = text.split('\n').filter((l) => /^ {2}\d\. /.test(l));
    expect(numbered).toEqual([
      '  1. Send this reply to Dana Lee',
      '  2. Send this reply to Sam Ortiz',
      '  3. Send this reply to Tom Berg',
      expect.stringMatching(/^ {2}4\. Approve ACME GmbH invoice 2024-0042: EUR 1,190\.00 due 2024-03-31$/),
    ]);
    expect(text).toMatch(/4\. Approve ACME[^\n]*\n {5}needs a decision: first invoice from a new vendor/);
    expect(text).toContain('INVOICES');
    expect(text).toMatch(/Received:\n {4}- ACME GmbH 2024-0042: EUR 1,190\.00, due 2024-03-31 \(received\)/);
    expect(text).toContain('Open, by currency: EUR 1,190.00');
    expect(text).toMatch(/Waiting for an answer:\n {4}- Q2 plan with Dana Lee: waiting for your approval/);
    // The numbers since yesterday (docs/metrics.md) and one trend line per day of the past week.
    expect(text).toMatch(/NUMBERS\n {2}Messages in: 4\n[\s\S]* {2}Messages handled: 4\n/);
    expect(text).toMatch(/THE WEEK\n( {2}\w{3} \d{1,2} Mar: \d+ handled, \d+ for you, [^\n]+ saved\n){7}/);
    expect(text).toContain('  Mon 16 Mar: 4 handled, 4 for you,');
    // The HTML is the same content, escaped, with no remote content.
    expect(digest!.html_body).toContain('Send this reply to Dana Lee');
    expect(digest!.html_body).not.toMatch(/<img|https?:\/\/|<script/i);
    // Next day: a new digest.
    t.clock.set('2026-03-18T07:00:00Z');
    expect((await sendDigest(t.deps)).kind).toBe('sent');
    expect(await outboxOf('digest')).toHaveLength(2);
  });

  it('"approve 1 3, reject 2" decides exactly those items, once, with one confirmation; a forged or repeated answer changes nothing', async () => {
    await dayOfMail();
    t.clock.set('2026-03-17T07:00:00Z');
    await sendDigest(t.deps);
    const [digest] = await outboxOf('digest');

    // Unsigned, in the owner's name: nothing decided.
    await t.deliver(digestAnswer(digest!, 'approve 1 2 3 4', false));
    expect((await rounds()).map((r) => r.status)).toEqual(['open', 'open', 'open', 'open']);

    await t.deliver(digestAnswer(digest!, 'Approve 1 3, reject 2.\n\nMaya'));
    expect((await rounds()).map((r) => r.status)).toEqual(['approved', 'rejected', 'approved', 'open']);
    const offers = await outboxOf('reply');
    expect(offers.map((o) => o.to_addresses)).toEqual([['dana@lumen.example'], ['tom@berg.example']]);
    const notices = (await outboxOf('notice')).filter((n) =>
      n.subject.startsWith('[deskhand] From your digest'),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe('[deskhand] From your digest of 2026-03-17: 2 approved, 1 dropped');
    expect(notices[0]!.text_body).toContain('  1. Send this reply to Dana Lee — approved');
    expect(notices[0]!.text_body).toContain('  2. Send this reply to Sam Ortiz — dropped');
    // Sam's offer held nothing once dropped; no per-item "Dropped:" mail besides the one confirmation.
    expect((await outboxOf('notice')).filter((n) => n.subject.startsWith('[deskhand] Dropped:'))).toEqual([]);

    // Another answer to the same digest: decided items stay decided; the flagged one needs its own number.
    await t.deliver(digestAnswer(digest!, 'approve 2\nyes to all'));
    expect((await rounds()).map((r) => r.status)).toEqual(['approved', 'rejected', 'approved', 'open']);
    const second = (await outboxOf('notice')).filter((n) =>
      n.subject.startsWith('[deskhand] From your digest'),
    );
    expect(second).toHaveLength(2);
    expect(second[1]!.text_body).toContain(
      '2. Send this reply to Sam Ortiz — already rejected; nothing more done',
    );
    expect(second[1]!.text_body).toMatch(
      /4\. Approve ACME[^\n]* — needs a decision: answer it by its number/,
    );
    expect(await outboxOf('reply')).toHaveLength(2);
  });

  it('"paid N" marks an approved invoice paid; numbers it did not list, or doubtful ones, do nothing', async () => {
    await t.deliver(demoMail('02-forwarded-invoice.eml'));
    const [round] = await rounds();
    const request = (await outboxOf('approval'))[0]!;
    await t.deliver(
      ownerAnswer({
        inReplyTo: request.message_id,
        subject: request.subject,
        text: 'Yes, go ahead.',
        to: request.extra_headers['Reply-To'] ?? ASSISTANT,
      }),
    );
    expect((await rounds())[0]?.id).toBe(round!.id);
    expect((await h.db.selectFrom('invoices').select('status').executeTakeFirstOrThrow()).status).toBe(
      'approved',
    );
    t.clock.set('2026-03-17T07:00:00Z');
    await sendDigest(t.deps);
    const [digest] = await outboxOf('digest');
    expect(digest!.text_body).toMatch(
      /APPROVED, TO PAY[^\n]*\n {2}1\. Pay ACME GmbH EUR 1,190\.00, invoice 2024-0042/,
    );
    await t.deliver(digestAnswer(digest!, 'maybe 1? and paid 7'));
    expect((await h.db.selectFrom('invoices').select('status').executeTakeFirstOrThrow()).status).toBe(
      'approved',
    );
    await t.deliver(digestAnswer(digest!, 'paid 1'));
    expect((await h.db.selectFrom('invoices').select('status').executeTakeFirstOrThrow()).status).toBe(
      'paid',
    );
    const j = await h.db
      .selectFrom('journal')
      .select('action')
      .where('action', '=', 'invoice_paid')
      .execute();
    expect(j).toHaveLength(1);
  });

  it('with DIGEST_SKIP_EMPTY, a day with nothing to say sends nothing, once', async () => {
    t = harness(h, approvalsConfig({ DIGEST_SKIP_EMPTY: 'true' }));
    t.clock.set('2026-03-17T07:00:00Z');
    expect(await sendDigest(t.deps)).toEqual({
      kind: 'skipped',
      day: '2026-03-17',
      reason: 'nothing to say',
    });
    expect(await sendDigest(t.deps)).toEqual({ kind: 'exists', day: '2026-03-17' });
    expect(await outboxOf('digest')).toEqual([]);
  });
});

describe('reading a digest answer', () => {
  const listed = new Set([1, 2, 3, 4, 5]);
  it.each([
    [
      'approve 1 3, reject 2',
      [
        [1, 'approve'],
        [3, 'approve'],
        [2, 'reject'],
      ],
    ],
    ['1 yes', [[1, 'approve']]],
    [
      '1 yes 2 no',
      [
        [1, 'approve'],
        [2, 'reject'],
      ],
    ],
    [
      '1 yes, 2 no',
      [
        [1, 'approve'],
        [2, 'reject'],
      ],
    ],
    ['2: no', [[2, 'reject']]],
    ['paid 4', [[4, 'paid']]],
    ['mark 4 as paid', [[4, 'paid']]],
    [
      'approve 1, 3',
      [
        [1, 'approve'],
        [3, 'approve'],
      ],
    ],
    [
      'approve 1-3',
      [
        [1, 'approve'],
        [2, 'approve'],
        [3, 'approve'],
      ],
    ],
    [
      'Approve 1 and 3.\nReject 2.',
      [
        [1, 'approve'],
        [3, 'approve'],
        [2, 'reject'],
      ],
    ],
    [
      'approve 1 reject 2',
      [
        [1, 'approve'],
        [2, 'reject'],
      ],
    ],
    ['1 👍', [[1, 'approve']]],
    [
      'Yes 1, no 2, paid 4. Thanks!',
      [
        [1, 'approve'],
        [2, 'reject'],
        [4, 'paid'],
      ],
    ],
  ])('%j', (text, expected) => {
    const a = readDigestReply(text, listed);
    expect(a.actions.map((x) => [x.number, x.verb])).toEqual(expected);
    expect(a.unclear).toEqual([]);
  });

  it.each([
    ["don't approve 2"],
    ['maybe 3'],
    ['3?'],
    ['approve 1 and 2, but 2 no'],
    ['approve 1, 2 not'],
    ['approve 1\n3 dont'],
    ['approve all except 3'],
    ['approve all but 2'],
    ['Approve 1 and 2 - 3 not yet'],
    ['send 2 to Jonas instead'],
  ])('%j decides nothing for the doubtful number', (text) => {
    const a = readDigestReply(text, listed);
    expect(a.unclear.length).toBeGreaterThan(0);
    for (const u of a.unclear) expect(a.actions.some((x) => x.number === u.number)).toBe(false);
  });

  it('reports numbers the digest did not list, and reads "yes to all" as all', () => {
    expect(readDigestReply('approve 7', listed).unknown).toEqual([7]);
    expect(readDigestReply('yes to all', listed).all).toBe('approve');
    expect(readDigestReply("OK that's all", listed).all).toBeNull();
    expect(readDigestReply('approve all except 3', listed).all).toBeNull();
    expect(readDigestReply('approve 1 at 10:30', listed).actions.map((x) => x.number)).toEqual([1]);
  });

  it('renders an empty day in a sentence, and escapes what mail put in the HTML', () => {
    const content = {
      day: '2026-03-17',
      dayText: 'Tuesday 17 March 2026',
      since: '2026-03-16T07:00:00.000Z',
      decisions: [
        {
          number: 1,
          kind: 'approval' as const,
          ref: '1',
          label: 'Send this reply to <b>Eve</b>',
          detail: 'x',
          flagged: false,
        },
      ],
      payments: [],
      exceptions: [],
      invoices: { received: [], dueSoon: [], overdue: [], openTotals: [] },
      meetings: { today: [], upcoming: [], unanswered: [] },
      done: [],
      numbers: [],
      trend: [],
      journalMark: '0',
    };
    const r = renderDigest(content, 'a'.repeat(32), 'Maya Chen');
    expect(r.html).toContain('Send this reply to &lt;b&gt;Eve&lt;&#x2F;b&gt;');
    expect(r.text).toContain('1. Send this reply to <b>Eve</b>');
    const empty = renderDigest({ ...content, decisions: [] }, 'a'.repeat(32), 'Maya Chen');
    expect(empty.text).toContain('Nothing new since the last digest, and nothing waits for you.');
    expect(empty.subject).toBe('Your digest for Tuesday 17 March 2026');
  });
});
