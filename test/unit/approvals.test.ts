import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildInvoicePdf } from '../../examples/make-demo-pdf.ts';
import { handleApprovalReply } from '../../src/approvals/approval.decide.ts';
import { draftBlock as draftBlockOf, parseDraftBlock } from '../../src/approvals/approval.draft.ts';
import { renderApproval } from '../../src/approvals/approval.render.ts';
import { requestApproval } from '../../src/approvals/approval.request.ts';
import { confirmExecutions, expireApprovals } from '../../src/approvals/approval.sweep.ts';
import { neutralizeMarkers } from '../../src/approvals/reply/reply.draft.ts';
import { DRAFT_END, DRAFT_START } from '../../src/approvals/reply/reply.markers.ts';
import { readApprovalReply } from '../../src/approvals/reply/reply.read.ts';
import { readHeaderFields } from '../../src/auth/header-fields.ts';
import { authenticateSender } from '../../src/auth/sender-auth.ts';
import { coveredByAlignedSignature } from '../../src/auth/signed-fields.ts';
import type { DatabaseHandle } from '../../src/db/db.ts';
import type { ApprovalRow } from '../../src/db/db.types.ts';
import { handleProcessJob } from '../../src/jobs/handlers.ts';
import { eml } from '../support/pglite.ts';
import {
  type AnswerSpec,
  ASSISTANT,
  approvalsConfig,
  demoMail,
  type Harness,
  harness,
  OWNER,
  ownerAnswer,
  pipelineOnPglite,
  prepend,
  TYPICAL_H,
} from './builders/approvals-harness.ts';

// Approvals end to end (DESIGN.md safety model; RELIABILITY.md 9–15) through the real pipeline
// (store → triage → skills → approval request; the owner's answer → verify → decide) on PGlite.
// The owner's DKIM signature is modelled by the harness's fake `authenticate`: only what it
// covers counts. Every test asserts on the rows: approvals, proposals, invoices, outbox, journal.

let h: DatabaseHandle;
let t: Harness;
pipelineOnPglite((db, harnessed) => {
  h = db;
  t = harnessed;
});

// ── reading the rows ───────────────────────────────────────────────────────────────────────────

const outbox = () => h.db.selectFrom('outbox').selectAll().orderBy('id').execute();
const outboxOf = async (purpose: string) => (await outbox()).filter((o) => o.purpose === purpose);
const rounds = () => h.db.selectFrom('approvals').selectAll().orderBy('id').execute();
const journal = () =>
  h.db
    .selectFrom('journal')
    .select(['action', 'actor', 'reason', 'data', 'message_id', 'approval_id', 'proposal_id'])
    .orderBy('id')
    .execute();
const actions = async (approvalId?: string) =>
  (await journal())
    .filter((j) => approvalId === undefined || j.approval_id === approvalId)
    .map((j) => j.action);
const roundRow = async (id: string) =>
  h.db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const openRound = async (): Promise<ApprovalRow> => {
  const open = (await rounds()).filter((r) => r.status === 'open');
  expect(open).toHaveLength(1);
  return open[0]!;
};
const mailOf = (r: ApprovalRow) =>
  h.db
    .selectFrom('outbox')
    .selectAll()
    .where('id', '=', r.request_outbox_id ?? '-1')
    .executeTakeFirstOrThrow();
const proposalOf = (r: ApprovalRow) =>
  h.db.selectFrom('proposals').selectAll().where('id', '=', r.proposal_id).executeTakeFirstOrThrow();
/** The Message-ID header of a stored message. */
const messageIdOf = async (id: string) =>
  (await h.db.selectFrom('messages').select('message_id').where('id', '=', id).executeTakeFirstOrThrow())
    .message_id;
const invoice = () => h.db.selectFrom('invoices').selectAll().executeTakeFirstOrThrow();

// ── mail ───────────────────────────────────────────────────────────────────────────────────────

const DANA_OFFER_ID = 'offer-1@lumen.example';
/** What the owner's provider (a trusted authserv-id in the real-check tests) adds, and the owner's DKIM signature. */
const TRUSTED_PASS_VALUE =
  'mx.northwind.example; dkim=pass header.d=northwind.example header.s=mail2026; spf=pass smtp.mailfrom=northwind.example';
const SIGNATURE_VALUE = `v=1; a=rsa-sha256; c=relaxed/relaxed; d=northwind.example; s=mail2026; h=${TYPICAL_H}; bh=ZGVtbw==; b=ZGVtbw==`;

/** Dana's offer (Maya cc'd the assistant), then Maya's signed "reply to Dana …" in that thread. */
async function danaAsks(
  instruction = 'Please reply to Dana that we accept the offer and ask for the contract.',
  o: { subject?: string; person?: string; offerId?: string } = {},
): Promise<ApprovalRow> {
  const person = o.person ?? 'Dana Lee <dana@lumen.example>';
  const offerId = o.offerId ?? DANA_OFFER_ID;
  const before = (await rounds()).length;
  await t.deliver(
    eml({
      from: person,
      to: `Maya Chen <${OWNER}>`,
      cc: ASSISTANT,
      subject: o.subject ?? 'Offer for the Q2 analytics project',
      messageId: offerId,
      body: 'Hi Maya,\n\nhere is our offer: six weeks, two analysts, EUR 48,000 fixed price.\n\nBest',
    }),
  );
  await t.deliver(
    eml({
      from: `Maya Chen <${OWNER}>`,
      to: ASSISTANT,
      subject: `Re: ${o.subject ?? 'Offer for the Q2 analytics project'}`,
      messageId: `ask-${offerId}`,
      headers: {
        'In-Reply-To': `<${offerId}>`,
        References: `<${offerId}>`,
        // Signed for the fake check and for the real one alike.
        'X-Test-Signed': 'yes',
        'Authentication-Results': TRUSTED_PASS_VALUE,
        'DKIM-Signature': SIGNATURE_VALUE,
      },
      body: instruction,
    }),
  );
  const rs = await rounds();
  if (rs.length !== before + 1) throw new Error('the request did not open one new approval round');
  return rs.at(-1)!;
}

/** The owner's answer to round `r`'s approval email, quoting it; returns the stored message id. */
async function answer(r: ApprovalRow, text: string, o: Partial<AnswerSpec> = {}): Promise<string> {
  return t.deliver(await answerRaw(r, text, o));
}
async function answerRaw(r: ApprovalRow, text: string, o: Partial<AnswerSpec> = {}): Promise<Buffer> {
  const mail = await mailOf(r);
  return ownerAnswer({
    inReplyTo: mail.message_id,
    subject: mail.subject,
    text,
    quoted: mail.text_body,
    to: mail.extra_headers['Reply-To'] ?? ASSISTANT,
    ...o,
  });
}

