import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInvoicePdf } from '../../examples/make-demo-pdf.ts';
import { DRAFT_END, DRAFT_START } from '../../src/approvals/reply/reply.markers.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { closePdfReader } from '../../src/extract/pdf/pdf.reader.ts';
import { handleProcessJob } from '../../src/jobs/handlers.ts';
import { readJournal } from '../../src/journal/journal.read.ts';
import { formatDuration, formatMoneyCaught, metricsTable } from '../../src/journal/metrics.format.ts';
import { computeMetrics, weeklyTrend } from '../../src/journal/metrics.ts';
import { memoryDb } from '../support/pglite.ts';
import {
  ASSISTANT,
  approvalsConfig,
  demoMail,
  type Harness,
  harness,
  ownerAnswer,
} from './builders/approvals-harness.ts';

// The metrics (docs/metrics.md) over a small, known history made by the real pipeline on PGlite:
// the sample mailbox's meeting, invoice, newsletter and reply request, the owner's answers (a
// correction, an edit, a change, a "no"), the same invoice forwarded again, an invoice asking for
// payment to a new account, and Dana booking the meeting. Arrival times are set on the rows; the
// harness's clock dates what the pipeline does. Journal rows carry the database's own clock, so
// windows that must see them reach up to now.

let h: DatabaseHandle;
let t: Harness;
const config = approvalsConfig({ OWNER_TIMEZONE: 'America/New_York', METRICS_MINUTES: 'triage=2' });
const minutes = config.env.METRICS_MINUTES;
const ids: Record<string, string> = {};

/** Stores `raw` as arrived at `arrived`, then processes it with the clock at `processed`. */
async function deliverAt(raw: Buffer, arrived: string, processed: string): Promise<string> {
  const id = await t.storeOnly(raw);
  if (!id) throw new Error('not stored (duplicate)');
  await h.db
    .updateTable('messages')
    .set({ received_at: new Date(arrived) })
    .where('id', '=', id)
    .execute();
  t.clock.set(processed);
  await handleProcessJob(t.deps, id);
  return id;
}

const openRounds = () =>
  h.db
    .selectFrom('approvals')
    .innerJoin('outbox', 'outbox.id', 'approvals.request_outbox_id')
    .innerJoin('proposals', 'proposals.id', 'approvals.proposal_id')
    .select([
      'approvals.id',
      'outbox.message_id',
      'outbox.subject',
      'outbox.text_body',
      'outbox.extra_headers',
    ])
    .select('proposals.kind')
    .where('approvals.status', '=', 'open')
    .orderBy('approvals.id')
    .execute();
type Round = Awaited<ReturnType<typeof openRounds>>[number];

let answers = 0;
const answerTo = (r: Round, text: string) =>
  ownerAnswer({
    inReplyTo: r.message_id,
    subject: r.subject,
    text,
    quoted: r.text_body,
    to: r.extra_headers['Reply-To'] ?? ASSISTANT,
    messageId: `metrics-answer-${++answers}@mail.northwind.example`,
  });

async function roundOf(kind: string): Promise<Round> {
  const r = (await openRounds()).find((x) => x.kind === kind);
  if (!r) throw new Error(`no open ${kind} round`);
  return r;
}

/** ACME's next invoice, in USD, asking for payment to an account never seen before. */
async function newAccountInvoice(): Promise<Buffer> {
  const pdf = buildInvoicePdf({
    'Invoice number: 2024-0042': 'Invoice number: 2024-0044',
    'Issue date: 2024-03-01': 'Issue date: 2024-05-02',
    'Due date: 2024-03-31': 'Due date: 2024-06-01',
    'Currency: EUR': 'Currency: USD',
    '10 × 100,00': '10 × 200,00',
    '1.000,00': '2.000,00',
    'Subtotal EUR 1.000,00': 'Subtotal USD 2.000,00',
    'VAT 19% EUR 190,00': 'VAT 19% USD 380,00',
    'Total EUR 1.190,00': 'Total USD 2.380,00',
    'Please transfer the total by 2024-03-31, quoting the invoice number.':
      'Please transfer the total by 2024-06-01, quoting the invoice number.',
    'Commerzbank · IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX':
      'Bayerische Landesbank · IBAN DE02 1203 0000 0000 2020 51 · BIC BYLADEM1001',
  });
  return new MailComposer({
    from: 'ACME GmbH Billing <billing@acme.example>',
    to: ASSISTANT,
    subject: 'Invoice 2024-0044 — please note our new bank details',
    messageId: '<inv-2024-0044@acme.example>',
    date: new Date('2026-03-16T15:00:00Z'),
    text: 'Please find our invoice attached. Note our new bank account.\n\nACME GmbH',
    attachments: [{ filename: 'invoice-2024-0044.pdf', content: pdf, contentType: 'application/pdf' }],
  })
    .compile()
    .build();
}

