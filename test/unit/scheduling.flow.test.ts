import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { buildInviteIcs } from '../../src/skills/scheduling/invite/invite.ics.ts';
import { eml } from '../support/pglite.ts';
import {
  ASSISTANT,
  approvalsConfig,
  type Harness,
  OWNER,
  ownerAnswer,
  pipelineOnPglite,
} from './builders/approvals-harness.ts';

// Scheduling through the real pipeline on PGlite (store → triage → skills → approvals → outbox):
// a meeting asked for in a CC'd thread becomes an offer the owner approves (or that goes out on
// its own when the owner asked), a guest's choice becomes one invite, an RSVP is recorded, and the
// owner's "cancel" sends a CANCEL with the same UID and a higher SEQUENCE.

// Clock: Monday 2026-03-16 09:00 UTC. New York is on summer time since 8 March; Berlin is not yet.
let h: DatabaseHandle;
let t: Harness;
pipelineOnPglite(
  (db, harnessed) => {
    h = db;
    t = harnessed;
  },
  () => approvalsConfig({ WORKING_HOURS: 'Mon-Fri 09:00-17:30', REPLY_RATE_PER_HOUR: '20' }),
);

const DANA = 'dana@lumen.example';
const outbox = () => h.db.selectFrom('outbox').selectAll().orderBy('id').execute();
const meetings = () => h.db.selectFrom('meetings').selectAll().orderBy('id').execute();
const journal = () => h.db.selectFrom('journal').select(['action', 'reason']).orderBy('id').execute();

function danaAsks(body: string, o: { messageId?: string; subject?: string } = {}): Buffer {
  return eml({
    from: `Dana Lee <${DANA}>`,
    to: `Maya Chen <${OWNER}>`,
    cc: ASSISTANT,
    subject: o.subject ?? 'Q2 plan',
    messageId: o.messageId ?? 'ask-1@lumen.example',
    date: 'Mon, 16 Mar 2026 05:00:00 -0400',
    body,
  });
}

function danaReplies(
  text: string,
  inReplyTo: string,
  messageId: string,
  extra: Record<string, string> = {},
): Buffer {
  return eml({
    from: `Dana Lee <${DANA}>`,
    to: ASSISTANT,
    cc: OWNER,
    subject: 'Re: Q2 plan',
    messageId,
    date: 'Mon, 16 Mar 2026 11:00:00 -0400',
    headers: {
      'In-Reply-To': `<${inReplyTo}>`,
      References: `<ask-1@lumen.example> <${inReplyTo}>`,
      ...extra,
    },
    body: text,
  });
}

const ASK =
  'Hi Maya,\n\ncould we find 30 minutes next week to go over the Q2 plan? Tuesday or Wednesday morning would suit me best.\n\nBest,\nDana Lee\nLumen Analytics, New York';

