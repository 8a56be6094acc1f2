import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { clockStartingAt } from '../../src/shared/clock.ts';
import { buildInviteIcs } from '../../src/skills/scheduling/invite/invite.ics.ts';
import { uniqueDomain } from '../support/demo-mail.ts';
import { dkimSign } from '../support/dkim-signing.ts';
import type { LiveDeskhand } from '../support/live.ts';
import { replyTo, waitCount } from './mail-helpers.ts';
import { ownerOnStack } from './owner-stack.ts';
import { type StackMessage, sendRaw } from './stack.ts';

/**
 * Scheduling end to end over Postfix and Dovecot with three people: Maya (the owner, London),
 * Dana (New York) and Jonas (Berlin). Dana asks for a meeting in a thread the assistant is copied
 * on → Maya approves the offer (DKIM-signed "yes") → Jonas picks a slot → the invite lands in all
 * three mailboxes at the right local times (read by ical.js) → Dana's calendar accepts → Dana asks
 * to move it across the US daylight-saving change → a new offer → a pick → an update (same UID,
 * SEQUENCE 1) → Maya cancels (SEQUENCE 2). The workers' clock starts on Wednesday 21 October 2026:
 * Europe has left summer time on 25 October, New York leaves it on 1 November, so the first
 * meeting is 4 h from New York and the moved one 5 h.
 */

let dh: LiveDeskhand | null = null;
let dns: { server: string; stop: () => Promise<void> } | null = null;
afterEach(async () => {
  await dh?.destroy();
  dh = null;
  await dns?.stop();
  dns = null;
});

const local = (d: Date, zone: string) =>
  new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);

/** The event in a delivered message's text/calendar part. */
async function eventOf(m: StackMessage) {
  const mail = await simpleParser(Buffer.from(m.source));
  const part = mail.attachments.find((a) => /text\/calendar/i.test(a.contentType));
  if (!part) throw new Error(`no calendar part in "${m.subject}"`);
  const cal = new ICAL.Component(ICAL.parse(part.content.toString('utf8')));
  const ev = cal.getFirstSubcomponent('vevent')!;
  return {
    method: String(cal.getFirstPropertyValue('method')),
    uid: String(ev.getFirstPropertyValue('uid')),
    sequence: Number(ev.getFirstPropertyValue('sequence')),
    start: (ev.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate(),
    organizer: String(ev.getFirstPropertyValue('organizer')),
    attendees: ev.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()),
  };
}

/** The text part, decoded whatever the transfer encoding. */
async function textOf(m: StackMessage): Promise<string> {
  return (await simpleParser(Buffer.from(m.source))).text ?? '';
}

/** "HH:MM" of option `n` for a zone label ("New York", "Berlin") as the offer lists it. */
function offeredTime(offer: string, n: number, label: string): string {
  const line = offer.split('\n').find((l) => l.trim().startsWith(`${n}. `));
  const hit = line && new RegExp(`(\\d{2}:\\d{2})–\\d{2}:\\d{2} ${label}`).exec(line);
  if (!hit) throw new Error(`option ${n} for ${label} not in:\n${offer}`);
  return hit[1]!;
}

/** deskhand for Maya (London) on the test stack, her mail DKIM-signed, the clock on 21 October 2026. */
async function setup(prefix: string) {
  const clock = clockStartingAt(Date.parse('2026-10-21T12:00:00Z'));
  const started = await ownerOnStack({
    prefix,
    clock,
    env: {
      OWNER_TIMEZONE: 'Europe/London',
      WORKING_HOURS: 'Mon-Fri 09:00-17:30',
      MEETING_MINUTES: '30',
      REPLY_RATE_PER_HOUR: '30',
    },
  });
  dh = started.dh;
  dns = started.dns;
  return { owner: started.owner, assistant: started.assistant, key: started.key, clock };
}