/** Dana's answer to the meeting offer the assistant sent her on its own: the second time. */
async function danaPicks(): Promise<Buffer> {
  const offer = await h.db
    .selectFrom('outbox')
    .selectAll()
    .where('purpose', '=', 'reply')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const refs = [...(offer.references ?? '').split(' ').filter(Boolean), offer.message_id];
  return Buffer.from(
    [
      'From: Dana Lee <dana@lumen.example>',
      `To: ${ASSISTANT}`,
      'Cc: Maya Chen <maya@northwind.example>',
      `Subject: ${offer.subject}`,
      'Message-ID: <metrics-pick@lumen.example>',
      `In-Reply-To: <${offer.message_id}>`,
      `References: ${refs.map((r) => `<${r}>`).join(' ')}`,
      'Date: Mon, 16 Mar 2026 14:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The second one works for me — talk then!',
      '',
      ...offer.text_body.split('\n').map((l) => `> ${l}`),
      '',
    ].join('\r\n'),
  );
}

const sameInvoiceAgain = () =>
  Buffer.from(
    demoMail('02-forwarded-invoice.eml')
      .toString('latin1')
      .replace('20260311074117.8d2f0a65@mail.northwind.example', 'forwarded-again@mail.northwind.example'),
    'latin1',
  );

async function history(): Promise<void> {
  // 09:00 Maya asks the assistant (cc) to find a time with Dana: the offer goes out on its own.
  ids.meeting = await deliverAt(
    demoMail('01-cc-meeting.eml'),
    '2026-03-16T09:00:00Z',
    '2026-03-16T09:00:30Z',
  );
  // 09:10 the forwarded ACME invoice: a payment approval (first invoice from a new vendor).
  ids.invoice = await deliverAt(
    demoMail('02-forwarded-invoice.eml'),
    '2026-03-16T09:10:00Z',
    '2026-03-16T09:11:00Z',
  );
  // 09:20 a newsletter: sorted, nothing else.
  ids.newsletter = await deliverAt(
    demoMail('03-newsletter.eml'),
    '2026-03-16T09:20:00Z',
    '2026-03-16T09:20:10Z',
  );
  // 09:30 "reply to Dana …": a reply draft to approve.
  ids.request = await deliverAt(
    demoMail('09-owner-reply-request.eml'),
    '2026-03-16T09:30:00Z',
    '2026-03-16T09:31:00Z',
  );
  // 10:00 "yes, but due 2024-04-15": approved with a correction.
  await deliverAt(
    answerTo(await roundOf('payment'), 'yes, but due 2024-04-15'),
    '2026-03-16T10:00:00Z',
    '2026-03-16T10:00:20Z',
  );
  // 11:30 "Yes" with the draft edited: approved with an edit, the reply queued.
  const reply = await roundOf('reply_draft');
  const block = reply.text_body.slice(
    reply.text_body.indexOf(DRAFT_START),
    reply.text_body.indexOf(DRAFT_END) + DRAFT_END.length,
  );
  const edited = block.replace(/^.*\[\[.*\]\].*$/m, 'Could you send it by Friday?');
  await deliverAt(answerTo(reply, `Yes\n\n${edited}`), '2026-03-16T11:30:00Z', '2026-03-16T11:30:30Z');
  // 12:00 the same invoice forwarded again: flagged as a duplicate.
  ids.duplicate = await deliverAt(sameInvoiceAgain(), '2026-03-16T12:00:00Z', '2026-03-16T12:01:00Z');
  // 12:30 "total: 1200.00" alone: a new round; 13:00 "No" to it: rejected, money kept.
  await deliverAt(
    answerTo(await roundOf('payment'), 'total: 1200.00'),
    '2026-03-16T12:30:00Z',
    '2026-03-16T12:30:30Z',
  );
  await deliverAt(answerTo(await roundOf('payment'), 'No'), '2026-03-16T13:00:00Z', '2026-03-16T13:00:30Z');
  // 14:00 Dana picks a time: booked.
  ids.pick = await deliverAt(await danaPicks(), '2026-03-16T14:00:00Z', '2026-03-16T14:02:00Z');
  // 15:00 ACME asks for payment to a new account, in USD: flagged, left open.
  ids.newAccount = await deliverAt(await newAccountInvoice(), '2026-03-16T15:00:00Z', '2026-03-16T15:00:40Z');
  // The model ledger (the harness runs on rules): two answers, one of an unpriced model, a cache hit, a timeout.
  await h.db
    .insertInto('llm_calls')
    .values([
      {
        at: '2026-03-16T09:00:10Z',
        label: 'triage',
        model: 'gpt-4o-mini',
        prompt_tokens: 1200,
        completion_tokens: 80,
        cost_usd: '0.000228',
        latency_ms: 900,
        outcome: 'ok',
      },
      {
        at: '2026-03-16T09:05:00Z',
        label: 'draft',
        model: 'local-llama',
        prompt_tokens: 900,
        completion_tokens: 150,
        cost_usd: null,
        latency_ms: 2100,
        outcome: 'ok',
      },
      {
        at: '2026-03-16T09:06:00Z',
        label: 'draft',
        model: 'gpt-4o-mini',
        prompt_tokens: 0,
        completion_tokens: 0,
        cost_usd: '0',
        latency_ms: 3,
        outcome: 'cached',
      },
      {
        at: '2026-03-16T09:07:00Z',
        label: 'draft',
        model: 'gpt-4o-mini',
        prompt_tokens: null,
        completion_tokens: null,
        cost_usd: null,
        latency_ms: 30000,
        outcome: 'timeout',
      },
      {
        at: '2026-03-10T09:00:00Z',
        label: 'triage',
        model: 'gpt-4o-mini',
        prompt_tokens: 10,
        completion_tokens: 10,
        cost_usd: '1',
        latency_ms: 100,
        outcome: 'ok',
      },
    ])
    .execute();
}