describe('scheduling through the pipeline', () => {
  it("a guest's ask → offer approved by the owner → choice → one invite → RSVP → the owner's cancel", async () => {
    await t.deliver(danaAsks(ASK));
    const [m0] = await meetings();
    expect(m0?.status).toBe('proposing');
    expect(m0?.offered.length).toBe(3);
    const attendees = m0!.attendees as Array<{ email: string; zone: string }>;
    expect(attendees).toEqual([expect.objectContaining({ email: DANA, zone: 'America/New_York' })]);
    // Each offered slot: Tue 24 or Wed 25 March, morning in New York, inside Maya's hours in Berlin.
    for (const s of m0!.offered) {
      const start = new Date(String(s['start']));
      const ny = new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        weekday: 'short',
        hour: 'numeric',
        hourCycle: 'h23',
      }).formatToParts(start);
      expect(['Tue', 'Wed']).toContain(ny.find((p) => p.type === 'weekday')?.value);
      const hour = Number(ny.find((p) => p.type === 'hour')?.value);
      expect(hour).toBeGreaterThanOrEqual(8);
      expect(hour).toBeLessThan(12);
    }
    // Not delegated: the owner is asked first.
    const approvalMail = (await outbox()).find((o) => o.purpose === 'approval');
    expect(approvalMail?.to_addresses).toEqual([OWNER]);
    expect(approvalMail?.text_body).toContain('1. ');
    expect((await outbox()).some((o) => o.purpose === 'reply')).toBe(false);

    await t.deliver(
      ownerAnswer({
        inReplyTo: approvalMail!.message_id,
        subject: approvalMail!.subject,
        text: 'Yes',
        to: approvalMail!.extra_headers['Reply-To'] ?? ASSISTANT,
      }),
    );
    const offerMail = (await outbox()).find((o) => o.purpose === 'reply');
    expect(offerMail?.to_addresses).toEqual([DANA]);
    expect(offerMail?.cc_addresses).toEqual([OWNER]);
    expect(offerMail?.in_reply_to).toBe('ask-1@lumen.example');
    expect(offerMail?.text_body).toMatch(/New York \(EDT\).*Berlin \(GMT\+1\)/);

    await t.deliver(danaReplies('Option 2 works for me.', offerMail!.message_id, 'choice-1@lumen.example'));
    const invites = (await outbox()).filter((o) => o.purpose === 'invite');
    expect(invites).toHaveLength(1);
    expect(invites[0]!.to_addresses).toEqual([DANA, OWNER]);
    const [m1] = await meetings();
    expect(m1?.status).toBe('booked');
    expect(m1?.sequence).toBe(0);
    expect(m1?.start_at?.toISOString()).toBe(String(m0!.offered[1]!['start']));
    const ics = invites[0]!.calendar!;
    expect(ics.method).toBe('REQUEST');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content)).getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(m1!.uid);
    expect(event.startDate.toJSDate().toISOString()).toBe(m1!.start_at!.toISOString());

    // A second choice after the booking books nothing more.
    await t.deliver(danaReplies('Actually option 1 please', offerMail!.message_id, 'choice-2@lumen.example'));
    expect((await outbox()).filter((o) => o.purpose === 'invite')).toHaveLength(1);

    // Dana's calendar accepts.
    const reply = buildInviteIcs(
      {
        uid: m1!.uid,
        sequence: 0,
        start: m1!.start_at!,
        end: m1!.end_at!,
        summary: 'Q2 plan',
        description: '',
        organizer: { name: 'Maya Chen', email: OWNER },
        attendees: [{ name: 'Dana Lee', email: DANA }],
      },
      'REQUEST',
      new Date(),
    )
      .replace('METHOD:REQUEST', 'METHOD:REPLY')
      .replace(
        /ATTENDEE;[^\r\n]*(\r\n [^\r\n]*)*mailto:dana@lumen\.example/i,
        `ATTENDEE;PARTSTAT=ACCEPTED:mailto:${DANA}`,
      );
    await t.deliver(
      Buffer.from(
        [
          `From: Dana Lee <${DANA}>`,
          `To: ${OWNER}`,
          `Cc: ${ASSISTANT}`,
          'Subject: Accepted: Q2 plan',
          'Message-ID: <rsvp-1@lumen.example>',
          'Date: Mon, 16 Mar 2026 12:00:00 -0400',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="b"',
          '',
          '--b',
          'Content-Type: text/plain',
          '',
          'Dana Lee has accepted.',
          '--b',
          'Content-Type: text/calendar; method=REPLY; charset=utf-8',
          '',
          reply,
          '--b--',
          '',
        ].join('\r\n'),
      ),
    );
    const rsvps = await h.db.selectFrom('meeting_rsvps').selectAll().execute();
    expect(rsvps).toEqual([expect.objectContaining({ attendee: DANA, partstat: 'ACCEPTED', sequence: 0 })]);

    // The owner cancels in the thread.
    await t.deliver(
      Buffer.from(
        [
          'X-Test-Signed: yes',
          `From: Maya Chen <${OWNER}>`,
          `To: ${DANA}`,
          `Cc: ${ASSISTANT}`,
          'Subject: Re: Q2 plan',
          'Message-ID: <cancel-1@mail.northwind.example>',
          'In-Reply-To: <choice-1@lumen.example>',
          'References: <ask-1@lumen.example> <choice-1@lumen.example>',
          'Date: Mon, 16 Mar 2026 14:00:00 +0100',
          'Content-Type: text/plain',
          '',
          'Dana, something came up - please cancel the meeting, sorry!',
          '',
        ].join('\r\n'),
      ),
    );
    const cancels = (await outbox()).filter((o) => o.calendar?.method === 'CANCEL');
    expect(cancels).toHaveLength(1);
    const [m2] = await meetings();
    expect(m2?.status).toBe('cancelled');
    expect(m2?.sequence).toBe(1);
    expect(cancels[0]!.calendar!.content).toContain('SEQUENCE:1');
    expect((await journal()).map((j) => j.action)).toEqual(
      expect.arrayContaining([
        'meeting_requested',
        'meeting_booked',
        'meeting_choice_late',
        'rsvp_recorded',
        'meeting_cancelled',
      ]),
    );
  });
});
