import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { handleProcessJob, handleSkillsJob } from '../../src/jobs/handlers.ts';
import { heldIntervals } from '../../src/skills/scheduling/meeting/meeting.repository.ts';
import { eml } from '../support/pglite.ts';
import {
  ASSISTANT,
  approvalsConfig,
  type Harness,
  OWNER,
  ownerAnswer,
  pipelineOnPglite,
} from './builders/approvals-harness.ts';

// The other paths of scheduling through the real pipeline on PGlite (store → triage → skills →
// approvals → outbox): the owner's delegation (signed and not), a question instead of a guess,
// counters and declines, a third party trying to widen the owner's time, an ambiguous pick, a
// guest's reschedule and cancel, holds, two choices at once, hostile RSVPs and a standing rule.
// Clock: Monday 2026-03-16 09:00 UTC; "next week" is 23–27 March 2026. New York is on summer time
// (UTC−4) since 8 March; Berlin (the owner's zone) is still on winter time (UTC+1).

let h: DatabaseHandle;
let t: Harness;
pipelineOnPglite(
  (db, harnessed) => {
    h = db;
    t = harnessed;
  },
  () => approvalsConfig({ WORKING_HOURS: 'Mon-Fri 09:00-17:30', REPLY_RATE_PER_HOUR: '50' }),
);

const DANA = 'dana@lumen.example';
const SAM = 'sam@lumen.example';
const EVE = 'eve@intruder.example';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

const outbox = () => h.db.selectFrom('outbox').selectAll().orderBy('id').execute();
const meetings = () => h.db.selectFrom('meetings').selectAll().orderBy('id').execute();
const proposals = () => h.db.selectFrom('proposals').selectAll().orderBy('id').execute();
const approvals = () => h.db.selectFrom('approvals').selectAll().orderBy('id').execute();
const rsvps = () => h.db.selectFrom('meeting_rsvps').selectAll().execute();
const journal = () =>
  h.db.selectFrom('journal').select(['action', 'reason', 'meeting_id']).orderBy('id').execute();
const actions = async () => (await journal()).map((j) => j.action);

type Row = Awaited<ReturnType<typeof meetings>>[number];
const starts = (slots: ReadonlyArray<Record<string, unknown>>): string[] =>
  slots.map((s) => new Date(String(s['start'])).toISOString());
const onlyMeeting = async (): Promise<Row> => {
  const all = await meetings();
  expect(all).toHaveLength(1);
  return all[0]!;
};
/** The body of a meeting proposal's draft ('' when there is none). */
const draftBody = (p: { payload: Record<string, unknown> } | undefined): string =>
  String((p?.payload['draft'] as { body?: unknown } | undefined)?.body ?? '');
const at = (d: Date | string, zone: string) => DateTime.fromJSDate(new Date(d), { zone });

/** Every slot lies inside Maya's WORKING_HOURS (Mon–Fri 09:00–17:30 in Berlin). */
function expectInWorkingHours(slots: ReadonlyArray<Record<string, unknown>>): void {
  expect(slots.length).toBeGreaterThan(0);
  for (const s of slots) {
    const a = at(String(s['start']), BERLIN);
    const b = at(String(s['end']), BERLIN);
    expect(a.weekday, `${a.toISO()} is a weekday`).toBeLessThanOrEqual(5);
    expect(a.hasSame(b, 'day')).toBe(true);
    expect(a.hour * 60 + a.minute, `${a.toISO()} starts at 09:00 or later`).toBeGreaterThanOrEqual(9 * 60);
    expect(b.hour * 60 + b.minute, `${b.toISO()} ends at 17:30 or earlier`).toBeLessThanOrEqual(17 * 60 + 30);
  }
}

function guestAsks(
  body: string,
  o: { from?: string; cc?: string; messageId?: string; subject?: string } = {},
): Buffer {
  return eml({
    from: o.from ?? `Dana Lee <${DANA}>`,
    to: `Maya Chen <${OWNER}>`,
    cc: o.cc ?? ASSISTANT,
    subject: o.subject ?? 'Q2 plan',
    messageId: o.messageId ?? 'ask-1@lumen.example',
    date: 'Mon, 16 Mar 2026 05:00:00 -0400',
    body,
  });
}

function guestReplies(
  text: string,
  inReplyTo: string,
  messageId: string,
  o: { from?: string; subject?: string; root?: string } = {},
): Buffer {
  return eml({
    from: o.from ?? `Dana Lee <${DANA}>`,
    to: ASSISTANT,
    cc: OWNER,
    subject: o.subject ?? 'Re: Q2 plan',
    messageId,
    date: 'Mon, 16 Mar 2026 06:00:00 -0400',
    headers: {
      'In-Reply-To': `<${inReplyTo}>`,
      References: `<${o.root ?? 'ask-1@lumen.example'}> <${inReplyTo}>`,
    },
    body: text,
  });
}

