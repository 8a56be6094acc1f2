import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { type Mailer, SmtpSendError } from '../../src/mailbox/smtp.mailer.ts';
import { composeOutbound } from '../../src/outbox/outbox.compose.ts';
import { enqueueOutbound, type OutboxPolicy } from '../../src/outbox/outbox.repository.ts';
import { type SenderDeps, sendOutboxRow } from '../../src/outbox/outbox.sender.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { inviteMimeParts } from '../../src/skills/scheduling/invite/invite.mime.ts';
import { meetingUid } from '../../src/skills/scheduling/invite/invite.model.ts';
import { memoryDb, resetDb } from '../support/pglite.ts';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await memoryDb();
});
beforeEach(async () => {
  await resetDb(h);
});
afterAll(async () => h.close());

const policy = (): OutboxPolicy => ({
  assistantEmail: 'assistant@northwind.example',
  ownerEmail: 'maya@northwind.example',
  perCorrespondentPerHour: 3,
  now: new Date(),
});
const req = (key: string, to = ['dana@lumen.example']) => ({
  purpose: 'reply',
  idempotencyKey: key,
  to,
  subject: 'Re: Plan',
  text: 'OK',
  inReplyTo: 'root@lumen.example',
  references: ['root@lumen.example'],
});

function fakeMailer(behaviour: () => Promise<{ response: string }>): Mailer & { calls: number } {
  const m = {
    calls: 0,
    verify: async () => undefined,
    sendRaw: async () => {
      m.calls++;
      return behaviour();
    },
  };
  return m;
}
const senderDeps = (mailer: Mailer): SenderDeps => ({
  db: h.db,
  mailer,
  sent: null,
  clock: systemClock,
  log: silentLogger(),
  fromName: 'Assistant',
});