beforeAll(async () => {
  h = await memoryDb();
  t = harness(h, config);
  await history();
}, 120_000);
afterAll(async () => {
  await closePdfReader();
  await h.close();
});

/** From before the history until tomorrow: sees the journal's rows, dated by the database's clock. */
const all = () =>
  computeMetrics(h.db, {
    since: new Date('2026-03-11T00:00:00Z'),
    until: new Date(Date.now() + 86_400_000),
    minutes,
  });

describe('metrics over a known history', () => {
  it('the history is what the metrics below assume', async () => {
    const msgs = await h.db
      .selectFrom('messages')
      .select(['id', 'addressing', 'status'])
      .orderBy('id')
      .execute();
    expect(msgs).toHaveLength(11);
    expect(msgs.filter((m) => m.addressing === 'approval_reply')).toHaveLength(4);
    expect(await h.db.selectFrom('approvals').select('status').orderBy('id').execute()).toEqual([
      { status: 'approved' },
      { status: 'approved' },
      { status: 'superseded' },
      { status: 'rejected' },
      { status: 'open' },
    ]);
    expect(await h.db.selectFrom('meetings').select('status').execute()).toEqual([{ status: 'booked' }]);
  });

  it("handled counts processed mail, not the owner's answers to approval requests; escalated is what needed the owner", async () => {
    const m = await all();
    // meeting, invoice, newsletter, reply request, the duplicate, Dana's pick, the new-account invoice.
    expect(m.messages).toEqual({ handled: 7, quarantined: 0, escalated: 4 });
    // invoice, reply request, duplicate and new account asked the owner; the rest ran on its own.
    expect(m.escalationRate).toBeCloseTo(4 / 7, 10);
  });

  it("cycle time runs from arrival to done: the skills, or the decision on the message's proposal", async () => {
    const m = await all();
    // Done after (s): newsletter 10, meeting offer 30, Dana's pick 120, invoice approved 3020,
    // duplicate rejected 3630, reply sent 7230; the new-account invoice still waits.
    expect(m.cycleTime).toEqual({ done: 6, open: 1, medianSeconds: 1570, p90Seconds: 5430 });
  });

  it('the correction rate is the decided rounds the owner edited or corrected', async () => {
    const m = await all();
    // Decided: corrected due date (approved), edited draft (approved), "total: 1200.00" (changed), "No".
    expect(m.approvals).toEqual({
      decided: 4,
      approved: 2,
      rejected: 1,
      changed: 1,
      corrected: 3,
      automatic: 1,
    });
    expect(m.correctionRate).toBe(0.75);
  });

  it("minutes saved is each action's count times its estimate, with METRICS_MINUTES overriding one", async () => {
    const m = await all();
    expect(m.minutesSaved.byAction).toEqual({
      triage: { count: 7, minutes: 14 },
      document: { count: 3, minutes: 18 },
      draft: { count: 1, minutes: 5 },
      meeting: { count: 1, minutes: 10 },
      payment: { count: 1, minutes: 2 },
    });
    expect(m.minutesSaved.total).toBe(49);
  });

  it('money caught is listed per currency, never summed across them, and only what was not approved', async () => {
    const m = await all();
    expect(m.moneyCaught).toEqual([
      { currency: 'EUR', amount: 1190, invoices: 1, duplicate: 1, bankChanged: 0, rejected: 1, open: 0 },
      { currency: 'USD', amount: 2380, invoices: 1, duplicate: 0, bankChanged: 1, rejected: 0, open: 1 },
    ]);
    expect(formatMoneyCaught(m.moneyCaught)).toBe('EUR 1,190.00 (1 invoice) · USD 2,380.00 (1 invoice)');
  });

  it('model calls and cost come from the ledger: cache hits apart, failures counted, unknown prices flagged', async () => {
    const m = await all();
    expect(m.model).toEqual({
      calls: 3,
      cached: 1,
      failed: 1,
      promptTokens: 2100,
      completionTokens: 230,
      costUsd: 0.000228,
      unpricedCalls: 1,
    });
  });
});

