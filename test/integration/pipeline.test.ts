import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { enqueueOutbound } from '../../src/outbox/outbox.repository.ts';
import { demoMessage, uniqueDomain } from '../support/demo-mail.ts';
import { type LiveDeskhand, liveDeskhand } from '../support/live.ts';
import { imapClientFor, sendMail, sendRaw, waitForMessages } from './stack.ts';

let dh: LiveDeskhand | null = null;
afterEach(async () => {
  await dh?.destroy();
  dh = null;
});

async function folderCounts(address: string): Promise<Record<string, number>> {
  const c = await imapClientFor(address);
  try {
    const out: Record<string, number> = {};
    for (const box of await c.list()) {
      const st = await c.status(box.path, { messages: true });
      const n = st === false ? 0 : (st.messages ?? 0);
      if (n) out[box.path] = n;
    }
    return out;
  } finally {
    await c.logout();
  }
}

describe('the assistant mailbox on real Dovecot and Postfix', () => {
  it('files a CC thread, a forwarded invoice, a newsletter and an auto-reply each into its folder, exactly once, replying to none of them', async () => {
    const domain = uniqueDomain();
    const assistant = `assistant@${domain}`;
    dh = await liveDeskhand({ assistant, owner: `maya@${domain}`, env: { TEAM_DOMAINS: domain } });
    await dh.start();
    for (const f of [
      '01-cc-meeting.eml',
      '02-forwarded-invoice.eml',
      '03-newsletter.eml',
      '04-out-of-office.eml',
    ]) {
      await sendRaw({ from: `maya@${domain}`, to: [assistant] }, demoMessage(f, domain));
    }
    await dh.waitSettled(4);
    const rows = await dh.handle.db
      .selectFrom('messages')
      .select(['subject', 'category', 'addressing', 'target_folder', 'status'])
      .orderBy('id')
      .execute();
    const byCategory = Object.fromEntries(rows.map((r) => [r.category, r]));
    expect(Object.keys(byCategory).sort()).toEqual(['auto_reply', 'invoice', 'meeting', 'newsletter']);
    expect(byCategory['meeting']?.addressing).toBe('cc');
    expect(byCategory['invoice']?.addressing).toBe('forward');

    const folders = await folderCounts(assistant);
    expect(folders).toMatchObject({
      'deskhand/Meetings': 1,
      'deskhand/Invoices': 1,
      'deskhand/Newsletters': 1,
      'deskhand/Auto-replies': 1,
    });
    expect(folders['INBOX'] ?? 0).toBe(0);

    const triaged = await dh.handle.db
      .selectFrom('journal')
      .select(['message_id'])
      .where('action', '=', 'triaged')
      .execute();
    expect(triaged).toHaveLength(4);
    expect(new Set(triaged.map((t) => t.message_id)).size).toBe(4);
    // Nothing answers the newsletter, the auto-reply or the vendor: everything goes to the owner.
    // The meeting request in the owner's name carries no signature deskhand can verify here, so it
    // is not acted on and she is told, once; the forwarded invoice waits for her approval.
    const out = await dh.handle.db
      .selectFrom('outbox')
      .select(['purpose', 'to_addresses', 'subject'])
      .orderBy('purpose')
      .execute();
    expect(out).toEqual([
      {
        purpose: 'approval',
        to_addresses: [`maya@${domain}`],
        subject: expect.stringMatching(/^\[deskhand\] Approve ACME GmbH invoice 2024-0042: EUR 1,190\.00/),
      },
      {
        purpose: 'notice',
        to_addresses: [`maya@${domain}`],
        subject: '[deskhand] Unverified mail in your name: "Re: Catching up on the Q3 pilot"',
      },
    ]);
  });

  it('refuses to answer bounces, list mail, bulk mail, auto-replies and its own mail', async () => {
    const domain = uniqueDomain();
    const assistant = `assistant@${domain}`;
    dh = await liveDeskhand({
      assistant,
      owner: `maya@${domain}`,
      env: { TEAM_DOMAINS: domain, FILING_ENABLED: 'false' },
    });
    await dh.start();
    const own = `From: Assistant <${assistant}>\r\nTo: ${assistant}\r\nSubject: Our own notice\r\nMessage-ID: <own-${domain}@x>\r\nX-Deskhand-Id: own\r\nAuto-Submitted: auto-generated\r\n\r\nhello\r\n`;
    const bulk = `From: promo@shop.example\r\nTo: ${assistant}\r\nSubject: Deals\r\nMessage-ID: <bulk-${domain}@x>\r\nPrecedence: bulk\r\n\r\nCan you buy now?\r\n`;
    for (const f of ['03-newsletter.eml', '04-out-of-office.eml', '05-bounce.eml']) {
      await sendRaw({ from: '', to: [assistant] }, demoMessage(f, domain));
    }
    await sendRaw({ from: assistant, to: [assistant] }, Buffer.from(own));
    await sendRaw({ from: 'promo@shop.example', to: [assistant] }, Buffer.from(bulk));
    await dh.waitSettled(5);
    const rows = await dh.handle.db
      .selectFrom('messages')
      .select(['id', 'automatic', 'from_address'])
      .execute();
    expect(rows.every((r) => r.automatic)).toBe(true);
    for (const r of rows) {
      const res = await enqueueOutbound(
        dh.handle.db,
        {
          purpose: 'reply',
          idempotencyKey: `reply-${r.id}`,
          to: [r.from_address ?? 'x@example.com'],
          subject: 'Re',
          text: 'x',
          sourceMessageId: r.id,
        },
        {
          assistantEmail: assistant,
          ownerEmail: `maya@${domain}`,
          perCorrespondentPerHour: 5,
          now: new Date(),
        },
      );
      expect(res.kind, `reply to ${r.from_address}`).toBe('refused');
    }
    console.log(
      JSON.stringify(
        await dh.handle.db
          .selectFrom('outbox')
          .select(['purpose', 'to_addresses', 'subject', 'source_message'])
          .execute(),
      ),
    );
    expect(await dh.handle.db.selectFrom('outbox').select('id').execute()).toHaveLength(0);
  });

  it('quarantines a 30 MB message without downloading it, tells the owner once, and keeps processing other mail', async () => {
    const domain = uniqueDomain();
    const assistant = `assistant@${domain}`;
    const owner = `maya@${domain}`;
    dh = await liveDeskhand({ assistant, owner, env: { TEAM_DOMAINS: domain } });
    await dh.start();
    const big = 'A'.repeat(76) + '\r\n';
    await sendMail({
      from: `vendor@big.example`,
      to: assistant,
      subject: 'Huge scan',
      text: big.repeat(Math.ceil((30 * 2 ** 20) / big.length)),
    });
    await sendMail({
      from: `dana@lumen.example`,
      to: assistant,
      subject: 'Small question',
      text: 'Could you send me the contract?',
    });
    await dh.waitSettled(2, 60_000);
    const rows = await dh.handle.db
      .selectFrom('messages')
      .select(['subject', 'status', 'size', 'raw', 'error'])
      .orderBy('id')
      .execute();
    const huge = rows.find((r) => r.subject === 'Huge scan');
    expect(huge?.status).toBe('quarantined');
    expect(huge?.raw).toBeNull();
    expect(huge?.size).toBeGreaterThan(30 * 10 ** 6);
    expect(rows.find((r) => r.subject === 'Small question')?.status).toBe('processed');

    // Two mails for the owner: the quarantine notice, once, and — the small question being a
    // request — the approval request for its reply draft.
    const inbox = await waitForMessages(owner, 'INBOX', 2, 20_000);
    const notices = inbox.filter((m) => /Could not process/.test(m.subject));
    expect(notices).toHaveLength(1);
    expect(inbox.filter((m) => m.subject.startsWith('[deskhand] Send this reply to'))).toHaveLength(1);
    const notice = await simpleParser(Buffer.from(notices[0]!.source));
    expect(notice.subject).toMatch(/Could not process "Huge scan"/);
    expect(notice.text).toMatch(/over the .*limit/);
    expect(notice.headers.get('auto-submitted')).toBe('auto-generated');
    expect(notice.headers.get('x-auto-response-suppress')).toBe('All');
    expect((await folderCounts(assistant))['deskhand/Quarantine']).toBe(1);
    const sent = await dh.handle.db
      .selectFrom('outbox')
      .select(['purpose', 'status', 'saved_to_sent'])
      .orderBy('purpose')
      .execute();
    expect(sent).toEqual([
      { purpose: 'approval', status: 'sent', saved_to_sent: true },
      { purpose: 'notice', status: 'sent', saved_to_sent: true },
    ]);
  });

  it('after a restart processes mail that arrived while it was down, exactly once', async () => {
    const domain = uniqueDomain();
    const assistant = `assistant@${domain}`;
    dh = await liveDeskhand({ assistant, owner: `maya@${domain}`, env: { TEAM_DOMAINS: domain } });
    await dh.start();
    await sendMail({ from: 'a@lumen.example', to: assistant, subject: 'one', text: 'first' });
    await dh.waitSettled(1);
    await dh.stop();
    for (const s of ['two', 'three', 'four'])
      await sendMail({ from: 'a@lumen.example', to: assistant, subject: s, text: s });
    await waitForMessages(assistant, 'INBOX', 3, 10_000);
    await dh.start();
    await dh.waitSettled(4);
    await new Promise((r) => setTimeout(r, 500));
    const rows = await dh.handle.db.selectFrom('messages').select(['subject']).execute();
    expect(rows.map((r) => r.subject).sort()).toEqual(['four', 'one', 'three', 'two']);
  });

  it('when UIDVALIDITY changes (the mailbox is rebuilt with the same 50 messages and 1 new), processes only the new one', async () => {
    const domain = uniqueDomain();
    const assistant = `assistant@${domain}`;
    dh = await liveDeskhand({
      assistant,
      owner: `maya@${domain}`,
      env: { TEAM_DOMAINS: domain, FILING_ENABLED: 'false', IMAP_MAILBOX: 'Watched' },
    });
    const raws = Array.from({ length: 50 }, (_, i) =>
      Buffer.from(
        `From: v${i}@lumen.example\r\nTo: ${assistant}\r\nSubject: msg ${i}\r\nMessage-ID: <uv-${i}-${domain}@x>\r\n\r\nbody ${i}\r\n`,
      ),
    );
    const c = await imapClientFor(assistant);
    await c.mailboxCreate('Watched');
    for (const r of raws) await c.append('Watched', r);
    await dh.start();
    await dh.waitSettled(50);
    await dh.stop();
    const before = await c.status('Watched', { uidValidity: true });
    await c.mailboxDelete('Watched');
    await c.mailboxCreate('Watched');
    for (const r of raws) await c.append('Watched', r);
    await c.append(
      'Watched',
      Buffer.from(
        `From: new@lumen.example\r\nTo: ${assistant}\r\nSubject: the new one\r\nMessage-ID: <uv-new-${domain}@x>\r\n\r\nnew\r\n`,
      ),
    );
    const after = await c.status('Watched', { uidValidity: true });
    await c.logout();
    const validity = (st: typeof before) => (st === false ? null : String(st.uidValidity));
    expect(validity(after)).not.toBe(validity(before));
    await dh.start();
    await dh.waitSettled(51);
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await dh.handle.db.selectFrom('messages').select(['subject']).execute();
    expect(rows).toHaveLength(51);
    const triaged = await dh.handle.db
      .selectFrom('journal')
      .select('id')
      .where('action', '=', 'triaged')
      .execute();
    expect(triaged).toHaveLength(51);
    const changed = await dh.handle.db
      .selectFrom('journal')
      .select('id')
      .where('action', '=', 'uidvalidity_changed')
      .execute();
    expect(changed).toHaveLength(1);
  });
});