describe('the outbox', () => {
  it('keeps one row per idempotency key, so asking twice never sends twice', async () => {
    const a = await enqueueOutbound(h.db, req('k1'), policy());
    const b = await enqueueOutbound(h.db, req('k1'), policy());
    expect(a.kind === 'queued' && b.kind === 'queued' && a.outboxId === b.outboxId).toBe(true);
    expect(await h.db.selectFrom('outbox').select('id').execute()).toHaveLength(1);
  });

  it('refuses to write to the assistant itself, plus-addresses included', async () => {
    const r = await enqueueOutbound(h.db, req('k2', ['Assistant+abc@northwind.example']), policy());
    expect(r.kind).toBe('refused');
  });

  it("counts the hourly limit on the caller's clock: three at 09:00 do not block one at 10:30", async () => {
    const at = (iso: string): OutboxPolicy => ({ ...policy(), now: new Date(iso) });
    for (const k of ['m1', 'm2', 'm3'])
      expect((await enqueueOutbound(h.db, req(k), at('2026-10-21T09:00:00Z'))).kind).toBe('queued');
    expect((await enqueueOutbound(h.db, req('m4'), at('2026-10-21T09:30:00Z'))).kind).toBe('refused');
    expect((await enqueueOutbound(h.db, req('m5'), at('2026-10-21T10:30:00Z'))).kind).toBe('queued');
  });

  it('stops after the hourly limit per correspondent and journals why', async () => {
    for (const k of ['a', 'b', 'c'])
      expect((await enqueueOutbound(h.db, req(k), policy())).kind).toBe('queued');
    const fourth = await enqueueOutbound(h.db, req('d'), policy());
    expect(fourth).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/rate limit/) });
    const j = await h.db
      .selectFrom('journal')
      .select(['action'])
      .where('action', '=', 'send_refused')
      .execute();
    expect(j).toHaveLength(1);
  });

  it('marks every message it composes as automatic, threaded, with the pre-assigned Message-ID', async () => {
    const r = await enqueueOutbound(h.db, req('k3'), policy());
    if (r.kind !== 'queued') throw new Error('not queued');
    const row = await h.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', r.outboxId)
      .executeTakeFirstOrThrow();
    const parsed = await simpleParser(await composeOutbound(row, 'Assistant', new Date()));
    expect(parsed.messageId).toBe(`<${r.messageId}>`);
    expect(parsed.inReplyTo).toBe('<root@lumen.example>');
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.headers.get('x-deskhand-id')).toBe(r.messageId);
  });

  it('carries an invite as text/calendar beside the text and as an .ics attachment, byte for byte', async () => {
    const meeting = {
      uid: meetingUid('m1', 'northwind.example'),
      sequence: 0,
      start: new Date('2026-03-20T14:00:00Z'),
      end: new Date('2026-03-20T14:30:00Z'),
      summary: 'Q2 analytics kick-off',
      description: 'As agreed by mail.',
      organizer: { name: 'Maya Chen', email: 'maya@northwind.example' },
      attendees: [{ name: 'Dana Lee', email: 'dana@lumen.example' }],
    };
    const parts = inviteMimeParts(meeting, 'REQUEST', new Date('2026-03-10T09:00:00Z'), 'Europe/Berlin');
    const r = await enqueueOutbound(
      h.db,
      {
        ...req('k-invite'),
        text: parts.text,
        calendar: { method: 'REQUEST', content: parts.icalEvent.content, filename: 'invite.ics' },
      },
      policy(),
    );
    if (r.kind !== 'queued') throw new Error('not queued');
    const row = await h.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', r.outboxId)
      .executeTakeFirstOrThrow();
    expect(row.calendar).toMatchObject({ method: 'REQUEST', filename: 'invite.ics' });
    const raw = (await composeOutbound(row, 'Assistant', new Date())).toString('utf8');
    expect(raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=REQUEST/i);
    const parsed = await simpleParser(raw);
    const ics = parsed.attachments.find((a) => /calendar|ics/.test(a.contentType));
    expect(ics?.content.toString('utf8')).toBe(parts.icalEvent.content);
    expect(parsed.text).toContain('Q2 analytics kick-off');
    // A plain message has no calendar part.
    const plain = await enqueueOutbound(h.db, req('k-plain'), policy());
    if (plain.kind !== 'queued') throw new Error('not queued');
    const plainRow = await h.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', plain.outboxId)
      .executeTakeFirstOrThrow();
    expect((await composeOutbound(plainRow, 'Assistant', new Date())).toString('utf8')).not.toMatch(
      /text\/calendar/,
    );
  });

  it('sends a row once even when two workers try at the same time', async () => {
    const r = await enqueueOutbound(h.db, req('k4'), policy());
    if (r.kind !== 'queued') throw new Error('not queued');
    const mailer = fakeMailer(async () => ({ response: '250 ok' }));
    const outcomes = await Promise.all([
      sendOutboxRow(senderDeps(mailer), r.outboxId),
      sendOutboxRow(senderDeps(mailer), r.outboxId),
    ]);
    expect(outcomes.sort()).toEqual(['not-pending', 'sent']);
    expect(mailer.calls).toBe(1);
  });

  it('never resends when the connection dropped after the message went out, and says so once', async () => {
    const r = await enqueueOutbound(h.db, req('k5'), policy());
    if (r.kind !== 'queued') throw new Error('not queued');
    const mailer = fakeMailer(async () => {
      throw new SmtpSendError('Connection closed unexpectedly', 'after-data', null, 'ECONNECTION');
    });
    const told: string[] = [];
    const deps = { ...senderDeps(mailer), notifyAmbiguous: async (id: string) => void told.push(id) };
    expect(await sendOutboxRow(deps, r.outboxId)).toBe('ambiguous');
    expect(await sendOutboxRow(deps, r.outboxId)).toBe('not-pending');
    expect(mailer.calls).toBe(1);
    expect(told).toEqual([r.outboxId]);
  });

  it('puts the row back to pending and asks for a retry when the connection failed before DATA', async () => {
    const r = await enqueueOutbound(h.db, req('k6'), policy());
    if (r.kind !== 'queued') throw new Error('not queued');
    const mailer = fakeMailer(async () => {
      throw new SmtpSendError('connect ECONNREFUSED', 'connect', null, 'ECONNREFUSED');
    });
    await expect(sendOutboxRow(senderDeps(mailer), r.outboxId)).rejects.toMatchObject({ retryable: true });
    const row = await h.db
      .selectFrom('outbox')
      .select(['status', 'attempts'])
      .where('id', '=', r.outboxId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', attempts: 1 });
  });
});