describe('windows', () => {
  it('message metrics take the messages that arrived in the window; events, what happened in it', async () => {
    const m = await computeMetrics(h.db, {
      since: new Date('2026-03-16T09:00:00Z'),
      until: new Date('2026-03-16T10:00:00Z'),
      minutes,
    });
    expect(m.messages).toEqual({ handled: 4, quarantined: 0, escalated: 2 });
    // Cohort of arrivals: 10, 30, 3020 (decided after the window) and 7230 s.
    expect(m.cycleTime).toEqual({ done: 4, open: 0, medianSeconds: 1525, p90Seconds: 5967 });
    // No round was decided before 10:00:20; the meeting offer went out on its own at 09:00:30.
    expect(m.approvals).toMatchObject({ decided: 0, automatic: 1 });
    expect(m.correctionRate).toBeNull();
    expect(m.minutesSaved.byAction.document.count).toBe(1);
    expect(m.minutesSaved.byAction.payment.count).toBe(0);
    expect(m.moneyCaught).toEqual([]);
    expect(m.model).toMatchObject({ calls: 3, cached: 1, failed: 1, costUsd: 0.000228, unpricedCalls: 1 });
  });

  it('an empty window gives zeros and nulls, not errors', async () => {
    const m = await computeMetrics(h.db, {
      since: new Date('2020-01-01T00:00:00Z'),
      until: new Date('2020-01-02T00:00:00Z'),
      minutes,
    });
    expect(m.messages).toEqual({ handled: 0, quarantined: 0, escalated: 0 });
    expect(m.escalationRate).toBeNull();
    expect(m.cycleTime).toEqual({ done: 0, open: 0, medianSeconds: null, p90Seconds: null });
    expect(m.minutesSaved.total).toBe(0);
  });

  it('the weekly trend is consecutive 7-day windows ending at `until`, oldest first', async () => {
    const trend = await weeklyTrend(h.db, { until: new Date('2026-03-17T00:00:00Z'), weeks: 2, minutes });
    expect(trend.map((w) => w.weekStart)).toEqual(['2026-03-03T00:00:00.000Z', '2026-03-10T00:00:00.000Z']);
    expect(trend.map((w) => w.metrics.messages.handled)).toEqual([0, 7]);
    expect(trend.map((w) => w.metrics.model.costUsd)).toEqual([0, 1.000228]);
    expect(trend[1]!.metrics.until).toBe('2026-03-17T00:00:00.000Z');
  });
});

