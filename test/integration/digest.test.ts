import { Queue } from 'bullmq';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST_SCHEDULER_ID, digestCron } from '../../src/jobs/digest.schedule.ts';
import { QUEUES, redisConnection } from '../../src/jobs/queues.ts';
import { clockStartingAt } from '../../src/shared/clock.ts';
import { uniqueDomain } from '../support/demo-mail.ts';
import { dkimSign } from '../support/dkim-signing.ts';
import type { LiveDeskhand } from '../support/live.ts';
import { replyTo, waitCount } from './mail-helpers.ts';
import { ownerOnStack } from './owner-stack.ts';
import { listMessages, type StackMessage, sendRaw, stackEnv } from './stack.ts';

/**
 * The daily digest on the real stack: a day of mail (three guests asking for meetings, each offer
 * waiting for Maya's approval), then DIGEST_TIME passes while three workers run — the digest
 * reaches Maya's mailbox once, with its numbered decisions; her DKIM-signed answer "approve 1 3,
 * reject 2" sends exactly the first and third offers and drops the second, confirmed item by item.
 */

let dh: LiveDeskhand | null = null;
let dns: { server: string; stop: () => Promise<void> } | null = null;
afterEach(async () => {
  await dh?.destroy();
  dh = null;
  await dns?.stop();
  dns = null;
});