/** The block between the markers in an approval email, markers included. */
function draftBlock(text: string): string {
  const start = text.indexOf(DRAFT_START);
  const end = text.indexOf(DRAFT_END);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return text.slice(start, end + DRAFT_END.length);
}
const FILLED = 'Could you send it by Friday?';
/** The block with the "[[…]]" placeholder line replaced by the owner's words. */
const filled = (block: string) => block.replace(/^.*\[\[.*\]\].*$/m, FILLED);
/** "Yes" on top, then the owner's edited copy of the block, then the quote. */
const editedAnswer = async (r: ApprovalRow, edit: (block: string) => string = filled) =>
  `Yes\n\n${edit(draftBlock((await mailOf(r)).text_body))}`;

// ── 1. the approval email ──────────────────────────────────────────────────────────────────────

describe('the approval email', () => {
  it('a "reply to Dana" request becomes one approval email to the owner only, with the draft, the reference and how to answer', async () => {
    const id = await t.deliver(demoMail('09-owner-reply-request.eml'));
    const all = await outbox();
    expect(all).toHaveLength(1);
    const mail = all[0]!;
    const [r] = await rounds();
    expect(r).toBeDefined();
    expect(r!.status).toBe('open');
    expect(r!.round).toBe(1);
    expect(r!.token).toMatch(/^[a-z0-9]{20,40}$/);
    expect(r!.request_outbox_id).toBe(mail.id);
    expect(r!.request_message_id).toBe(mail.message_id);
    expect(r!.expires_at.toISOString()).toBe('2026-03-23T09:00:00.000Z');

    expect(mail.purpose).toBe('approval');
    expect(mail.to_addresses).toEqual([OWNER]);
    expect(mail.cc_addresses).toEqual([]);
    expect(mail.extra_headers['Reply-To']).toBe(`assistant+dh-a-${r!.token}@northwind.example`);
    expect(mail.extra_headers['Auto-Submitted']).toBe('auto-generated');
    expect(mail.subject).toBe('[deskhand] Send this reply to Dana Lee');
    expect(t.sent).toEqual([mail.id]);

    const text = mail.text_body;
    expect(text.split('\n')[0]).toBe('Send this reply to Dana Lee');
    const block = draftBlock(text);
    expect(block).toContain('To: Dana Lee <dana@lumen.example>');
    expect(block).toContain('We accept the offer and ask for the contract.');
    expect(block).toMatch(/\[\[deskhand: check the wording[^\]]*\]\]/);
    expect(text).toContain(`Approval reference: dh-a-${r!.token} (round 1)`);
    expect(text).toContain('YES  to send this reply to Dana Lee exactly as shown');
    expect(text).toContain('NO   to drop it');
    expect(text).toMatch(
      /Before I can do this, I need:\n {2}- your words for \[\[deskhand: check the wording/,
    );

    const html = mail.html_body ?? '';
    expect(html).toContain('Send this reply to Dana Lee');
    expect(html).toContain(`dh-a-${r!.token}`);
    for (const bad of ['<a ', '<img', 'src=', 'href', '<script', '<link', '<iframe', 'url(']) {
      expect(html).not.toContain(bad);
    }
    expect(html).not.toMatch(/https?:/i);

    const p = await proposalOf(r!);
    expect(p.kind).toBe('reply_draft');
    expect(p.status).toBe('needs_input');
    expect(await actions(r!.id)).toEqual(['approval_requested']);

    // A retried job, and a second request for the same proposal, create nothing new.
    await handleProcessJob(t.deps, id);
    expect(await requestApproval(t.deps, p.id)).toEqual({ kind: 'exists' });
    expect(await outbox()).toHaveLength(1);
    expect(await rounds()).toHaveLength(1);
    expect(t.sent).toEqual([mail.id]);
  });

  it('values are escaped in the HTML: markup in the thread never reaches it raw, markup in an edit shows escaped', async () => {
    const r1 = await danaAsks(
      'Please reply to Dana that we accept the offer of EUR 48,000 <script>alert(1)</script> and ask for the contract.',
      { subject: 'Offer <script>alert(2)</script> <img src=x> for Q2' },
    );
    for (const html of [(await mailOf(r1)).html_body ?? '']) {
      expect(html).not.toContain('<script');
      expect(html).not.toContain('<img');
    }
    // The owner's edit (which changes the amount, so it is shown again) carries markup.
    await answer(
      r1,
      await editedAnswer(r1, (b) =>
        filled(b).replace(
          'EUR 48,000',
          'EUR 52,000 <script>alert(3)</script> <a href="http://x.example">x</a>',
        ),
      ),
    );
    const mail2 = await mailOf(await openRound());
    const html = mail2.html_body ?? '';
    expect(html).toContain('EUR 52,000 &lt;script&gt;alert(3)&lt;&#x2F;script&gt; &lt;a href&#x3D;');
    for (const bad of ['<script', '<a ', '<img', 'src=', 'href=']) expect(html).not.toContain(bad);
    // The plain text is not HTML: it shows the words as written.
    expect(draftBlock(mail2.text_body)).toContain('EUR 52,000 <script>alert(3)</script>');
  });

  // Regression (found by this test, fixed in approval.render.ts view() / templates/approval.txt+html): the
  // Subject line of the reply that "yes" sends (ShownReply.subject, taken from the thread) is never shown
  // in the approval email, so the owner approves a message whose subject they did not see.
  it('the approval email shows the Subject the reply will be sent with (escaped in the HTML)', async () => {
    const r = await danaAsks(undefined, { subject: 'Offer <script>alert(2)</script> for Q2' });
    const mail = await mailOf(r);
    expect((r.shown as { subject: string }).subject).toBe('Re: Offer <script>alert(2)</script> for Q2');
    expect(mail.text_body).toContain('Re: Offer <script>alert(2)</script> for Q2');
    expect(mail.html_body).toContain('Re: Offer &lt;script&gt;alert(2)&lt;&#x2F;script&gt; for Q2');
  });
});

// ── 2–5. answering a reply draft ───────────────────────────────────────────────────────────────

describe('answering a reply draft', () => {
  it('a plain "yes" to a draft that still has a [[…]] placeholder sends nothing: the round stays open, one "not ready" notice', async () => {
    await t.deliver(demoMail('09-owner-reply-request.eml'));
    const r = await openRound();
    const msg = await answer(r, 'Yes');
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    expect((await proposalOf(r)).status).toBe('needs_input');
    const notices = await outboxOf('notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe('[deskhand] Not done yet: Send this reply to Dana Lee');
    expect(notices[0]!.to_addresses).toEqual([OWNER]);
    expect(notices[0]!.text_body).toMatch(
      /I did not do it: the reply still contains \[\[deskhand: check the wording/,
    );
    expect(notices[0]!.in_reply_to).toBe(await messageIdOf(msg));
    expect(await actions(r.id)).toEqual(['approval_requested', 'approval_answer_read', 'approval_not_ready']);
  });

  it('an edited draft is sent exactly once, as edited, threaded under Dana\'s message; a second "yes" is not applied', async () => {
    const r = await danaAsks();
    const text = await editedAnswer(r);
    const yes = await answer(r, text);

    const replies = await outboxOf('reply');
    expect(replies).toHaveLength(1);
    const reply = replies[0]!;
    expect(reply.to_addresses).toEqual(['dana@lumen.example']);
    expect(reply.cc_addresses).toEqual([OWNER]);
    expect(reply.subject).toBe('Re: Offer for the Q2 analytics project');
    expect(reply.text_body).toBe(
      `Hi Dana,\n\nWe accept the offer and ask for the contract.\n\n${FILLED}\n\nBest,\nMaya`,
    );
    expect(reply.text_body).not.toContain('[[');
    expect(reply.in_reply_to).toBe(DANA_OFFER_ID);
    expect(reply.references?.split(' ')).toContain(DANA_OFFER_ID);
    expect(t.sent).toContain(reply.id);

    const after = await roundRow(r.id);
    expect(after.status).toBe('approved');
    expect(after.decided_by_message).toBe(yes);
    expect(after.executed_outbox_id).toBe(reply.id);
    expect((await proposalOf(r)).status).toBe('executed');
    expect(await actions(r.id)).toEqual([
      'approval_requested',
      'approval_answer_read',
      'approval_approved',
      'approval_executed',
    ]);
    const approved = (await journal()).find((j) => j.action === 'approval_approved')!;
    expect(approved.actor).toBe('owner');
    expect(approved.message_id).toBe(yes);

    // A second "yes": another message, same In-Reply-To.
    const again = await answer(r, 'Yes, send it');
    expect(await outboxOf('reply')).toHaveLength(1);
    expect((await roundRow(r.id)).status).toBe('approved');
    expect((await roundRow(r.id)).decided_by_message).toBe(yes);
    const notices = await outboxOf('notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe('[deskhand] Answer not applied: Send this reply to Dana Lee');
    expect(notices[0]!.text_body).toContain('that request was already approved');
    const refused = (await journal()).filter((j) => j.action === 'approval_refused');
    expect(refused.map((j) => j.message_id)).toEqual([again]);
  });

  it('replaying the genuine signed "yes" executes nothing twice', async () => {
    const r = await danaAsks();
    const raw = await answerRaw(r, await editedAnswer(r));
    const first = await t.deliver(raw);
    expect(await outboxOf('reply')).toHaveLength(1);

    // The very same bytes at another UID are the same message: no new row.
    expect(await t.storeOnly(raw)).toBeNull();
    // The same signed message re-delivered with a new trace header on top: a new row, a replay.
    const replayed = await t.deliver(
      prepend(raw, [
        'Received: from mx.evil.example by mx.northwind.example; Tue, 17 Mar 2026 08:00:00 +0000',
      ]),
    );
    expect(replayed).not.toBe(first);
    // And the first one's job retried (a crash after its commit), and decided again directly.
    await handleProcessJob(t.deps, first);
    const direct = await handleApprovalReply(t.deps, first);
    expect(direct).toEqual({
      outcome: { kind: 'refused', code: 'done', reason: 'already decided by this message' },
      sendIds: [],
    });

    expect(await outboxOf('reply')).toHaveLength(1);
    const after = await roundRow(r.id);
    expect(after.status).toBe('approved');
    expect(after.decided_by_message).toBe(first);
    expect((await actions(r.id)).filter((a) => a === 'approval_executed')).toHaveLength(1);
    const refused = (await journal()).filter((j) => j.action === 'approval_refused');
    expect(refused.map((j) => j.message_id)).toEqual([replayed]);
    expect(String(refused[0]!.reason)).toMatch(/^closed:/);
  });

  it('"no" drops it: round and proposal rejected, nothing sent to Dana, a "Dropped:" notice', async () => {
    const r = await danaAsks();
    const no = await answer(r, 'No, leave it.');
    expect(await outboxOf('reply')).toEqual([]);
    const after = await roundRow(r.id);
    expect(after.status).toBe('rejected');
    expect(after.decided_by_message).toBe(no);
    expect((await proposalOf(r)).status).toBe('rejected');
    const notices = await outboxOf('notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe('[deskhand] Dropped: Send this reply to Dana Lee');
    expect(notices[0]!.to_addresses).toEqual([OWNER]);
    expect(await actions(r.id)).toEqual(['approval_requested', 'approval_answer_read', 'approval_rejected']);
    // A "yes" after the "no" changes nothing.
    await answer(r, await editedAnswer(r));
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('rejected');
  });
});

describe('answers that are not a plain yes with a finished draft', () => {
  // Regression (found by this test, fixed in approval.decide.ts decideReply, the final `return approve(ctx,
  // round, next, a)`): when the reader returns decision 'unclear' *with* an edited draft (a hedge, a
  // question, a condition, or both yes and no, above the owner's edited copy), decideReply skips clarify()
  // — it only asks back when editedDraft is null — and, if the edit changes no recipient or amount,
  // approves and sends.
  it('a hesitant answer above an edited draft sends nothing: it is asked back, not executed', async () => {
    const r = await danaAsks();
    const text = (await editedAnswer(r)).replace(/^Yes/, 'Not sure — should we wait for the budget?');
    await answer(r, text);
    const read = (await journal()).find((j) => j.action === 'approval_answer_read');
    expect(read?.data).toMatchObject({ decision: 'unclear', edited: true });
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).not.toBe('approved');
    expect((await proposalOf(r)).status).not.toBe('executed');
  });

  // Regression (found by this test, fixed in approval.shown.ts readyToExecute, reached from
  // approval.decide.ts decideReply): an edit that empties the text between the markers (keeping the To:
  // line) passes as ready, and "yes" sends Dana an empty message.
  it('an edit that leaves no text is not sent', async () => {
    const r = await danaAsks();
    await answer(r, `Yes\n\n${DRAFT_START}\nTo: Dana Lee <dana@lumen.example>\n\n${DRAFT_END}`);
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
  });

  it('a genuine signed "yes" naming no existing request (a guessed token) decides nothing and sends nothing to anyone else', async () => {
    const r = await danaAsks();
    const mail = await mailOf(r);
    const guessed = 'a'.repeat(22);
    await t.deliver(
      ownerAnswer({
        inReplyTo: 'dh.guessed.1@northwind.example',
        subject: mail.subject,
        text: `${await editedAnswer(r)}\n\nApproval reference: dh-a-${guessed}`,
        to: `assistant+dh-a-${guessed}@northwind.example`,
      }),
    );
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    expect((await outbox()).every((o) => o.to_addresses.join() === OWNER)).toBe(true);
    expect(await rounds()).toHaveLength(1);
  });
});

// ── 6–7. edits that change recipients or amounts ───────────────────────────────────────────────

describe('an edit that changes recipients or amounts starts a new round (RELIABILITY 15)', () => {
  it('an added recipient: round 1 superseded, round 2 shows the change; "yes" to round 2 sends to both; a late "yes" to round 1 does nothing', async () => {
    const r1 = await danaAsks();
    const edit = await editedAnswer(r1, (b) =>
      filled(b).replace(
        'To: Dana Lee <dana@lumen.example>',
        'To: Dana Lee <dana@lumen.example>, Eve Park <eve@lumen.example>',
      ),
    );
    const editMsg = await answer(r1, edit);
    expect(await outboxOf('reply')).toEqual([]);

    const after1 = await roundRow(r1.id);
    expect(after1.status).toBe('superseded');
    const r2 = await openRound();
    expect(r2.round).toBe(2);
    expect(r2.previous_id).toBe(r1.id);
    expect(r2.token).not.toBe(r1.token);
    expect(r2.proposal_id).toBe(r1.proposal_id);
    expect((await proposalOf(r2)).status).toBe('needs_input');

    const mail2 = await mailOf(r2);
    expect(mail2.purpose).toBe('approval');
    expect(mail2.to_addresses).toEqual([OWNER]);
    expect(mail2.subject).toBe('[deskhand] Send this reply to Dana Lee, Eve Park (changed)');
    expect(mail2.text_body).toContain(
      'Changed since your last answer:\n  * To: dana@lumen.example → dana@lumen.example, eve@lumen.example',
    );
    expect(mail2.text_body).toContain(`Approval reference: dh-a-${r2.token} (round 2)`);
    expect(mail2.extra_headers['Reply-To']).toBe(`assistant+dh-a-${r2.token}@northwind.example`);
    const editId = await messageIdOf(editMsg);
    expect(mail2.in_reply_to).toBe(editId);
    expect(await actions(r1.id)).toContain('approval_changed');
    expect(await actions(r2.id)).toEqual(['approval_round']);

    const yes2 = await answer(r2, 'Yes');
    const replies = await outboxOf('reply');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.to_addresses).toEqual(['dana@lumen.example', 'eve@lumen.example']);
    expect(replies[0]!.text_body).toContain(FILLED);
    expect((await roundRow(r2.id)).status).toBe('approved');
    expect((await roundRow(r2.id)).decided_by_message).toBe(yes2);
    expect((await proposalOf(r2)).status).toBe('executed');

    // A late "yes" to round 1 (with its original, unchanged recipients) does nothing.
    await answer(r1, await editedAnswer(r1));
    expect(await outboxOf('reply')).toHaveLength(1);
    expect((await roundRow(r1.id)).status).toBe('superseded');
    expect(await rounds()).toHaveLength(2);
  });

  it('a changed amount: a new round that shows the amount change, nothing sent', async () => {
    const r1 = await danaAsks(
      'Please reply to Dana that we accept the offer of EUR 48,000 and ask for the contract.',
    );
    expect(draftBlock((await mailOf(r1)).text_body)).toContain('EUR 48,000');
    await answer(r1, await editedAnswer(r1, (b) => filled(b).replace('EUR 48,000', 'EUR 52,000')));
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r1.id)).status).toBe('superseded');
    const r2 = await openRound();
    expect(r2.round).toBe(2);
    const mail2 = await mailOf(r2);
    expect(mail2.text_body).toContain('Amounts in the text: EUR 48,000 → EUR 52,000');
    expect(draftBlock(mail2.text_body)).toContain('We accept the offer of EUR 52,000');
    expect((r2.policy as { changes: string[] }).changes).toEqual([
      'Amounts in the text: EUR 48,000 → EUR 52,000',
    ]);
  });

  it('an edit that changes only words (no recipient, no amount) is sent at once, without a new round', async () => {
    const r = await danaAsks(
      'Please reply to Dana that we accept the offer of EUR 48,000 and ask for the contract.',
    );
    await answer(
      r,
      await editedAnswer(r, (b) => filled(b).replace('ask for the contract', 'look forward to the contract')),
    );
    expect(await rounds()).toHaveLength(1);
    const replies = await outboxOf('reply');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text_body).toContain('look forward to the contract');
    expect(replies[0]!.text_body).toContain('EUR 48,000');
  });
});