/** The owner's own mail, to Dana with the assistant copied; signed (fake DKIM) unless told. */
function ownerWrites(
  body: string,
  o: {
    signed?: boolean;
    messageId?: string;
    to?: string;
    cc?: string;
    subject?: string;
    inReplyTo?: string;
    references?: string;
  } = {},
): Buffer {
  return Buffer.from(
    [
      ...(o.signed === false ? [] : ['X-Test-Signed: yes']),
      `From: Maya Chen <${OWNER}>`,
      `To: ${o.to ?? `Dana Lee <${DANA}>`}`,
      ...(o.cc === '' ? [] : [`Cc: ${o.cc ?? ASSISTANT}`]),
      `Subject: ${o.subject ?? 'Q2 plan'}`,
      `Message-ID: <${o.messageId ?? 'own-1@mail.northwind.example'}>`,
      ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`] : []),
      ...(o.references ? [`References: ${o.references}`] : []),
      'Date: Mon, 16 Mar 2026 10:00:00 +0100',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
      '',
    ].join('\r\n'),
  );
}

/** The newest outbox row of a purpose. */
async function latest(purpose: string) {
  return (await outbox()).filter((o) => o.purpose === purpose).at(-1);
}

/** The owner answers the newest approval email. */
async function ownerSays(text: string): Promise<void> {
  const mail = await latest('approval');
  expect(mail, 'an approval email to answer').toBeDefined();
  await t.deliver(
    ownerAnswer({
      inReplyTo: mail!.message_id,
      subject: mail!.subject,
      text,
      to: mail!.extra_headers['Reply-To'] ?? ASSISTANT,
    }),
  );
}

const ASK =
  'Hi Maya,\n\ncould we find 30 minutes next week to go over the Q2 plan? Tuesday or Wednesday morning would suit me best.\n\nBest,\nDana Lee\nLumen Analytics, New York';

/** Dana asks, the owner says yes: the offer is out. Returns the meeting and the offer mail. */
async function offerOut(ask = ASK, o: { cc?: string } = {}) {
  await t.deliver(guestAsks(ask, o));
  await ownerSays('Yes');
  const offer = await latest('reply');
  expect(offer?.to_addresses).toContain(DANA);
  const m = await onlyMeeting();
  expect(m.status).toBe('proposing');
  return { m, offer: offer! };
}

/** …and Dana picks option 1: booked at SEQUENCE 0. */
async function booked() {
  const { offer } = await offerOut();
  await t.deliver(guestReplies('Option 1 works for me.', offer.message_id, 'choice-1@lumen.example'));
  const m = await onlyMeeting();
  expect(m.status).toBe('booked');
  expect(m.sequence).toBe(0);
  return { m, offer };
}

function calendarReply(o: {
  uid: string;
  attendee: string;
  sequence: number;
  start: Date;
  end: Date;
  partstat?: string;
}): string {
  const stamp = (d: Date) => `${d.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Test//Calendar//EN',
    'METHOD:REPLY',
    'BEGIN:VEVENT',
    `UID:${o.uid}`,
    `SEQUENCE:${o.sequence}`,
    `DTSTAMP:${stamp(new Date('2026-03-16T16:00:00Z'))}`,
    `DTSTART:${stamp(o.start)}`,
    `DTEND:${stamp(o.end)}`,
    'SUMMARY:Q2 plan',
    `ORGANIZER;CN=Maya Chen:mailto:${OWNER}`,
    `ATTENDEE;PARTSTAT=${o.partstat ?? 'ACCEPTED'}:mailto:${o.attendee}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function rsvpMail(from: string, ics: string, messageId: string): Buffer {
  return Buffer.from(
    [
      `From: ${from}`,
      `To: ${OWNER}`,
      `Cc: ${ASSISTANT}`,
      'Subject: Accepted: Q2 plan',
      `Message-ID: <${messageId}>`,
      'Date: Mon, 16 Mar 2026 12:00:00 -0400',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Accepted.',
      '--b',
      'Content-Type: text/calendar; method=REPLY; charset=utf-8',
      '',
      ics,
      '--b--',
      '',
    ].join('\r\n'),
  );
}

describe('scheduling paths through the pipeline', () => {
  it('1a. the owner delegates in a signed mail: the offer goes out with no approval round', async () => {
    await t.deliver(
      ownerWrites(
        "Hi Dana,\n\nI'm CC'ing my assistant to find us a time next week to go over the Q2 plan.\n\nMaya",
      ),
    );
    const m = await onlyMeeting();
    expect(m.delegated).toBe(true);
    expect(m.status).toBe('proposing');
    expect((m.attendees as Array<{ email: string }>).map((a) => a.email)).toEqual([DANA]);
    expectInWorkingHours(m.offered);
    // Next week: 23–27 March in Berlin.
    for (const s of m.offered) {
      const d = at(String(s['start']), BERLIN).toISODate()!;
      expect(d >= '2026-03-23' && d <= '2026-03-27', d).toBe(true);
    }
    expect(await approvals()).toHaveLength(0);
    const [p] = await proposals();
    expect(p?.kind).toBe('meeting');
    expect(p?.status).toBe('executed');
    expect(p?.payload['delegated']).toBe(true);
    expect(String(m.offer_proposal_id)).toBe(String(p?.id));
    const rows = await outbox();
    expect(rows.some((o) => o.purpose === 'approval')).toBe(false);
    const offer = rows.filter((o) => o.purpose === 'reply');
    expect(offer).toHaveLength(1);
    expect(offer[0]!.to_addresses).toEqual([DANA]);
    expect(offer[0]!.cc_addresses).toEqual([OWNER]);
    expect(offer[0]!.in_reply_to).toBe('own-1@mail.northwind.example');
    expect(offer[0]!.text_body).toContain('1. ');
    expect(t.sent).toContain(offer[0]!.id);
    expect(await actions()).toEqual(expect.arrayContaining(['meeting_requested', 'approval_not_needed']));
    expect(await actions()).not.toContain('approval_requested');
  });

  it('1b. the same delegation from the owner’s address without a signature: nothing sent, the owner told', async () => {
    await t.deliver(
      ownerWrites(
        "Hi Dana,\n\nI'm CC'ing my assistant to find us a time next week to go over the Q2 plan.\n\nMaya",
        { signed: false },
      ),
    );
    expect(await meetings()).toHaveLength(0);
    expect(await proposals()).toHaveLength(0);
    const rows = await outbox();
    expect(rows.filter((o) => o.to_addresses.includes(DANA) || o.cc_addresses.includes(DANA))).toEqual([]);
    expect(rows.filter((o) => o.purpose !== 'notice')).toEqual([]);
    const notices = rows.filter((o) => o.purpose === 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]!.to_addresses).toEqual([OWNER]);
    expect(notices[0]!.text_body).toContain('arrange a meeting');
    const j = await journal();
    expect(j.map((x) => x.action)).toContain('owner_unverified');
    expect(j.map((x) => x.action)).not.toContain('meeting_requested');
  });

  it('2a. an ambiguous date ("3/4") becomes a question, not slots', async () => {
    await t.deliver(guestAsks('Hi Maya,\n\ncould we meet on 3/4 to go over the Q2 plan?\n\nBest,\nDana'));
    const m = await onlyMeeting();
    expect(m.status).toBe('clarifying');
    expect(m.offered).toEqual([]);
    expect(m.offer_round).toBe(0);
    const [p] = await proposals();
    expect(p?.kind).toBe('meeting');
    expect(p?.payload['action']).toBe('ask');
    expect(p?.payload['delegated']).toBe(false);
    const body = draftBody(p);
    expect(body).toContain('"3/4" could be March 4 or April 3');
    expect(body).toMatch(/which you meant/);
    expect(body).not.toMatch(/^\s+1\. /m);
    // Not delegated: the owner is asked before the question goes out; nothing to Dana yet.
    expect(p?.status).toBe('awaiting_approval');
    const rows = await outbox();
    expect(rows.filter((o) => o.purpose === 'approval')).toHaveLength(1);
    expect(rows.some((o) => o.to_addresses.includes(DANA))).toBe(false);
    // Nothing held for a meeting whose date is a question.
    expect(await heldIntervals(h.db, null)).toEqual([]);
  });

  it('2b. the answer to the question ("Friday 3 April", as the question suggests) gives an offer', async () => {
    await t.deliver(guestAsks('Hi Maya,\n\ncould we meet on 3/4 to go over the Q2 plan?\n\nBest,\nDana'));
    await ownerSays('Yes');
    const question = await latest('reply');
    expect(question?.to_addresses).toEqual([DANA]);
    expect(question?.text_body).toContain('"3/4" could be');
    await t.deliver(guestReplies('I meant Friday 3 April.', question!.message_id, 'answer-1@lumen.example'));
    const m = await onlyMeeting();
    expect(m.status).toBe('proposing');
    expect(m.offered.length).toBeGreaterThan(0);
    for (const s of m.offered) expect(at(String(s['start']), NEW_YORK).toISODate()).toBe('2026-04-03');
    expect(await actions()).not.toContain('meeting_no_slots');
  });

  it('3a. a counter after the offer: a second offer on Thursday morning in Dana’s zone, nothing repeated', async () => {
    const { m: m0, offer } = await offerOut();
    const first = starts(m0.offered);
    await t.deliver(
      guestReplies(
        'None of these work — how about Thursday morning?',
        offer.message_id,
        'counter-1@lumen.example',
      ),
    );
    const m1 = await onlyMeeting();
    expect(m1.offer_round).toBe(2);
    expect(m1.status).toBe('proposing');
    const p2 = (await proposals()).find((p) => p.idempotency_key === `meeting:${m1.id}:offer:2`);
    expect(p2?.payload['action']).toBe('offer');
    expect(p2?.status).toBe('awaiting_approval');
    expect(String(m1.offer_proposal_id)).toBe(String(p2?.id));
    expect(m1.offered.length).toBeGreaterThan(0);
    for (const s of m1.offered) {
      const ny = at(String(s['start']), NEW_YORK);
      const nyEnd = at(String(s['end']), NEW_YORK);
      expect(ny.weekday, ny.toISO()!).toBe(4);
      expect(ny.hour).toBeGreaterThanOrEqual(8);
      expect(nyEnd.hour * 60 + nyEnd.minute).toBeLessThanOrEqual(12 * 60);
    }
    expectInWorkingHours(m1.offered);
    for (const s of starts(m1.offered)) expect(first).not.toContain(s);
    expect(starts(m1.offered_before)).toEqual([...first, ...starts(m1.offered)]);
    expect((await outbox()).filter((o) => o.purpose === 'invite')).toEqual([]);
    expect(draftBody(p2)).toContain('here are times that work for Maya then');
  });

  it('3b. "none of these work for me" twice: each new offer excludes every slot offered before', async () => {
    const { m: m0, offer } = await offerOut();
    await t.deliver(guestReplies('None of these work for me.', offer.message_id, 'decline-1@lumen.example'));
    const m1 = await onlyMeeting();
    expect(m1.offer_round).toBe(2);
    const p2 = (await proposals()).find((p) => p.idempotency_key === `meeting:${m1.id}:offer:2`);
    expect(p2?.status).toBe('awaiting_approval');
    expect(draftBody(p2)).toContain('No problem — here are other times');
    const round1 = starts(m0.offered);
    const round2 = starts(m1.offered);
    expect(round2.length).toBeGreaterThan(0);
    for (const s of round2) expect(round1).not.toContain(s);

    await ownerSays('Yes');
    const offer2 = await latest('reply');
    expect(offer2?.message_id).not.toBe(offer.message_id);
    await t.deliver(
      guestReplies('None of these work for me.', offer2!.message_id, 'decline-2@lumen.example'),
    );
    const m2 = await onlyMeeting();
    expect(m2.offer_round).toBe(3);
    const round3 = starts(m2.offered);
    expect(round3.length).toBeGreaterThan(0);
    for (const s of round3) expect([...round1, ...round2]).not.toContain(s);
    // Still what Dana first asked for: Tuesday or Wednesday morning next week, in New York.
    for (const s of [...m1.offered, ...m2.offered]) {
      const ny = at(String(s['start']), NEW_YORK);
      expect([2, 3]).toContain(ny.weekday);
      expect(ny.hour).toBeGreaterThanOrEqual(8);
      expect(ny.hour).toBeLessThan(12);
    }
    expect((await outbox()).filter((o) => o.purpose === 'invite')).toEqual([]);
  });

  it('3c. a counter from the second guest is read in that guest’s zone, not the first asker’s', async () => {
    const { offer } = await offerOut(
      ASK.replace('suit me best.', 'suit me best. Sam is in London and will join too.'),
      { cc: `${ASSISTANT}, Sam Park <${SAM}>` },
    );
    const m0 = await onlyMeeting();
    const zones = Object.fromEntries(
      (m0.attendees as Array<{ email: string; zone: string }>).map((a) => [a.email, a.zone]),
    );
    expect(zones).toEqual({ [DANA]: NEW_YORK, [SAM]: 'Europe/London' });
    await t.deliver(
      eml({
        from: `Sam Park <${SAM}>`,
        to: ASSISTANT,
        cc: `${OWNER}, ${DANA}`,
        subject: 'Re: Q2 plan',
        messageId: 'counter-sam@lumen.example',
        date: 'Mon, 16 Mar 2026 10:00:00 +0000',
        headers: {
          'In-Reply-To': `<${offer.message_id}>`,
          References: `<ask-1@lumen.example> <${offer.message_id}>`,
        },
        body: 'None of these work for me — how about Thursday morning?',
      }),
    );
    const m1 = await onlyMeeting();
    expect(m1.offer_round).toBe(2);
    expect(m1.offered.length).toBeGreaterThan(0);
    // Sam's morning: 08:00–12:00 in London.
    for (const s of m1.offered) {
      const london = at(String(s['start']), 'Europe/London');
      const londonEnd = at(String(s['end']), 'Europe/London');
      expect(london.weekday, london.toISO()!).toBe(4);
      expect(london.hour, london.toISO()!).toBeGreaterThanOrEqual(8);
      expect(londonEnd.hour * 60 + londonEnd.minute, londonEnd.toISO()!).toBeLessThanOrEqual(12 * 60);
    }
    expectInWorkingHours(m1.offered);
  });

  it('4a. a guest cannot widen the owner’s hours: "Saturday at 8am" books nothing, the new offer is inside working hours', async () => {
    const { m: m0, offer } = await offerOut();
    await t.deliver(
      guestReplies('Could we do Saturday at 8am instead?', offer.message_id, 'counter-sat@lumen.example'),
    );
    const m1 = await onlyMeeting();
    expect(m1.status).toBe('proposing');
    expect(m1.start_at).toBeNull();
    expect(m1.offer_round).toBe(2);
    expectInWorkingHours(m1.offered);
    for (const s of m1.offered) expect(at(String(s['start']), NEW_YORK).weekday).not.toBe(6);
    for (const s of starts(m1.offered)) expect(starts(m0.offered)).not.toContain(s);
    const p2 = (await proposals()).find((p) => p.idempotency_key === `meeting:${m1.id}:offer:2`);
    expect(draftBody(p2)).toContain('Maya is not free then');
    expect((await outbox()).filter((o) => o.purpose === 'invite')).toEqual([]);
    expect(await actions()).not.toContain('meeting_booked');
  });

  it('4b. a time at night in Berlin ("Tuesday at 9pm" New York time) is never offered', async () => {
    const { offer } = await offerOut();
    await t.deliver(
      guestReplies('How about Tuesday at 9pm instead?', offer.message_id, 'counter-night@lumen.example'),
    );
    const m1 = await onlyMeeting();
    expect(m1.status).toBe('proposing');
    expect(m1.start_at).toBeNull();
    expect(m1.offer_round).toBe(2);
    expectInWorkingHours(m1.offered);
    for (const s of m1.offered) expect(at(String(s['start']), NEW_YORK).hour).not.toBe(21);
    expect((await outbox()).filter((o) => o.purpose === 'invite')).toEqual([]);
  });

  it('5. "Tuesday works" with two Tuesday slots offered: a question which one, no booking', async () => {
    const { m, offer } = await offerOut();
    const tuesdays = m.offered.filter((s) => at(String(s['start']), NEW_YORK).weekday === 2);
    expect(tuesdays).toHaveLength(2);
    await t.deliver(guestReplies('Tuesday works.', offer.message_id, 'tuesday-1@lumen.example'));
    const which = (await outbox()).filter((o) => o.purpose === 'meeting');
    expect(which).toHaveLength(1);
    expect(which[0]!.to_addresses).toEqual([DANA]);
    expect(which[0]!.cc_addresses).toEqual([OWNER]);
    expect(which[0]!.in_reply_to).toBe('tuesday-1@lumen.example');
    expect(which[0]!.text_body).toContain('which of these did you mean');
    for (const s of tuesdays) expect(which[0]!.text_body).toMatch(new RegExp(`^\\s+${s['index']}\\. `, 'm'));
    const others = m.offered.filter((s) => !tuesdays.includes(s));
    for (const s of others)
      expect(which[0]!.text_body).not.toMatch(new RegExp(`^\\s+${s['index']}\\. `, 'm'));
    const after = await onlyMeeting();
    expect(after.status).toBe('proposing');
    expect(after.start_at).toBeNull();
    expect((await outbox()).filter((o) => o.purpose === 'invite')).toEqual([]);
    expect(await actions()).not.toContain('meeting_booked');

    // The number settles it.
    await t.deliver(
      guestReplies(`${tuesdays[1]!['index']} please`, which[0]!.message_id, 'tuesday-2@lumen.example'),
    );
    const done = await onlyMeeting();
    expect(done.status).toBe('booked');
    expect(done.start_at?.toISOString()).toBe(new Date(String(tuesdays[1]!['start'])).toISOString());
    expect((await outbox()).filter((o) => o.purpose === 'invite')).toHaveLength(1);
  });

  it('6. a guest moves a booked meeting: a new offer round, the old time held until the new choice', async () => {
    const { m: m0, offer } = await booked();
    const oldStart = m0.start_at!;
    const oldEnd = m0.end_at!;
    await t.deliver(
      guestReplies('Can we move it to Wednesday afternoon?', offer.message_id, 'move-1@lumen.example'),
    );
    const m1 = await onlyMeeting();
    expect(m1.status).toBe('booked');
    expect(m1.offer_round).toBe(2);
    expect(m1.start_at?.toISOString()).toBe(oldStart.toISOString());
    expect(m1.offered.length).toBeGreaterThan(0);
    for (const s of m1.offered) {
      const ny = at(String(s['start']), NEW_YORK);
      expect(ny.weekday).toBe(3);
      expect(ny.hour).toBeGreaterThanOrEqual(12);
      expect(new Date(String(s['start'])).getTime()).not.toBe(oldStart.getTime());
    }
    expectInWorkingHours(m1.offered);
    const p2 = (await proposals()).find((p) => p.idempotency_key === `meeting:${m1.id}:offer:2`);
    expect(p2?.status).toBe('awaiting_approval');
    expect(draftBody(p2)).toContain("Let's find a new time");
    // Held: the booking and the new offer's slots.
    const held = (await heldIntervals(h.db, null)).map((i) => i.start.toISOString());
    expect(held).toContain(oldStart.toISOString());
    for (const s of starts(m1.offered)) expect(held).toContain(s);

    await ownerSays('Yes');
    const offer2 = await latest('reply');
    expect(offer2?.text_body).toContain("Let's find a new time");
    // Still held while the new offer is out.
    expect((await heldIntervals(h.db, null)).map((i) => i.start.toISOString())).toContain(
      oldStart.toISOString(),
    );

    await t.deliver(guestReplies('Option 1 works.', offer2!.message_id, 'move-choice@lumen.example'));
    const m2 = await onlyMeeting();
    expect(m2.status).toBe('booked');
    expect(m2.sequence).toBe(1);
    expect(m2.uid).toBe(m0.uid);
    expect(m2.start_at?.toISOString()).toBe(new Date(String(m1.offered[0]!['start'])).toISOString());
    expect(m2.start_at?.toISOString()).not.toBe(oldStart.toISOString());
    const invites = (await outbox()).filter((o) => o.purpose === 'invite');
    expect(invites).toHaveLength(2);
    const ics = invites[1]!.calendar!;
    expect(ics.method).toBe('REQUEST');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.content)).getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(m0.uid);
    expect(event.sequence).toBe(1);
    expect(event.startDate.toJSDate().toISOString()).toBe(m2.start_at!.toISOString());
    // The old time is free again; the new one is held.
    const heldAfter = (await heldIntervals(h.db, null)).map(
      (i) => `${i.start.toISOString()}/${i.end.toISOString()}`,
    );
    expect(heldAfter).toEqual([`${m2.start_at!.toISOString()}/${m2.end_at!.toISOString()}`]);
    expect(heldAfter).not.toContain(`${oldStart.toISOString()}/${oldEnd.toISOString()}`);
    expect(await actions()).toContain('meeting_rescheduled');
  });

  it('7. a guest asks to cancel: no CANCEL goes out, the owner is told, the meeting stands', async () => {
    const { offer } = await booked();
    const before = (await outbox()).length;
    await t.deliver(
      guestReplies(
        'Sorry Maya, something came up and I have to cancel our meeting.',
        offer.message_id,
        'guest-cancel@lumen.example',
      ),
    );
    const added = (await outbox()).slice(before);
    expect(added.filter((o) => o.calendar?.method === 'CANCEL')).toEqual([]);
    expect(added.filter((o) => o.to_addresses.includes(DANA))).toEqual([]);
    expect(added).toHaveLength(1);
    expect(added[0]!.purpose).toBe('notice');
    expect(added[0]!.to_addresses).toEqual([OWNER]);
    expect(added[0]!.subject).toContain('asks to cancel');
    expect(added[0]!.text_body).toContain('have to cancel our meeting');
    const m = await onlyMeeting();
    expect(m.status).toBe('booked');
    expect(m.sequence).toBe(0);
    expect(await actions()).not.toContain('meeting_cancelled');
  });

  it('7b. a cancel in the owner’s name without a signature sends nothing and stays booked', async () => {
    await booked();
    const before = (await outbox()).length;
    await t.deliver(
      ownerWrites('Dana, something came up - please cancel the meeting, sorry!', {
        signed: false,
        to: DANA,
        subject: 'Re: Q2 plan',
        messageId: 'forged-cancel@mail.northwind.example',
        inReplyTo: 'choice-1@lumen.example',
        references: '<ask-1@lumen.example> <choice-1@lumen.example>',
      }),
    );
    const added = (await outbox()).slice(before);
    expect(added.filter((o) => o.calendar !== null)).toEqual([]);
    expect(added.filter((o) => o.to_addresses.includes(DANA))).toEqual([]);
    expect(added.map((o) => [o.purpose, o.to_addresses])).toEqual([['notice', [OWNER]]]);
    const m = await onlyMeeting();
    expect(m.status).toBe('booked');
    expect(m.sequence).toBe(0);
    expect(await actions()).toContain('owner_unverified');
    expect(await actions()).not.toContain('meeting_cancelled');
  });

  it('8. an offer waiting for approval holds its slots; once the owner says "no" they are free again', async () => {
    await t.deliver(guestAsks(ASK));
    const [dana] = await meetings();
    const danaSlots = starts(dana!.offered);
    expect(danaSlots.length).toBe(3);
    expect((await proposals())[0]?.status).toBe('awaiting_approval');
    const held = (await heldIntervals(h.db, null)).map((i) => i.start.toISOString());
    expect(held).toEqual(danaSlots);

    // Sam asks the same in another thread: other slots.
    await t.deliver(
      guestAsks(ASK.replace('Dana Lee', 'Sam Park'), {
        from: `Sam Park <${SAM}>`,
        messageId: 'ask-sam@lumen.example',
        subject: 'Budget review',
      }),
    );
    const sam = (await meetings())[1]!;
    expect(sam.thread_id).not.toBe(dana!.thread_id);
    const samSlots = starts(sam.offered);
    expect(samSlots.length).toBe(3);
    for (const s of samSlots) expect(danaSlots).not.toContain(s);

    // The owner rejects Dana's offer (the first approval email).
    const first = (await outbox()).filter((o) => o.purpose === 'approval')[0]!;
    await t.deliver(
      ownerAnswer({
        inReplyTo: first.message_id,
        subject: first.subject,
        text: 'No',
        to: first.extra_headers['Reply-To'] ?? ASSISTANT,
      }),
    );
    const p = (await proposals()).find((x) => String(x.id) === String(dana!.offer_proposal_id));
    expect(p?.status).toBe('rejected');
    expect(await actions()).toContain('approval_rejected');
    expect((await outbox()).some((o) => o.to_addresses.includes(DANA))).toBe(false);
    const heldNow = (await heldIntervals(h.db, null)).map((i) => i.start.toISOString());
    for (const s of danaSlots) expect(heldNow).not.toContain(s);
    expect(heldNow).toEqual(samSlots);

    // A third ask gets Dana's released slots again.
    await t.deliver(
      guestAsks(ASK.replace('Dana Lee', 'Lee Wong'), {
        from: `Lee Wong <lee@lumen.example>`,
        messageId: 'ask-lee@lumen.example',
        subject: 'Hiring plan',
      }),
    );
    const lee = (await meetings())[2]!;
    expect(starts(lee.offered)).toEqual(danaSlots);
  });

  it('9. two guests choose different slots at the same moment: one invite, one booking', async () => {
    const { m, offer } = await offerOut(ASK, { cc: `${ASSISTANT}, Sam Park <${SAM}>` });
    expect((m.attendees as Array<{ email: string }>).map((a) => a.email).sort()).toEqual([DANA, SAM]);
    expect(offer.to_addresses.slice().sort()).toEqual([DANA, SAM]);
    const a = await t.storeOnly(
      guestReplies('Option 1 works for me.', offer.message_id, 'pick-dana@lumen.example'),
    );
    const b = await t.storeOnly(
      guestReplies('Option 2 works for me.', offer.message_id, 'pick-sam@lumen.example', {
        from: `Sam Park <${SAM}>`,
      }),
    );
    // Triage both first, with the skills step deferred to its own job (as with a queue), then run
    // both skills jobs at once: each reads the live offer before either books.
    const deferred: string[] = [];
    const deps = {
      ...t.deps,
      jobs: { ...t.deps.jobs, enqueueSkills: async (ids: string[]) => void deferred.push(...ids) },
    };
    await handleProcessJob(deps, a!);
    await handleProcessJob(deps, b!);
    expect(deferred).toEqual([a, b]);
    await Promise.all([handleSkillsJob(deps, a!), handleSkillsJob(deps, b!)]);
    const invites = (await outbox()).filter((o) => o.purpose === 'invite');
    expect(invites).toHaveLength(1);
    const done = await onlyMeeting();
    expect(done.status).toBe('booked');
    expect(done.sequence).toBe(0);
    expect(
      [String(m.offered[0]!['start']), String(m.offered[1]!['start'])].map((s) => new Date(s).toISOString()),
    ).toContain(done.start_at?.toISOString());
    const event = new ICAL.Event(
      new ICAL.Component(ICAL.parse(invites[0]!.calendar!.content)).getFirstSubcomponent('vevent')!,
    );
    expect(event.startDate.toJSDate().toISOString()).toBe(done.start_at!.toISOString());
    const acts = await actions();
    expect(acts.filter((x) => x === 'meeting_booked')).toHaveLength(1);
    expect(acts.filter((x) => x === 'meeting_choice_late')).toHaveLength(1);
    // Both replies were read as choices of the live offer (they really raced); the loser lost at the lock.
    expect(acts.filter((x) => x === 'meeting_choice_read')).toHaveLength(2);
    expect((await journal()).find((j) => j.action === 'meeting_choice_late')?.reason).toMatch(
      /already answered or replaced; nothing booked/,
    );
    expect(await heldIntervals(h.db, null)).toHaveLength(1);
  });

  it('10. hostile RSVPs are not recorded; an answer to an older SEQUENCE is stale', async () => {
    const { m } = await booked();
    const times = { start: m.start_at!, end: m.end_at! };
    const before = (await journal()).length;

    // Someone never invited accepts for themselves.
    await t.deliver(
      rsvpMail(
        `Eve <${EVE}>`,
        calendarReply({ uid: m.uid, attendee: EVE, sequence: 0, ...times }),
        'r1@x.example',
      ),
    );
    // Someone else speaks for Dana.
    await t.deliver(
      rsvpMail(
        `Eve <${EVE}>`,
        calendarReply({ uid: m.uid, attendee: DANA, sequence: 0, ...times }),
        'r2@x.example',
      ),
    );
    // Dana answers an event we never sent.
    await t.deliver(
      rsvpMail(
        `Dana Lee <${DANA}>`,
        calendarReply({ uid: 'not-ours-123@elsewhere.example', attendee: DANA, sequence: 0, ...times }),
        'r3@lumen.example',
      ),
    );
    expect(await rsvps()).toEqual([]);
    const rejected = (await journal()).slice(before).filter((j) => j.action === 'rsvp_rejected');
    expect(rejected).toHaveLength(3);
    expect(rejected.map((j) => j.reason).join('\n')).toMatch(/was not invited/);
    expect(rejected.map((j) => j.reason).join('\n')).toMatch(/attendee-not-sender/);
    expect(rejected.map((j) => j.reason).join('\n')).toMatch(/did not send/);
    expect(await actions()).not.toContain('rsvp_recorded');

    // The owner cancels (SEQUENCE 1); Dana's calendar then accepts the old SEQUENCE 0.
    await t.deliver(
      ownerWrites('Dana, something came up - please cancel the meeting, sorry!', {
        to: DANA,
        subject: 'Re: Q2 plan',
        messageId: 'cancel-1@mail.northwind.example',
        inReplyTo: 'choice-1@lumen.example',
        references: '<ask-1@lumen.example> <choice-1@lumen.example>',
      }),
    );
    const cancelled = await onlyMeeting();
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.sequence).toBe(1);
    await t.deliver(
      rsvpMail(
        `Dana Lee <${DANA}>`,
        calendarReply({ uid: m.uid, attendee: DANA, sequence: 0, ...times }),
        'r4@lumen.example',
      ),
    );
    expect(await rsvps()).toEqual([]);
    expect(await actions()).toContain('rsvp_stale');
    expect(await actions()).not.toContain('rsvp_recorded');
  });

  it('10b. a REPLY to a revision we never sent (a meeting not invited yet, whose UID is predictable; a higher SEQUENCE) is not recorded', async () => {
    await t.deliver(guestAsks(ASK));
    const m = await onlyMeeting();
    expect(m.status).toBe('proposing');
    expect(m.sequence).toBe(-1);
    expect(m.uid).toBe('meeting-1@northwind.example');
    const slot = m.offered[0]!;
    await t.deliver(
      rsvpMail(
        `Dana Lee <${DANA}>`,
        calendarReply({
          uid: m.uid,
          attendee: DANA,
          sequence: 0,
          start: new Date(String(slot['start'])),
          end: new Date(String(slot['end'])),
        }),
        'r-early@lumen.example',
      ),
    );
    expect(await rsvps()).toEqual([]);
    expect(await actions()).not.toContain('rsvp_recorded');
    expect(await actions()).toContain('rsvp_rejected');

    // Booked at SEQUENCE 0: an answer to SEQUENCE 5, a revision never sent, is not recorded either.
    await ownerSays('Yes');
    const offer = await latest('reply');
    await t.deliver(guestReplies('Option 1 works for me.', offer!.message_id, 'choice-1@lumen.example'));
    const booked0 = await onlyMeeting();
    expect(booked0.status).toBe('booked');
    expect(booked0.sequence).toBe(0);
    await t.deliver(
      rsvpMail(
        `Dana Lee <${DANA}>`,
        calendarReply({
          uid: m.uid,
          attendee: DANA,
          sequence: 5,
          start: booked0.start_at!,
          end: booked0.end_at!,
        }),
        'r-future@lumen.example',
      ),
    );
    expect(await rsvps()).toEqual([]);
    expect(await actions()).not.toContain('rsvp_recorded');
  });

  it('11. the owner’s standing rule "no meetings on Fridays": no slot offered on a Friday', async () => {
    const ASK_THU_FRI =
      'Hi Maya,\n\ncould we find 30 minutes next week to go over the Q2 plan? Thursday or Friday would suit me best.\n\nBest,\nDana Lee\nLumen Analytics, New York';
    // Control: without the rule, this ask gets a Friday slot.
    await t.deliver(guestAsks(ASK_THU_FRI));
    const [control] = await meetings();
    expect(control!.offered.some((s) => at(String(s['start']), BERLIN).weekday === 5)).toBe(true);

    await t.deliver(
      ownerWrites('From now on, no meetings on Fridays.', {
        to: ASSISTANT,
        cc: '',
        subject: 'Fridays',
        messageId: 'rule-1@mail.northwind.example',
      }),
    );
    const rules = await h.db.selectFrom('standing_rules').selectAll().execute();
    expect(rules).toHaveLength(1);
    expect(rules[0]!.kind).toBe('no_meetings');
    expect(await actions()).toContain('rule_recorded');

    await t.deliver(
      guestAsks(ASK_THU_FRI.replace('Dana Lee', 'Sam Park'), {
        from: `Sam Park <${SAM}>`,
        messageId: 'ask-sam@lumen.example',
        subject: 'Budget review',
      }),
    );
    const sam = (await meetings())[1]!;
    expect(sam.offered.length).toBeGreaterThan(0);
    for (const s of sam.offered) {
      expect(at(String(s['start']), BERLIN).weekday).not.toBe(5);
      expect(at(String(s['end']), BERLIN).weekday).not.toBe(5);
    }
    expectInWorkingHours(sam.offered);
  });
});

describe('review findings: scheduling', () => {
  it('the owner\'s "cancel" before anything is booked withdraws the offer: no approval can send it, nothing held', async () => {
    await t.deliver(guestAsks(ASK));
    expect((await approvals()).map((a) => a.status)).toEqual(['open']);
    await t.deliver(
      ownerWrites("Dana, let's cancel this, no need to meet after all.", {
        messageId: 'own-cancel@mail.northwind.example',
        subject: 'Re: Q2 plan',
        inReplyTo: 'ask-1@lumen.example',
        references: '<ask-1@lumen.example>',
      }),
    );
    const m = await onlyMeeting();
    expect(m.status).toBe('released');
    expect((await approvals()).map((a) => a.status)).toEqual(['cancelled']);
    expect((await proposals()).map((p) => p.status)).toEqual(['cancelled']);
    expect(await actions()).toContain('meeting_released');
    // A late "yes" to the withdrawn offer sends nothing.
    await ownerSays('Yes');
    expect((await outbox()).filter((o) => o.purpose === 'reply')).toEqual([]);
  });

  it('an offer recorded but never put to the owner (a crash between the steps) is asked on the retry, once', async () => {
    const id = await t.storeOnly(guestAsks(ASK));
    // The first try: triage and the skill's own writes commit, then the job dies before asking.
    const { processMessage } = await import('../../src/triage/triage.usecase.ts');
    const { runSkills } = await import('../../src/skills/skills.usecase.ts');
    await processMessage(t.deps, id!);
    await runSkills(t.deps, id!);
    expect(await approvals()).toEqual([]);
    // The retry of the skills job.
    const { handleSkillsJob } = await import('../../src/jobs/handlers.ts');
    await handleSkillsJob(t.deps, id!);
    expect((await approvals()).map((a) => a.status)).toEqual(['open']);
    await handleSkillsJob(t.deps, id!);
    expect(await approvals()).toHaveLength(1);
  });

  it('a pick that arrives after its time has passed gets new times, never a booking in the past', async () => {
    const { offer } = await offerOut();
    t.clock.set('2026-04-06T09:00:00Z');
    await t.deliver(guestReplies('Option 1 works for me.', offer.message_id, 'late-pick@lumen.example'));
    expect((await outbox()).filter((o) => o.purpose === 'invite')).toEqual([]);
    const m = await onlyMeeting();
    expect(m.status).toBe('proposing');
    expect(m.offer_round).toBe(2);
    for (const s of m.offered)
      expect(new Date(String(s['start'])).getTime()).toBeGreaterThan(Date.parse('2026-04-06T09:00:00Z'));
  });

  it("the owner writing in a thread where someone else asked is not a delegation unless the owner's own words ask", async () => {
    await t.deliver(
      ownerWrites('Adding my assistant for the invoice question.', {
        messageId: 'own-invoice@mail.northwind.example',
      }),
    );
    // Nothing asked for a meeting in the owner's words: no offer goes out on its own.
    expect((await outbox()).filter((o) => o.purpose === 'reply')).toEqual([]);
    expect(await actions()).not.toContain('approval_not_needed');
  });
});