describe('the journal, read back', () => {
  it('every entry of a message links its message, proposal, approval round and outbox row', async () => {
    const page = await readJournal(h.db, { messageIds: [ids.request!], limit: 100, since: new Date(0) });
    const actions = page.entries.map((e) => e.action);
    expect(actions).toEqual([
      'triaged',
      'proposed',
      'send_queued',
      'approval_requested',
      'approval_answer_read',
      'approval_approved',
      'send_queued',
      'approval_executed',
    ]);
    const executed = page.entries.at(-1)!;
    expect(executed.proposal).toMatchObject({ kind: 'reply_draft', status: 'executed' });
    expect(executed.approval).toMatchObject({ round: 1, status: 'approved' });
    expect(executed.outbox).toMatchObject({ purpose: 'reply', status: 'pending' });
    expect(executed.message?.subject).toBe('Re: [deskhand] Send this reply to Dana Lee');
    const asked = page.entries.find((e) => e.action === 'approval_requested')!;
    expect(asked.message).toEqual({ id: ids.request, subject: 'Fwd: Offer for the Q2 analytics project' });
    expect(asked.outbox).toMatchObject({ purpose: 'approval' });
  });

  it('meeting entries link the meeting; pages continue with `next`', async () => {
    const booked = (await readJournal(h.db, { limit: 1000, since: new Date(0) })).entries.find(
      (e) => e.action === 'meeting_booked',
    );
    expect(booked?.meeting).toMatchObject({ status: 'booked' });
    const first = await readJournal(h.db, { limit: 5, since: new Date(0) });
    expect(first.entries).toHaveLength(5);
    const second = await readJournal(h.db, { limit: 5, after: first.next });
    expect(Number(second.entries[0]!.id)).toBe(Number(first.entries[4]!.id) + 1);
    const tail = await readJournal(h.db, { limit: 3 });
    expect(tail.next).toBeNull();
    const ids3 = tail.entries.map((e) => Number(e.id));
    expect(ids3).toEqual([...ids3].sort((a, b) => a - b));
  });
});

describe('formatting and configuration', () => {
  it('durations read as people say them', () => {
    expect([null, 42, 1570, 5430, 7230, 200_000].map(formatDuration)).toEqual([
      '—',
      '42 s',
      '26 min',
      '1 h 31 min',
      '2 h 1 min',
      '2 d 7 h',
    ]);
  });

  it('the status table puts windows side by side', async () => {
    const lines = metricsTable([{ title: 'all', metrics: await all() }]);
    expect(lines[0]!.trim()).toBe('all');
    expect(lines).toContain('escalation rate        57% (4/7)');
    expect(lines).toContain('correction rate        75% (3/4)');
  });

  it('METRICS_MINUTES: defaults, partial overrides, and a sentence naming the variable when wrong', () => {
    expect(loadConfig({}).env.METRICS_MINUTES).toEqual({
      triage: 1,
      document: 6,
      draft: 5,
      meeting: 10,
      payment: 2,
    });
    expect(loadConfig({ METRICS_MINUTES: 'draft=7.5, meeting=15' }).env.METRICS_MINUTES).toMatchObject({
      triage: 1,
      draft: 7.5,
      meeting: 15,
    });
    expect(() => loadConfig({ METRICS_MINUTES: 'replies=3' })).toThrow(
      /METRICS_MINUTES: unknown action "replies" \(one of triage, document, draft, meeting, payment\)/,
    );
    expect(() => loadConfig({ METRICS_MINUTES: 'triage=-1' })).toThrow(/METRICS_MINUTES: must look like/);
  });
});