// ── 8–9. forgeries and automatic mail ──────────────────────────────────────────────────────────

describe('answers that must not decide anything (RELIABILITY 9–14)', () => {
  it('From = the owner but not authenticated: nothing executed, the round stays open, the owner is told it was not applied', async () => {
    const r = await danaAsks();
    await answer(r, await editedAnswer(r), { signed: false });
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    expect((await proposalOf(r)).status).toBe('needs_input');
    const notices = await outboxOf('notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to_addresses).toEqual([OWNER]);
    expect(notices[0]!.subject).toMatch(/^\[deskhand\] Answer not applied: /);
    expect(notices[0]!.text_body).toContain('your sender address could not be verified: no signature');
    expect(notices[0]!.text_body).toContain('someone is trying to approve things in your name');
    const refused = (await journal()).filter((j) => j.action === 'approval_refused');
    expect(refused).toHaveLength(1);
    expect(String(refused[0]!.reason)).toMatch(/^unauthenticated:/);
    expect(await actions(r.id)).toEqual(['approval_requested']);
  });

  it('the approval forwarded to someone else who answers "yes": nothing, and the owner is told', async () => {
    const r = await danaAsks();
    const mail = await mailOf(r);
    const bobs = ownerAnswer({
      from: 'Bob Stone <bob@lumen.example>',
      inReplyTo: 'fwd-of-approval@lumen.example',
      subject: `Fwd: ${mail.subject}`,
      text: await editedAnswer(r),
      quoted: mail.text_body,
      to: mail.extra_headers['Reply-To']!,
      signed: 'yes',
    });
    await t.deliver(bobs);
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    const notices = await outboxOf('notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to_addresses).toEqual([OWNER]);
    expect(notices[0]!.text_body).toContain('From: bob@lumen.example');
    expect(notices[0]!.text_body).toContain('it came from bob@lumen.example, not from you');
    expect(String((await journal()).find((j) => j.action === 'approval_refused')?.reason)).toMatch(
      /^not_owner:/,
    );
    // Nothing is ever sent to Bob.
    expect((await outbox()).every((o) => o.to_addresses.join() === OWNER)).toBe(true);
  });

  it('a genuine signed answer with an In-Reply-To prepended after signing cannot decide the round that header names', async () => {
    // Two open requests: A (Dana) and B (Jonas).
    const a = await danaAsks();
    const b = await danaAsks('Please reply to Jonas that we cannot make it this week.', {
      person: 'Jonas Weber <jonas@acme.example>',
      subject: 'Workshop next week',
      offerId: 'workshop-1@acme.example',
    });
    expect(a.id).not.toBe(b.id);
    const mailB = await mailOf(b);
    // The owner's genuine "No" to A, signed over the usual fields.
    const noToA = await answerRaw(a, 'No', { signed: `h=${TYPICAL_H}` });
    await t.deliver(noToA);
    expect((await roundRow(a.id)).status).toBe('rejected');
    expect((await roundRow(b.id)).status).toBe('open');

    // Someone replays it with B's Message-ID and plus-address prepended (not covered by the signature).
    const tampered = prepend(noToA, [
      `In-Reply-To: <${mailB.message_id}>`,
      `To: ${mailB.extra_headers['Reply-To']}`,
      'Received: from mx.evil.example by mx.northwind.example; Tue, 17 Mar 2026 08:00:00 +0000',
    ]);
    const replay = await t.deliver(tampered);
    const afterB = await roundRow(b.id);
    expect(afterB.status).toBe('open');
    expect(afterB.decided_at).toBeNull();
    expect((await proposalOf(b)).status).toBe('needs_input');
    expect(await actions(b.id)).toEqual(['approval_requested']);
    const refused = (await journal()).filter((j) => j.action === 'approval_refused');
    expect(refused.map((j) => [j.message_id, j.approval_id])).toEqual([[replay, a.id]]);
    expect(String(refused[0]!.reason)).toMatch(/^closed: that request was already rejected/);
  });

  it('a signed "yes" written to someone else, with the assistant only copied, is not an answer', async () => {
    const r = await danaAsks();
    const mail = await mailOf(r);
    await answer(r, await editedAnswer(r), {
      to: 'Dana Lee <dana@lumen.example>',
      headers: { Cc: mail.extra_headers['Reply-To']! },
    });
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    const refused = (await journal()).filter((j) => j.action === 'approval_refused');
    expect(refused).toHaveLength(1);
    expect(String(refused[0]!.reason)).toMatch(/^not_addressed:/);
  });

  it('a signature that covers nothing naming a round: not applied, even when the unsigned headers name one', async () => {
    const r = await danaAsks();
    // Signed: From, Subject and Date only; the body is signed but quotes nothing.
    const raw = await answerRaw(r, await editedAnswer(r), { signed: 'h=from:subject:date', quoted: '' });
    const stripped = Buffer.from(raw.toString().replace(/Approval reference: dh-a-\w+/g, ''));
    await t.deliver(stripped);
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    const refused = (await journal()).filter((j) => j.action === 'approval_refused');
    expect(refused).toHaveLength(1);
    expect(String(refused[0]!.reason)).toMatch(/^no_reference: .*DKIM signature covers/);
  });

  it('an auto-reply from the owner\'s address saying "yes": no decision and no mail to anyone, not even a notice', async () => {
    const r = await danaAsks();
    const before = await outbox();
    const ooo = await answer(r, 'Yes — I am out of the office until Monday and will answer then.', {
      headers: { 'Auto-Submitted': 'auto-replied' },
      quoted: '',
    });
    expect(await outbox()).toEqual(before);
    expect((await roundRow(r.id)).status).toBe('open');
    expect(await actions(r.id)).toEqual(['approval_requested']);
    // Even decided directly (the second fence): automatic mail is no answer, and gets none.
    const direct = await handleApprovalReply(t.deps, ooo);
    expect(direct.outcome).toMatchObject({ kind: 'refused', code: 'automatic' });
    expect(direct.sendIds).toEqual([]);
    expect(await outbox()).toEqual(before);
    expect((await roundRow(r.id)).status).toBe('open');
  });
});

describe('with the real sender check: a trusted Authentication-Results header (RELIABILITY 11, 12)', () => {
  const TRUSTED_PASS = `Authentication-Results: ${TRUSTED_PASS_VALUE}`;
  const SIGNATURE = `DKIM-Signature: ${SIGNATURE_VALUE}`;

  beforeEach(() => {
    t.deps.authenticate = (raw) =>
      authenticateSender(raw, {
        requireAuth: true,
        trustedAuthservIds: ['mx.northwind.example'],
        dnsServers: [],
        // No DNS in unit tests: our own DKIM check finds no key.
        resolver: async () => {
          throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
        },
      });
  });

  it("the provider vouches for the owner's signature: the edited draft is sent", async () => {
    const r = await danaAsks();
    await t.deliver(
      prepend(await answerRaw(r, await editedAnswer(r), { signed: false }), [TRUSTED_PASS, SIGNATURE]),
    );
    expect(await outboxOf('reply')).toHaveLength(1);
    expect((await roundRow(r.id)).status).toBe('approved');
    const read = (await journal()).find((j) => j.action === 'approval_answer_read');
    expect(read?.data).toMatchObject({ verifiedBy: 'authentication-results', via: 'In-Reply-To' });
  });

  it('a forged passing Authentication-Results below the trusted one is ignored', async () => {
    const r = await danaAsks();
    const raw = prepend(await answerRaw(r, await editedAnswer(r), { signed: false }), [
      'Authentication-Results: mx.northwind.example; dkim=none; spf=pass smtp.mailfrom=northwind.example',
      TRUSTED_PASS,
      SIGNATURE,
    ]);
    await t.deliver(raw);
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    const notices = await outboxOf('notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.text_body).toContain('mx.northwind.example reports no passing DKIM signature');
  });

  it('a replayed signed "No" to A, re-delivered with B\'s In-Reply-To on top, does not decide B', async () => {
    const a = await danaAsks();
    const b = await danaAsks('Please reply to Jonas that we cannot make it this week.', {
      person: 'Jonas Weber <jonas@acme.example>',
      subject: 'Workshop next week',
      offerId: 'workshop-1@acme.example',
    });
    const mailB = await mailOf(b);
    const genuine = prepend(await answerRaw(a, 'No', { signed: false }), [TRUSTED_PASS, SIGNATURE]);
    await t.deliver(genuine);
    expect((await roundRow(a.id)).status).toBe('rejected');
    // The provider adds a fresh (passing: the signature still verifies) result above the attacker's header.
    await t.deliver(prepend(genuine, [TRUSTED_PASS, `In-Reply-To: <${mailB.message_id}>`]));
    expect((await roundRow(b.id)).status).toBe('open');
    expect((await proposalOf(b)).status).toBe('needs_input');
    expect(String((await journal()).find((j) => j.action === 'approval_refused')?.reason)).toMatch(
      /^closed: that request was already rejected/,
    );
  });
});

// ── 10. expiry ─────────────────────────────────────────────────────────────────────────────────

describe('expiry', () => {
  it('past APPROVAL_EXPIRY_HOURS the round and the proposal expire, once; a "yes" afterwards does nothing', async () => {
    const r = await danaAsks();
    t.clock.set('2026-03-23T08:59:00Z');
    expect(await expireApprovals(t.deps)).toBe(0);
    expect((await roundRow(r.id)).status).toBe('open');

    t.clock.set('2026-03-23T09:00:01Z');
    expect(await expireApprovals(t.deps)).toBe(1);
    expect(await expireApprovals(t.deps)).toBe(0);
    const after = await roundRow(r.id);
    expect(after.status).toBe('expired');
    expect(after.decided_by_message).toBeNull();
    expect((await proposalOf(r)).status).toBe('expired');
    expect((await actions(r.id)).filter((a) => a === 'approval_expired')).toHaveLength(1);

    await answer(r, await editedAnswer(r));
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('expired');
    expect((await proposalOf(r)).status).toBe('expired');
  });

  it('a "yes" after the expiry but before the sweep ran does nothing either', async () => {
    const r = await danaAsks();
    t.clock.set('2026-03-24T10:00:00Z');
    await answer(r, await editedAnswer(r));
    expect(await outboxOf('reply')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    const refused = (await journal()).filter((j) => j.action === 'approval_refused');
    expect(String(refused[0]?.reason)).toMatch(/^expired: that request expired on 2026-03-23 09:00 UTC/);
    expect(await expireApprovals(t.deps)).toBe(1);
  });
});

// ── 11–12. payments ────────────────────────────────────────────────────────────────────────────

async function acmeInvoice(): Promise<ApprovalRow> {
  await t.deliver(demoMail('02-forwarded-invoice.eml'));
  return openRound();
}

describe('payments', () => {
  it('the forwarded ACME invoice becomes a flagged approval email', async () => {
    const r = await acmeInvoice();
    expect(r.level).toBe('decision');
    const mail = await mailOf(r);
    expect(
      mail.subject.startsWith('[deskhand] Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31'),
    ).toBe(true);
    expect(mail.subject).toContain('decision needed: first invoice from a new vendor');
    expect(mail.text_body).toContain('NEEDS YOUR DECISION:\n  ! First invoice from ACME GmbH');
    expect(mail.text_body).toContain('Account:  DE89 3704 0044 0532 0130 00');
    expect((await proposalOf(r)).status).toBe('awaiting_approval');
    expect((await invoice()).status).toBe('received');
  });

  it('"yes, but due 2024-04-15": corrected and approved, the account trusted, the owner told', async () => {
    const r = await acmeInvoice();
    const yes = await answer(r, 'yes, but due 2024-04-15');
    const inv = await invoice();
    expect(inv.status).toBe('approved');
    expect(inv.due_date).toBe('2024-04-15');
    expect((await roundRow(r.id)).status).toBe('approved');
    expect((await proposalOf(r)).status).toBe('executed');
    const corrected = (await journal()).filter((j) => j.action === 'invoice_corrected');
    expect(corrected).toHaveLength(1);
    expect(corrected[0]!.actor).toBe('owner');
    expect(corrected[0]!.message_id).toBe(yes);
    expect(corrected[0]!.data).toMatchObject({
      changes: [{ field: 'dueDate', from: '2024-03-31', to: '2024-04-15' }],
    });
    const accounts = await h.db.selectFrom('vendor_accounts').selectAll().execute();
    expect(accounts.map((a) => [a.iban, a.status])).toEqual([['DE89370400440532013000', 'confirmed']]);
    const notices = await outboxOf('notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toBe(
      '[deskhand] Approved for payment: ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-04-15',
    );
    expect(notices[0]!.text_body).toContain('Account: DE89370400440532013000');
    // The correction is written with the approval, in the same transaction, as the owner's.
    expect(await actions(r.id)).toEqual([
      'approval_requested',
      'approval_answer_read',
      'approval_approved',
      'invoice_corrected',
      'invoice_approved',
    ]);
    expect(
      (await journal()).filter((j) => j.action === 'vendor_account_confirmed').map((j) => j.message_id),
    ).toEqual([yes]);
  });

  it('"total: 1200.00" alone: shown again as round 2 with the change, written only when approved', async () => {
    const r = await acmeInvoice();
    await answer(r, 'total: 1200.00');
    const inv = await invoice();
    // Nothing is written before a "yes": a hesitant correction changes nothing by itself.
    expect(Number(inv.total)).toBe(1190);
    expect(inv.status).toBe('received');
    expect(await h.db.selectFrom('field_corrections').selectAll().execute()).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('superseded');
    const r2 = await openRound();
    expect(r2.round).toBe(2);
    expect(r2.level).toBe('decision');
    const mail2 = await mailOf(r2);
    expect(mail2.text_body).toContain('Total: EUR 1,190.00 → EUR 1,200.00');
    expect(mail2.subject).toMatch(
      /^\[deskhand\] Approve ACME GmbH invoice 2024-0042: EUR 1,200\.00 due 2024-03-31 \(changed\)/,
    );
    expect((await proposalOf(r2)).status).toBe('awaiting_approval');
    expect(await outboxOf('notice')).toEqual([]);

    // "yes" to round 2 approves the corrected invoice; the correction is written then, as the owner's.
    const yes = await answer(r2, 'Yes');
    expect((await invoice()).status).toBe('approved');
    expect(Number((await invoice()).total)).toBe(1200);
    expect((await roundRow(r2.id)).status).toBe('approved');
    const fc = await h.db.selectFrom('field_corrections').selectAll().execute();
    expect(fc.map((c) => [c.field, c.wrong_value, c.right_value, c.message_id])).toEqual([
      ['total', '1190', '1200', yes],
    ]);
  });

  // Regression (found by this test, fixed in approval.corrections.ts correctPayment / approval.decide.ts
  // decidePayment): a corrected amount keeps the checks computed for the old one, so round 2 still shows
  // "[ok] … = total EUR 1,190.00" next to "Amount: EUR 1,200.00" (and the policy is decided on stale
  // checks).
  it('round 2 after "total: 1200.00" does not vouch for arithmetic on the old total', async () => {
    const r = await acmeInvoice();
    await answer(r, 'total: 1200.00');
    const mail2 = await mailOf(await openRound());
    expect(mail2.text_body).toContain('Amount:   EUR 1,200.00');
    expect(mail2.text_body).not.toContain(
      '[ok] Subtotal EUR 1,000.00 + tax EUR 190.00 = total EUR 1,190.00.',
    );
  });

  it('"no" rejects the invoice', async () => {
    const r = await acmeInvoice();
    await answer(r, 'No');
    expect((await invoice()).status).toBe('rejected');
    expect((await roundRow(r.id)).status).toBe('rejected');
    expect((await proposalOf(r)).status).toBe('rejected');
    expect((await h.db.selectFrom('vendor_accounts').select('status').executeTakeFirstOrThrow()).status).toBe(
      'known',
    );
  });

  it('an unclear answer gets one ask-back; a second unclear answer none; then "yes" to the ask-back approves', async () => {
    const r = await acmeInvoice();
    const hmm = await answer(r, 'hmm, let me think');
    const hmmId = await messageIdOf(hmm);
    const asks = await outboxOf('approval_clarify');
    expect(asks).toHaveLength(1);
    const ask = asks[0]!;
    expect(ask.to_addresses).toEqual([OWNER]);
    expect(ask.extra_headers['Reply-To']).toBe(`assistant+dh-a-${r.token}@northwind.example`);
    expect(ask.in_reply_to).toBe(hmmId);
    expect(ask.subject).toBe(
      '[deskhand] Yes or no? Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31',
    );
    expect(ask.text_body).toContain('I could not tell what you meant by: "hmm, let me think"');
    expect((await roundRow(r.id)).clarify_message_id).toBe(ask.message_id);
    expect((await roundRow(r.id)).status).toBe('open');

    await answer(r, 'hmm, maybe');
    expect(await outboxOf('approval_clarify')).toHaveLength(1);
    expect(await outboxOf('notice')).toEqual([]);
    expect((await roundRow(r.id)).status).toBe('open');
    expect(await actions(r.id)).toContain('approval_unclear');

    // "Yes" to the ask-back (In-Reply-To its Message-ID) works.
    await t.deliver(
      ownerAnswer({
        inReplyTo: ask.message_id,
        references: [hmmId, ask.message_id],
        subject: ask.subject,
        text: 'Yes',
        quoted: ask.text_body,
        to: ask.extra_headers['Reply-To']!,
      }),
    );
    expect((await roundRow(r.id)).status).toBe('approved');
    expect((await invoice()).status).toBe('approved');
    expect((await proposalOf(r)).status).toBe('executed');
  });
});

// ── 13. confirming what was sent ───────────────────────────────────────────────────────────────

describe('confirmExecutions', () => {
  it('once the approved reply is sent, the owner is told once, in their time zone', async () => {
    const r = await danaAsks();
    await answer(r, await editedAnswer(r));
    const reply = (await outboxOf('reply'))[0]!;
    // Not sent yet: nothing to confirm.
    expect(await confirmExecutions(t.deps)).toEqual([]);
    expect((await roundRow(r.id)).confirmed_at).toBeNull();

    await h.db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: new Date('2026-03-16T10:42:00Z') })
      .where('id', '=', reply.id)
      .execute();
    const ids = await confirmExecutions(t.deps);
    expect(ids).toHaveLength(1);
    const notice = await h.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    expect(notice.purpose).toBe('notice');
    expect(notice.to_addresses).toEqual([OWNER]);
    // 10:42 UTC is 11:42 in Berlin (CET).
    expect(notice.subject).toBe('[deskhand] Sent to Dana Lee at 11:42');
    expect(notice.text_body).toContain(
      'Sent, as you approved, to dana@lumen.example (cc maya@northwind.example)',
    );
    expect(notice.text_body).toContain(FILLED);
    expect((await roundRow(r.id)).confirmed_at).not.toBeNull();

    expect(await confirmExecutions(t.deps)).toEqual([]);
    expect((await outbox()).filter((o) => o.subject.startsWith('[deskhand] Sent to'))).toHaveLength(1);
  });

  it('a failed send is reported once instead', async () => {
    const r = await danaAsks();
    await answer(r, await editedAnswer(r));
    const reply = (await outboxOf('reply'))[0]!;
    await h.db
      .updateTable('outbox')
      .set({ status: 'failed', last_error: '550 mailbox unavailable' })
      .where('id', '=', reply.id)
      .execute();
    const ids = await confirmExecutions(t.deps);
    expect(ids).toHaveLength(1);
    const notice = await h.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', ids[0]!)
      .executeTakeFirstOrThrow();
    expect(notice.subject).toBe('[deskhand] Could not send to Dana Lee');
    expect(notice.text_body).toContain('550 mailbox unavailable');
    expect(await confirmExecutions(t.deps)).toEqual([]);
  });
});

// ── hardening found in review ─────────────────────────────────────────────────────────────────

describe('references in what the signature does not cover', () => {
  it('a provider that signs neither In-Reply-To nor To (Microsoft 365): the quoted token, threaded by In-Reply-To, still answers', async () => {
    const r = await acmeInvoice();
    await answer(r, 'Yes', { signed: 'h=from:subject:date:message-id', to: ASSISTANT });
    expect((await roundRow(r.id)).status).toBe('approved');
  });

  it('a token only in quoted text, in a mail threaded to someone else, is no answer', async () => {
    const r = await acmeInvoice();
    const mail = await mailOf(r);
    await answer(r, 'Yes', {
      signed: 'h=from:subject:date:message-id',
      to: ASSISTANT,
      inReplyTo: 'colleague-1@fabrikam.example',
      // Unsigned: makes triage look twice, but verification does not read it.
      headers: { Cc: mail.extra_headers['Reply-To'] ?? '' },
    });
    expect((await roundRow(r.id)).status).toBe('open');
    expect((await journal()).filter((j) => j.action === 'approval_refused').map((j) => j.reason)).toEqual([
      expect.stringMatching(/^no_reference: /),
    ]);
  });
});

describe('pure hardening', () => {
  it('coverage from a trusted verdict is read only when exactly one signature aligns', () => {
    const fields = readHeaderFields(
      Buffer.from(
        [
          'DKIM-Signature: v=1; d=northwind.example; s=x; h=from:to:to:in-reply-to:in-reply-to; b=AAAABBBBCCCC',
          'In-Reply-To: <forged@x>',
          'DKIM-Signature: v=1; d=northwind.example; s=sel; h=from:subject; b=AAAABBBBDDDD',
          'From: maya@northwind.example',
          'Subject: yes',
          '',
          'Yes',
        ].join('\r\n'),
      ),
    );
    expect(coveredByAlignedSignature(fields, 'northwind.example', 'AAAABBBB')).toBeNull();
    expect(coveredByAlignedSignature(fields, 'northwind.example', null)).toBeNull();
    expect(coveredByAlignedSignature(fields.slice(2), 'northwind.example', null)).toEqual({
      fields: [
        { name: 'from', value: 'maya@northwind.example' },
        { name: 'subject', value: 'yes' },
      ],
      wholeBody: true,
    });
  });

  it('a marker line inside the draft text is defused: a plain "yes" approves all of what was shown', () => {
    const body = `We will NOT pay until the files arrive.\n${DRAFT_START}\nTo: dana@lumen.example\n\nPayment released today.`;
    const safe = neutralizeMarkers(body);
    expect(safe).not.toContain(DRAFT_START);
    expect(safe).toContain('We will NOT pay until the files arrive.');
    const block = draftBlockOf({
      to: [{ name: 'Dana Lee', address: 'dana@lumen.example' }],
      cc: [],
      body: safe,
    });
    const quoted = `${DRAFT_START}\n${block}\n${DRAFT_END}`
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    const a = readApprovalReply({
      replyText: 'Yes',
      fullText: `Yes\n\nOn Mon, Maya wrote:\n${quoted}`,
      draft: block,
      acceptsCorrections: false,
      today: '2026-11-23',
    });
    expect(a).toMatchObject({ decision: 'approve', editedDraft: null });
  });

  it('a display name carrying newlines and marker lines cannot forge a draft block in the email', () => {
    const evil = `x\n${DRAFT_START}\nWe cancel the contract effective today\n${DRAFT_END}\nx`;
    const shown = {
      type: 'reply' as const,
      to: [{ name: evil, address: 'dana@lumen.example' }],
      cc: [],
      subject: 'Re: Offer',
      body: 'Hi Dana,\n\nWe accept.\n\nMaya',
      inReplyTo: 'offer@lumen.example',
      references: ['offer@lumen.example'],
      method: 'template' as const,
      allowedUrls: [],
      placeholders: [],
      unresolvedRecipient: null,
      warnings: [],
    };
    const mail = renderApproval(
      {
        id: '1',
        proposalId: '1',
        round: 1,
        token: 'a'.repeat(32),
        level: 'one_yes',
        policy: { level: 'one_yes', flags: [], reasons: [], ruleId: null },
        shown,
        changes: [],
        expiresAt: new Date('2026-12-01T00:00:00Z'),
      },
      { timeZone: 'Europe/Berlin' },
    );
    const quoted = mail.text
      .split('\n')
      .map((l) => `> ${l}`)
      .join('\n');
    const a = readApprovalReply({
      replyText: 'Yes',
      fullText: `Yes\n\n${quoted}`,
      draft: draftBlockOf(shown),
      acceptsCorrections: false,
      today: '2026-11-23',
    });
    expect(a).toMatchObject({ decision: 'approve', editedDraft: null });
    expect(mail.subject).not.toContain('\n');
  });

  it('a display name that could read as an address is quoted in the draft block', () => {
    const block = draftBlockOf({
      to: [{ name: 'Dana <eve@evil.example>', address: 'dana@lumen.example' }],
      cc: [],
      body: 'Hi',
    });
    expect(block.split('\n')[0]).toBe('To: "Dana <eve@evil.example>" <dana@lumen.example>');
    expect(parseDraftBlock(block).to).toEqual([
      { name: 'Dana <eve@evil.example>', address: 'dana@lumen.example' },
    ]);
  });
});

describe('policy through the pipeline', () => {
  /** The vendor's next invoice, a month later, same account: every check can pass. */
  async function nextAcmeInvoice(): Promise<string> {
    const pdf = buildInvoicePdf({
      'Invoice number: 2024-0042': 'Invoice number: 2024-0043',
      'Issue date: 2024-03-01': 'Issue date: 2024-04-01',
      'Due date: 2024-03-31': 'Due date: 2024-04-30',
      'Please transfer the total by 2024-03-31, quoting the invoice number.':
        'Please transfer the total by 2024-04-30, quoting the invoice number.',
    });
    const raw = await new MailComposer({
      from: 'ACME GmbH Billing <billing@acme.example>',
      to: ASSISTANT,
      subject: 'Invoice 2024-0043',
      text: 'Please find our invoice attached.\n\nACME GmbH',
      attachments: [{ filename: 'invoice-2024-0043.pdf', content: pdf, contentType: 'application/pdf' }],
    })
      .compile()
      .build();
    return t.deliver(raw);
  }

  it("an owner's standing rule approves the next ACME invoice on its own — every check passed — and says so; the first invoice still asked", async () => {
    t.clock.set('2024-03-05T10:00:00Z');
    const first = await acmeInvoice();
    expect(first.level).toBe('decision'); // a new vendor: no rule could relax it
    await answer(first, 'Yes');
    await t.deliver(
      eml({
        from: `Maya Chen <${OWNER}>`,
        to: ASSISTANT,
        subject: 'ACME',
        headers: { 'X-Test-Signed': 'yes' },
        body: 'From now on, approve ACME invoices under EUR 2,000.',
      }),
    );
    expect(await h.db.selectFrom('standing_rules').select('kind').execute()).toEqual([
      { kind: 'auto_approve_invoices' },
    ]);

    t.clock.set('2024-04-02T10:00:00Z');
    await nextAcmeInvoice();
    const invoices = await h.db.selectFrom('invoices').select(['number', 'status']).orderBy('id').execute();
    expect(invoices).toEqual([
      { number: '2024-0042', status: 'approved' },
      { number: '2024-0043', status: 'approved' },
    ]);
    // No second approval round: the rule decided, journaled with its id, and the owner was told.
    expect(await h.db.selectFrom('approvals').select('id').execute()).toHaveLength(1);
    const [rule] = await h.db.selectFrom('standing_rules').select('id').execute();
    const approvedBy = await h.db
      .selectFrom('journal')
      .select(['actor', 'rule_id'])
      .where('action', '=', 'invoice_approved')
      .orderBy('id')
      .execute();
    expect(approvedBy).toEqual([
      { actor: 'owner', rule_id: null },
      { actor: 'deskhand', rule_id: rule!.id },
    ]);
    const notices = (await outboxOf('notice')).map((o) => o.subject);
    expect(notices).toContain(
      '[deskhand] Approved by your rule: ACME GmbH invoice 2024-0043: EUR 1,190.00 due 2024-04-30',
    );
  });

  it('APPROVAL_REQUIRE_AUTH=false: the owner\'s unsigned "yes" counts (token and sender only); someone else\'s still does not', async () => {
    t = harness(h, approvalsConfig({ APPROVAL_REQUIRE_AUTH: 'false' }));
    t.deps.authenticate = (raw) =>
      authenticateSender(raw, { requireAuth: false, trustedAuthservIds: [], dnsServers: [] });
    const r = await acmeInvoice();
    await answer(r, 'Yes', { signed: false, from: 'Bob <bob@northwind.example>' });
    expect((await roundRow(r.id)).status).toBe('open');
    await answer(r, 'Yes', { signed: false });
    expect((await roundRow(r.id)).status).toBe('approved');
  });
});