describe('scheduling on the real mail stack', () => {
  it('CC → approved offer → pick → invite in three mailboxes → RSVP → move across DST → update → cancel', async () => {
    const { owner, assistant, key, clock } = await setup('sch');
    const dana = `dana@${uniqueDomain('ny')}`;
    const jonas = `jonas@${uniqueDomain('ber')}`;
    const db = dh!.handle.db;
    const all = [owner, dana, jonas];
    const isInvite = (m: StackMessage) => /^(Invitation|Updated invitation|Cancelled):/.test(m.subject);

    // Jonas writes first (his signature says Berlin); Dana answers all with the ask (New York).
    const first = await new MailComposer({
      from: `Jonas Weber <${jonas}>`,
      to: `Maya Chen <${owner}>, Dana Lee <${dana}>`,
      cc: `Assistant <${assistant}>`,
      subject: 'Q4 audit',
      date: clock.now(),
      messageId: `<q4-${Date.now()}@ber.example>`,
      text: 'Hi Maya, hi Dana,\n\nthe Q4 audit scope is agreed on our side.\n\nJonas Weber\nControlling, Berlin\n',
    })
      .compile()
      .build();
    await sendRaw({ from: jonas, to: [owner, dana, assistant] }, first);
    const [jonasFirst] = await waitCount(dana, (m) => m.subject === 'Q4 audit', 1);
    // The assistant has read Jonas's message (his signature says Berlin) before Dana answers it.
    await dh!.waitSettled(1);
    const ask = await replyTo(jonasFirst!, {
      from: `Dana Lee <${dana}>`,
      to: `Jonas Weber <${jonas}>, Maya Chen <${owner}>`,
      cc: `Assistant <${assistant}>`,
      date: clock.now(),
      text: 'Thanks Jonas. Maya, Jonas - could we find 30 minutes next week to kick off the audit? Tuesday or Wednesday would be best for me.\n\nDana Lee\nLumen Analytics, New York',
    });
    await sendRaw({ from: dana, to: [jonas, owner, assistant] }, ask);

    // Not delegated: Maya is asked first, and approves with a signed "yes".
    const [request] = await waitCount(owner, (m) => m.subject.startsWith('[deskhand] Send this reply to'), 1);
    expect(await textOf(request!)).toMatch(/1\. Tuesday 27 October, .*New York \(EDT\)/);
    await sendRaw(
      { from: owner, to: [request!.header('reply-to')!] },
      await dkimSign(await replyTo(request!, { from: `Maya Chen <${owner}>`, text: 'Yes, send it.' }), key),
    );

    // The offer reaches Dana and Jonas, threaded, Maya in Cc; each time in both zones.
    const [offer] = await waitCount(jonas, (m) => m.subject === 'Re: Q4 audit' && m.from[0] === assistant, 1);
    const offerText = await textOf(offer!);
    expect(offer!.header('in-reply-to')).toBe(ask.toString().match(/Message-ID: (<[^>]+>)/i)?.[1]);
    expect(offer!.cc).toEqual([owner]);
    const nyAt = offeredTime(offerText, 2, 'New York');
    const berAt = offeredTime(offerText, 2, 'Berlin');

    // Jonas picks option 2: one invite in each of the three mailboxes, at the local times offered.
    await sendRaw(
      { from: jonas, to: [assistant, dana, owner] },
      await replyTo(offer!, {
        from: `Jonas Weber <${jonas}>`,
        cc: `Dana Lee <${dana}>, Maya Chen <${owner}>`,
        date: clock.now(),
        text: 'Option 2 works for me.\n\nJonas',
      }),
    );
    const invites = await Promise.all(all.map((who) => waitCount(who, isInvite, 1)));
    const [m1] = await db.selectFrom('meetings').selectAll().execute();
    expect(m1?.status).toBe('booked');
    for (const [i, who] of all.entries()) {
      const ev = await eventOf(invites[i]![0]!);
      expect(ev).toMatchObject({ method: 'REQUEST', uid: m1!.uid, sequence: 0 });
      expect(ev.start.toISOString()).toBe(m1!.start_at!.toISOString());
      expect(ev.organizer.toLowerCase()).toBe(`mailto:${owner}`);
      expect(ev.attendees).toEqual(
        expect.arrayContaining([`mailto:${dana}`, `mailto:${jonas}`, `mailto:${owner}`]),
      );
      expect(who).toBeTruthy();
    }
    expect(local(m1!.start_at!, 'America/New_York')).toBe(nyAt);
    expect(local(m1!.start_at!, 'Europe/Berlin')).toBe(berAt);
    // 27/28 October: Berlin is only 5 h ahead of New York (US summer time still on, Europe's off).
    expect(Number(berAt.slice(0, 2)) - Number(nyAt.slice(0, 2))).toBe(5);

    // Dana's calendar accepts: the REPLY goes to the organizer, whose mail rule redirects it to the assistant.
    const rsvpIcs = buildInviteIcs(
      {
        uid: m1!.uid,
        sequence: 0,
        start: m1!.start_at!,
        end: m1!.end_at!,
        summary: 'Q4 audit',
        description: '',
        organizer: { name: 'Maya Chen', email: owner },
        attendees: [{ name: 'Dana Lee', email: dana }],
      },
      'REQUEST',
      clock.now(),
    )
      .replace('METHOD:REQUEST', 'METHOD:REPLY')
      .replace(/ATTENDEE;[^\r\n]*(\r\n [^\r\n]*)*/i, `ATTENDEE;PARTSTAT=ACCEPTED:mailto:${dana}`);
    const rsvp = await new MailComposer({
      from: `Dana Lee <${dana}>`,
      to: owner,
      subject: 'Accepted: Q4 audit',
      date: clock.now(),
      text: 'Dana Lee has accepted this invitation.',
      icalEvent: { method: 'REPLY', content: rsvpIcs },
    })
      .compile()
      .build();
    await sendRaw({ from: dana, to: [owner] }, rsvp);
    await sendRaw({ from: dana, to: [assistant] }, rsvp); // the owner's redirect rule: same bytes
    await waitCount(owner, (m) => m.subject === 'Accepted: Q4 audit', 1);
    let rsvps: Array<{ attendee: string; partstat: string }> = [];
    for (let i = 0; i < 200 && rsvps.length === 0; i++) {
      rsvps = await db.selectFrom('meeting_rsvps').select(['attendee', 'partstat']).execute();
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(rsvps).toEqual([{ attendee: dana, partstat: 'ACCEPTED' }]);

    // Dana asks to move it to 3 November: New York is on standard time by then.
    const invite0 = invites[1]![0]!;
    await sendRaw(
      { from: dana, to: [assistant, jonas, owner] },
      await replyTo(invite0, {
        from: `Dana Lee <${dana}>`,
        cc: `Jonas Weber <${jonas}>, Maya Chen <${owner}>`,
        date: clock.now(),
        text: 'Something came up on my side - could we move it to Tuesday, November 3 instead?\n\nDana',
      }),
    );
    const [request2] = await waitCount(
      owner,
      (m) => m.subject.startsWith('[deskhand] Send this reply to'),
      2,
    ).then((xs) => xs.slice(1));
    await sendRaw(
      { from: owner, to: [request2!.header('reply-to')!] },
      await dkimSign(await replyTo(request2!, { from: `Maya Chen <${owner}>`, text: 'yes' }), key),
    );
    const offers = await waitCount(jonas, (m) => m.from[0] === assistant && !isInvite(m), 2);
    const offer2 = await textOf(offers[1]!);
    expect(offer2).toContain('Tuesday 3 November');
    const nyAt2 = offeredTime(offer2, 1, 'New York');
    const berAt2 = offeredTime(offer2, 1, 'Berlin');
    // 3 November: both on standard time again, 6 h apart.
    expect(Number(berAt2.slice(0, 2)) - Number(nyAt2.slice(0, 2))).toBe(6);
    await sendRaw(
      { from: jonas, to: [assistant, dana, owner] },
      await replyTo(offers[1]!, {
        from: `Jonas Weber <${jonas}>`,
        cc: `Dana Lee <${dana}>, Maya Chen <${owner}>`,
        date: clock.now(),
        text: 'The first one works.',
      }),
    );
    const updates = await Promise.all(all.map((who) => waitCount(who, isInvite, 2)));
    const [m2] = await db.selectFrom('meetings').selectAll().execute();
    expect(m2?.sequence).toBe(1);
    for (const got of updates) {
      const ev = await eventOf(got[1]!);
      expect(ev).toMatchObject({ method: 'REQUEST', uid: m1!.uid, sequence: 1 });
      expect(ev.start.toISOString()).toBe(m2!.start_at!.toISOString());
      expect(local(ev.start, 'America/New_York')).toBe(nyAt2);
      expect(local(ev.start, 'Europe/Berlin')).toBe(berAt2);
    }

    // Maya cancels in the thread (signed): CANCEL, same UID, SEQUENCE 2, in all three mailboxes.
    const update = updates[0]![1]!;
    await sendRaw(
      { from: owner, to: [assistant, dana, jonas] },
      await dkimSign(
        await replyTo(update, {
          from: `Maya Chen <${owner}>`,
          to: `Dana Lee <${dana}>, Jonas Weber <${jonas}>`,
          cc: `Assistant <${assistant}>`,
          date: clock.now(),
          text: 'Sorry both, I have to call this off - please cancel the meeting.\n\nMaya',
        }),
        key,
      ),
    );
    const cancels = await Promise.all(all.map((who) => waitCount(who, isInvite, 3)));
    for (const got of cancels) {
      const ev = await eventOf(got[2]!);
      expect(ev).toMatchObject({ method: 'CANCEL', uid: m1!.uid, sequence: 2 });
    }
    const [m3] = await db.selectFrom('meetings').selectAll().execute();
    expect(m3?.status).toBe('cancelled');
    const actions = (await db.selectFrom('journal').select('action').execute()).map((j) => j.action);
    expect(actions.filter((a) => a === 'meeting_booked')).toHaveLength(1);
    expect(actions.filter((a) => a === 'meeting_rescheduled')).toHaveLength(1);
    expect(actions.filter((a) => a === 'meeting_cancelled')).toHaveLength(1);
  }, 300_000);

  it('the owner delegates in the thread: an ambiguous date gets a question, not a guess; the answer gets an offer and a pick an invite, with no approval asked', async () => {
    const { owner, assistant, key, clock } = await setup('amb');
    const dana = `dana@${uniqueDomain('ny')}`;
    const db = dh!.handle.db;
    const start = await dkimSign(
      await new MailComposer({
        from: `Maya Chen <${owner}>`,
        to: `Dana Lee <${dana}>`,
        cc: `Assistant <${assistant}>`,
        subject: 'Audit findings',
        date: clock.now(),
        messageId: `<af-${Date.now()}@${owner.split('@')[1]}>`,
        text: "Hi Dana,\n\nlet's go through the audit findings on 11/4 - I'm CC'ing my assistant to find us a time.\n\nMaya",
      })
        .compile()
        .build(),
      key,
    );
    await sendRaw({ from: owner, to: [dana, assistant] }, start);
    const isOurs = (m: StackMessage) => m.from[0] === assistant && m.subject === 'Re: Audit findings';
    const [question] = await waitCount(dana, isOurs, 1);
    const asked = await textOf(question!);
    expect(asked).toContain('"11/4" could be November 4 or April 11');
    expect(asked).not.toMatch(/^\s+1\. /m); // no slots: a question, not a guess
    expect((await db.selectFrom('meetings').select('status').executeTakeFirstOrThrow()).status).toBe(
      'clarifying',
    );

    await sendRaw(
      { from: dana, to: [assistant, owner] },
      await replyTo(question!, {
        from: `Dana Lee <${dana}>`,
        cc: `Maya Chen <${owner}>`,
        date: clock.now(),
        text: 'I meant Wednesday 4 November.\n\nDana\nNew York',
      }),
    );
    const [, offer] = await waitCount(dana, isOurs, 2);
    const offered = await textOf(offer!);
    expect(offered).toMatch(/^\s+1\. Wednesday 4 November, /m);
    expect(offered).not.toMatch(/^\s+\d\. (?!Wednesday 4 November)/m);
    await sendRaw(
      { from: dana, to: [assistant, owner] },
      await replyTo(offer!, {
        from: `Dana Lee <${dana}>`,
        cc: `Maya Chen <${owner}>`,
        date: clock.now(),
        text: '2 works for me.',
      }),
    );
    const isInvite = (m: StackMessage) => m.subject.startsWith('Invitation:');
    const [[toDana], [toMaya]] = await Promise.all([
      waitCount(dana, isInvite, 1),
      waitCount(owner, isInvite, 1),
    ]);
    const ev = await eventOf(toDana!);
    expect(ev).toMatchObject({ method: 'REQUEST', sequence: 0 });
    expect((await eventOf(toMaya!)).uid).toBe(ev.uid);
    expect(local(ev.start, 'America/New_York')).toBe(offeredTime(offered, 2, 'New York'));
    // Delegated: nothing was put to Maya for approval.
    expect(await db.selectFrom('approvals').select('id').execute()).toEqual([]);
    const notNeeded = await db
      .selectFrom('journal')
      .select('action')
      .where('action', '=', 'approval_not_needed')
      .execute();
    expect(notNeeded).toHaveLength(2);
  }, 120_000);
});
