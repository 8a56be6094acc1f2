import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DRAFT_END, DRAFT_START } from '../../src/approvals/reply/reply.markers.ts';
import { handleSkillsJob, type PipelineDeps } from '../../src/jobs/handlers.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { demoMessage, uniqueDomain } from '../support/demo-mail.ts';
import { type DkimKey, dkimSign, makeDkimKey, prependHeaders } from '../support/dkim-signing.ts';
import { type LiveDeskhand, liveDeskhand } from '../support/live.ts';
import { decoded, replyTo, waitCount } from './mail-helpers.ts';
import { listMessages, type StackMessage, sendRaw, startDnsServer, waitForMessages } from './stack.ts';

/**
 * Approvals end to end over Postfix and Dovecot, with the owner's replies DKIM-signed by a key a
 * local DNS server publishes (TEST-STACK.md): a forwarded invoice → approval email in the owner's
 * mailbox → signed "yes" → invoice approved and confirmed; a CC'd thread → draft → the owner's
 * edited reply → the edited text arrives in the guest's mailbox, threaded, once. Forgery and
 * replay (RELIABILITY.md 9–14) execute nothing.
 */

let dh: LiveDeskhand | null = null;
let dns: { server: string; stop: () => Promise<void> } | null = null;
const keys = new Map<string, DkimKey>();

afterEach(async () => {
  await dh?.destroy();
  dh = null;
  await dns?.stop();
  dns = null;
});
afterAll(async () => {
  await dns?.stop();
});

async function setup(
  prefix: string,
): Promise<{ domain: string; owner: string; assistant: string; key: DkimKey }> {
  const domain = uniqueDomain(prefix);
  const key = makeDkimKey(domain, 'dh2026');
  keys.set(domain, key);
  dns = await startDnsServer([
    { name: key.recordName, value: key.record },
    { name: `_dmarc.${domain}`, value: 'v=DMARC1; p=reject' },
  ]);
  const owner = `maya@${domain}`;
  const assistant = `assistant@${domain}`;
  dh = await liveDeskhand({
    assistant,
    owner,
    env: { TEAM_DOMAINS: domain, OWNER_NAME: 'Maya Chen', DNS_SERVERS: dns.server, TRUSTED_AUTHSERV_IDS: '' },
  });
  await dh.start();
  return { domain, owner, assistant, key };
}

/** The owner's reply to `request`: new text on top, the request quoted. */
const answer = (request: StackMessage, o: Parameters<typeof replyTo>[1]): Promise<Buffer> =>
  replyTo(request, o);

/** Dana writes to Maya with the assistant copied; returns the approval request the owner receives. */
async function danaAsks(
  guest: string,
  owner: string,
  assistant: string,
  m: { subject: string; text: string; messageId?: string },
): Promise<StackMessage> {
  const question = await new MailComposer({
    from: `Dana Lee <${guest}>`,
    to: `Maya Chen <${owner}>`,
    cc: `Assistant <${assistant}>`,
    ...m,
  })
    .compile()
    .build();
  await sendRaw({ from: guest, to: [owner, assistant] }, question);
  const [request] = await waitForMessages(
    owner,
    'INBOX',
    (x) => x.subject === '[deskhand] Send this reply to Dana Lee',
    40_000,
  );
  return request!;
}