const textOf = async (m: StackMessage) => (await simpleParser(Buffer.from(m.source))).text ?? '';
const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the daily digest on the real mail stack', () => {
  it('arrives once with three workers running; "approve 1 3, reject 2" decides exactly those items', async () => {
    // Monday 16 March 2026, 06:00 in Berlin: before DIGEST_TIME.
    const clock = clockStartingAt(Date.parse('2026-03-16T05:00:00Z'));
    const started = await ownerOnStack({
      prefix: 'dig',
      clock,
      env: { OWNER_TIMEZONE: 'Europe/Berlin', DIGEST_TIME: '08:00', DIGEST_ENABLED: 'true' },
    });
    ({ dh, dns } = started);
    const { owner, assistant, key } = started;
    const guests = [
      ['Dana Lee', `dana@${uniqueDomain('g1')}`, 'Q2 plan'],
      ['Sam Ortiz', `sam@${uniqueDomain('g2')}`, 'Audit scope'],
      ['Tom Berg', `tom@${uniqueDomain('g3')}`, 'Brochure print run'],
    ] as const;
    for (const [i, [name, address, subject]] of guests.entries()) {
      const ask = await new MailComposer({
        from: `${name} <${address}>`,
        to: `Maya Chen <${owner}>`,
        cc: `Assistant <${assistant}>`,
        subject,
        date: clock.now(),
        text: `Hi Maya,\n\ncould we find 30 minutes next week to talk about the ${subject.toLowerCase()}?\n\nBest,\n${name}`,
      })
        .compile()
        .build();
      await sendRaw({ from: address, to: [owner, assistant] }, ask);
      // One at a time, so the rounds (and the digest's numbers) follow the order of the asks.
      await waitCount(owner, (m) => m.subject.startsWith('[deskhand] Send this reply to'), i + 1);
    }
    expect(await listMessages(owner)).not.toContainEqual(
      expect.objectContaining({ subject: expect.stringMatching(/^Your digest/) }),
    );

    // 08:30 in Berlin, and two more workers start (as after a deploy): one digest, not three.
    clock.jump(Date.parse('2026-03-16T07:30:00Z'));
    await Promise.all([dh.addWorker(), dh.addWorker()]);
    const isDigest = (m: StackMessage) => m.subject.startsWith('Your digest for Monday 16 March 2026');
    const [digest] = await waitCount(owner, isDigest, 1);
    await quiet(3000);
    expect((await listMessages(owner)).filter(isDigest)).toHaveLength(1);
    expect(digest!.subject).toBe('Your digest for Monday 16 March 2026 — 3 decisions');
    expect(digest!.header('auto-submitted')).toBe('auto-generated');
    const text = await textOf(digest!);
    expect(text.split('\n').filter((l) => /^ {2}\d\. /.test(l))).toEqual([
      '  1. Send this reply to Dana Lee',
      '  2. Send this reply to Sam Ortiz',
      '  3. Send this reply to Tom Berg',
    ]);
    expect(text).toMatch(
      /MEETINGS\n {2}Waiting for an answer:\n {4}- Q2 plan with Dana Lee: waiting for your approval/,
    );
    expect(text).toMatch(/NUMBERS\n {2}Messages in: 3\n/);
    expect(digest!.source).not.toMatch(/<img|src=|https?:\/\//i);

    // Maya's signed answer to the digest.
    const answer = await dkimSign(
      await replyTo(digest!, { from: `Maya Chen <${owner}>`, text: 'approve 1 3, reject 2\n\nMaya' }),
      key,
    );
    await sendRaw({ from: owner, to: [digest!.header('reply-to')!] }, answer);
    const [confirmation] = await waitCount(
      owner,
      (m) => m.subject.startsWith('[deskhand] From your digest'),
      1,
    );
    expect(confirmation!.subject).toBe('[deskhand] From your digest of 2026-03-16: 2 approved, 1 dropped');
    const confirmed = await textOf(confirmation!);
    expect(confirmed).toContain('1. Send this reply to Dana Lee — approved');
    expect(confirmed).toContain('2. Send this reply to Sam Ortiz — dropped');
    expect(confirmed).toContain('3. Send this reply to Tom Berg — approved');

    // Dana and Tom get their offers; Sam gets nothing.
    const offerTo = async (address: string, subject: string) =>
      waitCount(address, (m) => m.subject === `Re: ${subject}` && m.from[0] === assistant, 1);
    await offerTo(guests[0][1], guests[0][2]);
    await offerTo(guests[2][1], guests[2][2]);
    await quiet(2000);
    expect((await listMessages(guests[1][1])).filter((m) => m.from[0] === assistant)).toEqual([]);
    const db = dh.handle.db;
    const statuses = await db.selectFrom('approvals').select('status').orderBy('id').execute();
    expect(statuses.map((s) => s.status)).toEqual(['approved', 'rejected', 'approved']);
    expect(await db.selectFrom('digests').select('day').execute()).toEqual([{ day: '2026-03-16' }]);
  }, 180_000);

  it('with DIGEST_ENABLED=false, nothing is sent past DIGEST_TIME and an earlier schedule is removed from Redis', async () => {
    // 08:30 in Berlin, past DIGEST_TIME, with mail waiting for a decision.
    const clock = clockStartingAt(Date.parse('2026-03-16T07:30:00Z'));
    const env = { OWNER_TIMEZONE: 'Europe/Berlin', DIGEST_TIME: '08:00', DIGEST_ENABLED: 'false' };
    const started = await ownerOnStack({ prefix: 'nodig', clock, env });
    ({ dh, dns } = started);
    const connection = redisConnection(stackEnv().redisUrl);
    const queue = new Queue(QUEUES.digest, { connection, prefix: dh.queuePrefix });
    try {
      // As if an earlier run with the digest on had left its schedule behind.
      await queue.upsertJobScheduler(DIGEST_SCHEDULER_ID, {
        pattern: digestCron('08:00'),
        tz: 'Europe/Berlin',
      });
      await dh.addWorker(); // its housekeeping runs at once, past DIGEST_TIME
      await quiet(2000);
      expect(await queue.getJobScheduler(DIGEST_SCHEDULER_ID)).toBeUndefined();
      expect(await dh.handle.db.selectFrom('digests').select('day').execute()).toEqual([]);
      expect(
        await dh.handle.db.selectFrom('outbox').select('id').where('purpose', '=', 'digest').execute(),
      ).toEqual([]);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 60_000);
});