const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('approvals on the real mail stack, with DKIM-signed answers', () => {
  it('forwarded invoice → approval email → forged and foreign "yes" do nothing → signed "yes" approves it once → confirmation; a replay changes nothing', async () => {
    const { domain, owner, assistant, key } = await setup('apv');
    const db = dh!.handle.db;
    await sendRaw({ from: owner, to: [assistant] }, demoMessage('02-forwarded-invoice.eml', domain));

    const [request] = await waitForMessages(
      owner,
      'INBOX',
      (m) => m.subject.startsWith('[deskhand] Approve ACME GmbH'),
      40_000,
    );
    expect(request!.subject).toBe(
      '[deskhand] Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31 — decision needed: first invoice from a new vendor',
    );
    const replyTo = request!.header('reply-to') ?? '';
    expect(replyTo).toMatch(new RegExp(`^assistant\\+dh-a-[a-z0-9]{20,}@${domain.replace(/\./g, '\\.')}$`));
    expect(request!.header('auto-submitted')).toBe('auto-generated');
    const text = decoded(request!.source);
    expect(text).toContain('DE89 3704 0044 0532 0130 00');
    expect(text).toMatch(/Approval reference: dh-a-[a-z0-9]+/);
    expect(request!.source).not.toMatch(/<img|<a\s|src=/i);

    // RELIABILITY 9: the owner's address, no signature → nothing; the owner is told.
    await sendRaw(
      { from: owner, to: [replyTo] },
      await answer(request!, { from: `Maya Chen <${owner}>`, text: 'Yes' }),
    );
    // RELIABILITY 13: the request forwarded to someone else, who answers "yes" → nothing.
    const bob = `bob@${domain}`;
    await sendRaw(
      { from: bob, to: [replyTo] },
      await answer(request!, { from: `Bob <${bob}>`, text: 'Yes, approved.' }),
    );
    const refused = await waitCount(owner, (m) => m.subject.startsWith('[deskhand] Answer not applied'), 2);
    expect(refused.map((m) => decoded(m.source)).join('\n')).toMatch(
      /could not be verified[\s\S]*not from you|not from you[\s\S]*could not be verified/,
    );
    let inv = await db.selectFrom('invoices').select(['status']).executeTakeFirstOrThrow();
    expect(inv.status).toBe('received');

    // The owner's signed "yes": approved, once, and confirmed.
    const yes = await dkimSign(
      await answer(request!, { from: `Maya Chen <${owner}>`, text: 'Yes, go ahead.' }),
      key,
    );
    await sendRaw({ from: owner, to: [replyTo] }, yes);
    const [confirmation] = await waitForMessages(
      owner,
      'INBOX',
      (m) => m.subject.startsWith('[deskhand] Approved for payment'),
      40_000,
    );
    expect(confirmation!.subject).toBe(
      '[deskhand] Approved for payment: ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31',
    );
    inv = await db.selectFrom('invoices').select(['status']).executeTakeFirstOrThrow();
    expect(inv.status).toBe('approved');
    const account = await db.selectFrom('vendor_accounts').select(['status']).executeTakeFirstOrThrow();
    expect(account.status).toBe('confirmed');

    // RELIABILITY 11: the same signed "yes" delivered again → nothing more is approved or confirmed.
    await sendRaw({ from: owner, to: [replyTo] }, yes);
    await dh!.waitSettled(5, 40_000);
    await quiet(1500);
    expect(
      await waitForMessages(
        owner,
        'INBOX',
        (m) => m.subject.startsWith('[deskhand] Approved for payment'),
        1000,
      ),
    ).toHaveLength(1);
    const approvedRows = await db
      .selectFrom('journal')
      .select('id')
      .where('action', '=', 'invoice_approved')
      .execute();
    expect(approvedRows).toHaveLength(1);
    const refusals = await db
      .selectFrom('journal')
      .select(['reason'])
      .where('action', '=', 'approval_refused')
      .execute();
    expect(refusals.map((r) => r.reason.split(':')[0]).sort()).toEqual([
      'closed',
      'not_owner',
      'unauthenticated',
    ]);
  }, 120_000);

  it("CC'd thread → draft → the owner's edited, signed reply → the edited text arrives in the guest's mailbox, threaded, once; an auto-reply \"yes\" is no answer", async () => {
    const { owner, assistant, key } = await setup('apd');
    const db = dh!.handle.db;
    const guestDomain = uniqueDomain('guest');
    const guest = `dana@${guestDomain}`;
    const request = await danaAsks(guest, owner, assistant, {
      subject: 'Contract for the Q2 project',
      messageId: `<q2-${Date.now()}@${guestDomain}>`,
      text: 'Hi Maya,\n\nCould you send us the signed contract by Friday?\n\nThanks,\nDana\n',
    });
    const text = decoded(request!.source);
    expect(text).toContain(DRAFT_START);
    const replyTo = request!.header('reply-to') ?? '';

    // RELIABILITY 14: an out-of-office "yes" from the owner's address → no decision, no answer.
    const ooo = await answer(request!, {
      from: `Maya Chen <${owner}>`,
      text: 'Yes — I am out of office until Monday.',
      extraHeaders: { 'Auto-Submitted': 'auto-replied' },
    });
    await sendRaw({ from: owner, to: [replyTo] }, await dkimSign(ooo, key));

    // The owner edits the draft: the block is copied to the top, placeholders replaced.
    const block = text.slice(text.indexOf(DRAFT_START), text.indexOf(DRAFT_END) + DRAFT_END.length);
    const edited = block
      .split('\n')
      .map((l) => (l.includes('[[') ? 'Yes — the signed contract goes out to you on Thursday.' : l))
      .join('\n');
    expect(edited).not.toContain('[[');
    const signed = await dkimSign(
      await answer(request!, { from: `Maya Chen <${owner}>`, text: edited }),
      key,
    );
    await sendRaw({ from: owner, to: [replyTo] }, signed);

    const [reply] = await waitForMessages(
      guest,
      'INBOX',
      (m) => m.subject === 'Re: Contract for the Q2 project',
      40_000,
    );
    expect(decoded(reply!.source)).toContain('the signed contract goes out to you on Thursday');
    expect(reply!.header('in-reply-to')).toMatch(/^<q2-\d+@/);
    expect(reply!.header('auto-submitted')).toBe('auto-generated');
    const [sentNote] = await waitForMessages(
      owner,
      'INBOX',
      (m) => m.subject.startsWith('[deskhand] Sent to Dana Lee at '),
      40_000,
    );
    expect(sentNote!.subject).toMatch(/at \d{2}:\d{2}$/);

    // RELIABILITY 7: the approval's job runs again on another worker (as after a stall), twice at
    // once, while the live worker is up: still one message in the guest's mailbox.
    const msg = await db
      .selectFrom('messages')
      .select(['id'])
      .where('addressing', '=', 'approval_reply')
      .where('automatic', '=', false)
      .executeTakeFirstOrThrow();
    await db.updateTable('messages').set({ skills_done_at: null }).where('id', '=', msg.id).execute();
    const deps: PipelineDeps = {
      db,
      config: dh!.config,
      clock: systemClock,
      log: silentLogger(),
      jobs: {
        enqueueProcess: async () => undefined,
        enqueueSend: async () => undefined,
        close: async () => undefined,
      },
      filing: null,
      model: null,
      authenticate: async () => ({
        authenticated: true,
        method: 'dkim',
        domain: 'x',
        reason: 'stalled re-run',
      }),
    };
    await Promise.all([handleSkillsJob(deps, msg.id), handleSkillsJob(deps, msg.id)]);
    await quiet(2000);
    expect(
      await waitForMessages(guest, 'INBOX', (m) => m.subject === 'Re: Contract for the Q2 project', 1000),
    ).toHaveLength(1);
    const replies = await db.selectFrom('outbox').select(['id']).where('purpose', '=', 'reply').execute();
    expect(replies).toHaveLength(1);
    const ooos = await db
      .selectFrom('messages')
      .select(['addressing'])
      .where('automatic', '=', true)
      .execute();
    expect(ooos.map((m) => m.addressing)).not.toContain('approval_reply');
    const approvals = await db.selectFrom('approvals').select(['status', 'decided_by_message']).execute();
    expect(approvals).toEqual([{ status: 'approved', decided_by_message: msg.id }]);
  }, 120_000);
  it('payment corrections: a forged verdict below the trusted one is ignored; "total: 1200.00" opens round 2 showing the difference; a "yes" to round 1 then does nothing; "yes, but due …" on round 2 approves with both corrections, journaled as the owner\'s', async () => {
    const { domain, owner, assistant, key } = await setup('apc');
    await dh!.stop();
    await dh!.destroy();
    dh = await liveDeskhand({
      assistant,
      owner,
      env: {
        TEAM_DOMAINS: domain,
        OWNER_NAME: 'Maya Chen',
        DNS_SERVERS: dns!.server,
        TRUSTED_AUTHSERV_IDS: 'mx.trusted.test',
      },
    });
    await dh.start();
    const db = dh.handle.db;
    await sendRaw({ from: owner, to: [assistant] }, demoMessage('02-forwarded-invoice.eml', domain));
    const [round1] = await waitForMessages(
      owner,
      'INBOX',
      (m) => m.subject.startsWith('[deskhand] Approve ACME'),
      40_000,
    );
    const to1 = round1!.header('reply-to') ?? '';

    // RELIABILITY 12: the trusted server's verdict on top says no signature; a forged "pass"
    // with the same id below it is not read.
    const forged = prependHeaders(
      await answer(round1!, { from: `Maya Chen <${owner}>`, text: 'Yes' }),
      'Authentication-Results: mx.trusted.test; dkim=none',
      `Authentication-Results: mx.trusted.test; dkim=pass header.d=${domain}`,
    );
    await sendRaw({ from: owner, to: [to1] }, forged);
    await waitCount(owner, (m) => m.subject.startsWith('[deskhand] Answer not applied'), 1);

    // RELIABILITY 15 (an amount changed): a new round, showing the difference.
    await sendRaw(
      { from: owner, to: [to1] },
      await dkimSign(await answer(round1!, { from: `Maya Chen <${owner}>`, text: 'total: 1200.00' }), key),
    );
    const [round2] = await waitForMessages(owner, 'INBOX', (m) => m.subject.includes('(changed)'), 40_000);
    expect(decoded(round2!.source)).toContain('Total: EUR 1,190.00 → EUR 1,200.00');
    expect(round2!.header('reply-to')).not.toBe(to1);
    let inv = await db
      .selectFrom('invoices')
      .select(['status', 'total', 'due_date'])
      .executeTakeFirstOrThrow();
    // Shown again, not yet written: a correction counts once a round with it is approved.
    expect(inv).toEqual({ status: 'received', total: '1190', due_date: '2024-03-31' });

    // RELIABILITY 10: the owner's genuine "yes" to the superseded round does nothing.
    await sendRaw(
      { from: owner, to: [to1] },
      await dkimSign(await answer(round1!, { from: `Maya Chen <${owner}>`, text: 'Yes' }), key),
    );
    await waitCount(owner, (m) => m.subject.startsWith('[deskhand] Answer not applied'), 2);
    inv = await db.selectFrom('invoices').select(['status', 'total', 'due_date']).executeTakeFirstOrThrow();
    expect(inv.status).toBe('received');

    // "yes, but due …" on round 2: approved with the corrected due date.
    await sendRaw(
      { from: owner, to: [round2!.header('reply-to') ?? ''] },
      await dkimSign(
        await answer(round2!, { from: `Maya Chen <${owner}>`, text: 'Yes, but due 2024-04-15' }),
        key,
      ),
    );
    await waitForMessages(
      owner,
      'INBOX',
      (m) => m.subject.startsWith('[deskhand] Approved for payment'),
      40_000,
    );
    inv = await db.selectFrom('invoices').select(['status', 'total', 'due_date']).executeTakeFirstOrThrow();
    expect(inv).toEqual({ status: 'approved', total: '1200', due_date: '2024-04-15' });
    const changes = await db
      .selectFrom('journal')
      .select(['actor', 'reason'])
      .where('action', '=', 'invoice_corrected')
      .orderBy('id')
      .execute();
    expect(changes).toEqual([
      { actor: 'owner', reason: 'Total: EUR 1,190.00 → EUR 1,200.00; Due date: 2024-03-31 → 2024-04-15' },
    ]);
    const memory = await db
      .selectFrom('field_corrections')
      .select(['field', 'right_value'])
      .orderBy('id')
      .execute();
    expect(memory).toEqual([
      { field: 'total', right_value: '1200' },
      { field: 'dueDate', right_value: '2024-04-15' },
    ]);
  }, 120_000);

  it('"no" to a draft: nothing reaches the guest, the owner is told it was dropped', async () => {
    const { owner, assistant, key } = await setup('apn');
    const guest = `dana@${uniqueDomain('guest')}`;
    const request = await danaAsks(guest, owner, assistant, {
      subject: 'Quick question',
      text: 'Hi Maya,\n\nCould you send us the updated price list by Friday?\n\nDana\n',
    });
    await sendRaw(
      { from: owner, to: [request!.header('reply-to') ?? ''] },
      await dkimSign(
        await answer(request!, { from: `Maya Chen <${owner}>`, text: 'No, I will answer her myself.' }),
        key,
      ),
    );
    await waitForMessages(
      owner,
      'INBOX',
      (m) => m.subject === '[deskhand] Dropped: Send this reply to Dana Lee',
      40_000,
    );
    await quiet(1500);
    expect(await listMessages(guest)).toEqual([]);
    const db = dh!.handle.db;
    expect(await db.selectFrom('outbox').select('id').where('purpose', '=', 'reply').execute()).toEqual([]);
    expect(await db.selectFrom('approvals').select(['status']).execute()).toEqual([{ status: 'rejected' }]);
  }, 120_000);
});
