import { describe, expect, it } from 'vitest';
import { extractReplyText } from '../../src/ingest/reply.ts';
import type {
  SchedulingMessage,
  UnderstandContext,
} from '../../src/skills/scheduling/understand/understand.model.ts';
import { understandMeetingRequest } from '../../src/skills/scheduling/understand/understand.ts';

const OWNER = { name: 'Olivia Owner', address: 'olivia@owner.example' };
const ASSISTANT = { name: 'Deskhand', address: 'desk@owner.example' };
const DANA = { name: 'Dana Smith', address: 'dana@client.example' };
const SAM = { name: 'Sam Lee', address: 'sam@client.example' };

function ctx(now: string): UnderstandContext {
  return {
    ownerEmail: OWNER.address,
    ownerZone: 'Europe/Berlin',
    assistantEmail: ASSISTANT.address,
    defaultMinutes: 30,
    now: new Date(now),
  };
}

/** One message; `at` is ISO with the writer's offset, which becomes the Date header's offset. */
function msg(
  from: typeof OWNER,
  text: string,
  at: string,
  more: Partial<SchedulingMessage> = {},
): SchedulingMessage {
  const off = /([+-]\d{2}):(\d{2})$/.exec(at);
  return {
    messageId: `${Math.random()}@test`,
    inReplyTo: null,
    references: [],
    date: new Date(at),
    dateHeader: off ? `Mon, 1 Jan 2025 00:00:00 ${off[1]}${off[2]}` : null,
    subject: 'Intro',
    from,
    replyTo: [],
    to: [OWNER],
    cc: [ASSISTANT],
    text,
    replyText: extractReplyText(text),
    ...more,
  };
}

describe('understandMeetingRequest', () => {
  it('when the owner CCs the assistant to find a time next week, the other person is invited for the stated length', () => {
    const thread = [
      msg(
        DANA,
        'Great to meet you at the fair! Would love to continue the conversation.',
        '2025-03-11T09:00:00-05:00',
      ),
      msg(
        OWNER,
        "Likewise! I'm cc'ing my assistant to find us a time next week, 45 minutes.",
        '2025-03-12T10:00:00+01:00',
        {
          to: [DANA],
        },
      ),
    ];
    const r = understandMeetingRequest(thread, ctx('2025-03-12T10:05:00+01:00'));
    expect(r.wanted).toBe(true);
    expect(r.requester).toBe(OWNER.address);
    expect(r.invitees.map((a) => a.address)).toEqual([DANA.address]);
    expect(r.durationMinutes).toBe(45);
    expect(r.durationStated).toBe(true);
    expect(r.range).toEqual({ from: '2025-03-17', to: '2025-03-21' });
  });

  it('when a later message names weekdays inside the week asked for, the range narrows to them', () => {
    const thread = [
      msg(DANA, 'Could we meet next week?', '2025-03-12T09:00:00-04:00'),
      msg(OWNER, 'Sure. Tuesday or Wednesday afternoon works for me.', '2025-03-12T16:00:00+01:00', {
        to: [DANA],
      }),
    ];
    const r = understandMeetingRequest(thread, ctx('2025-03-12T16:05:00+01:00'));
    expect(r.requester).toBe(DANA.address);
    expect(r.range).toEqual({ from: '2025-03-18', to: '2025-03-19' });
    expect(r.weekdays).toEqual([2, 3]);
    expect(r.dayparts).toEqual(['afternoon']);
  });

  it('a weekday written before a day-first date ("Wednesday 4 November") is that one date, and preferred weekdays are kept apart', () => {
    const one = understandMeetingRequest(
      [msg(DANA, 'Could we meet on Wednesday 4 November?', '2026-10-21T09:00:00-04:00')],
      ctx('2026-10-21T16:00:00+01:00'),
    );
    expect(one.range).toEqual({ from: '2026-11-04', to: '2026-11-04' });
    const pref = understandMeetingRequest(
      [
        msg(
          DANA,
          'Could we find 30 minutes next week? Tuesday or Wednesday would be best for me.',
          '2026-10-21T09:00:00-04:00',
        ),
      ],
      ctx('2026-10-21T16:00:00+01:00'),
    );
    expect(pref.range).toEqual({ from: '2026-10-26', to: '2026-10-30' });
    expect(pref.weekdays).toEqual([]);
    expect(pref.preferredWeekdays).toEqual([2, 3]);
  });

  it('"next Friday" said on a Friday is an ambiguity, not a guessed date', () => {
    const r = understandMeetingRequest(
      [msg(DANA, 'Can we talk next Friday?', '2025-03-14T10:00:00+01:00')],
      ctx('2025-03-14T10:00:00+01:00'),
    );
    expect(r.wanted).toBe(true);
    expect(r.range).toBeNull();
    expect(r.ambiguities).toEqual(['"next Friday" said on a Friday could be 2025-03-21 or 2025-03-28']);
  });

  it('"3/4" with nothing to settle the order is an ambiguity; a weekday next to it settles it', () => {
    const unsure = understandMeetingRequest(
      [msg(DANA, 'Are you free on 3/4 for a call?', '2025-02-20T10:00:00-05:00')],
      ctx('2025-02-20T17:00:00+01:00'),
    );
    expect(unsure.range).toBeNull();
    expect(unsure.ambiguities).toEqual(['"3/4" could be March 4 or April 3']);
    const settled = understandMeetingRequest(
      [msg(DANA, 'Are you free Tuesday 3/4 for a call?', '2025-02-20T10:00:00-05:00')],
      ctx('2025-02-20T17:00:00+01:00'),
    );
    expect(settled.range).toEqual({ from: '2025-03-04', to: '2025-03-04' });
    expect(settled.ambiguities).toEqual([]);
  });

  it("a day/month order shown by the thread's other dates settles a slashed date", () => {
    const thread = [
      msg(DANA, 'Our contract started on 23/01/2025.', '2025-02-20T10:00:00+00:00'),
      msg(DANA, 'Could we meet on 3/4 to review it?', '2025-02-20T11:00:00+00:00'),
    ];
    const r = understandMeetingRequest(thread, ctx('2025-02-20T12:00:00+01:00'));
    expect(r.range).toEqual({ from: '2025-04-03', to: '2025-04-03' });
  });

  it('the owner leaving someone out of the thread keeps them off the invite', () => {
    const thread = [
      msg(DANA, 'Could we set up a call about the renewal?', '2025-03-12T09:00:00-04:00', {
        cc: [SAM, ASSISTANT],
      }),
      msg(
        OWNER,
        "Happy to. Let's do it without Sam, he's on holiday. Please also invite priya@partner.example.",
        '2025-03-12T16:00:00+01:00',
        {
          to: [DANA],
          cc: [SAM, ASSISTANT],
        },
      ),
    ];
    const r = understandMeetingRequest(thread, ctx('2025-03-12T16:05:00+01:00'));
    expect(r.invitees.map((a) => a.address)).toEqual([DANA.address, 'priya@partner.example']);
  });

  it("addresses in anyone else's words are never invited", () => {
    const thread = [
      msg(DANA, 'Can we meet? Please also invite boss@elsewhere.example.', '2025-03-12T09:00:00-04:00'),
    ];
    const r = understandMeetingRequest(thread, ctx('2025-03-12T16:05:00+01:00'));
    expect(r.invitees.map((a) => a.address)).toEqual([DANA.address]);
  });

  it("the assistant's own messages are skipped: its proposals are not someone's constraints", () => {
    const thread = [
      msg(DANA, 'Could we meet next week?', '2025-03-12T09:00:00-04:00'),
      msg(ASSISTANT, 'How about Friday the 21st at 10:00?', '2025-03-12T16:00:00+01:00'),
    ];
    const r = understandMeetingRequest(thread, ctx('2025-03-12T16:05:00+01:00'));
    expect(r.range).toEqual({ from: '2025-03-17', to: '2025-03-21' });
    expect(Object.keys(r.zones)).not.toContain(ASSISTANT.address);
  });

  it('a message that calls the meeting off after it was asked for leaves nothing wanted', () => {
    const thread = [
      msg(DANA, 'Could we meet next week?', '2025-03-12T09:00:00-04:00'),
      msg(DANA, 'Never mind, we sorted it out by email. Meeting cancelled.', '2025-03-12T11:00:00-04:00'),
    ];
    const r = understandMeetingRequest(thread, ctx('2025-03-12T16:05:00+01:00'));
    expect(r.wanted).toBe(false);
    expect(r.requester).toBeNull();
  });

  it('days that have passed by the time the thread is read give no range but say so', () => {
    const r = understandMeetingRequest(
      [msg(DANA, 'Can we meet tomorrow?', '2025-03-10T09:00:00+01:00')],
      ctx('2025-03-20T09:00:00+01:00'),
    );
    expect(r.range).toBeNull();
    expect(r.ambiguities).toEqual(['the days asked for (2025-03-11 to 2025-03-11) have passed']);
  });

  it('"quick call" keeps the default length and says the length was not stated', () => {
    const r = understandMeetingRequest(
      [msg(DANA, 'Could we do a quick call on Thursday?', '2025-03-11T09:00:00+01:00')],
      ctx('2025-03-11T09:00:00+01:00'),
    );
    expect(r.durationMinutes).toBe(30);
    expect(r.durationStated).toBe(false);
    expect(r.reasons).toContain('duration: the default 30 min ("quick call" gives no length)');
  });

  it('a thread with no ask for a meeting is not wanted, with confidence', () => {
    const r = understandMeetingRequest(
      [msg(DANA, 'Please find the signed NDA attached.', '2025-03-11T09:00:00+01:00')],
      ctx('2025-03-11T09:00:00+01:00'),
    );
    expect(r).toMatchObject({ wanted: false, requester: null, range: null });
    expect(r.confidence).toBeGreaterThan(0.8);
  });

  it('relative dates are read in the writer\'s calendar: "tomorrow" late on Monday in California is Tuesday', () => {
    const r = understandMeetingRequest(
      [msg(DANA, 'Can we talk tomorrow?', '2025-03-10T22:00:00-07:00')],
      ctx('2025-03-11T06:00:00+01:00'),
    );
    expect(r.range).toEqual({ from: '2025-03-11', to: '2025-03-11' });
  });
});

describe('zones in understandMeetingRequest', () => {
  const at = '2025-06-10T09:00:00-04:00';
  const zoneOfDana = (text: string, more: Partial<SchedulingMessage> = {}) =>
    understandMeetingRequest([msg(DANA, text, at, more)], ctx('2025-06-10T15:00:00+02:00')).zones[
      DANA.address
    ];

  it('a zone stated in the text beats the signature and the Date offset', () => {
    expect(zoneOfDana("Can we meet? I'm in Tokyo this week.\n\n— Sent from Berlin")).toEqual({
      zone: 'Asia/Tokyo',
      source: 'stated',
    });
  });

  it('a city in the signature ("— Sent from Berlin") beats the Date offset', () => {
    expect(zoneOfDana('Can we meet next week?\n\n— Sent from Berlin')).toEqual({
      zone: 'Europe/Berlin',
      source: 'signature',
    });
  });

  it('a signature line "Munich, Germany" names Berlin\'s zone', () => {
    expect(zoneOfDana('Can we meet?\n\nBest,\nDana\n--\nDana Smith | Buyer\nMunich, Germany')).toEqual({
      zone: 'Europe/Berlin',
      source: 'signature',
    });
  });

  it('"Sent from my iPhone" is not a place', () => {
    expect(zoneOfDana('Can we meet?\n\nSent from my iPhone')?.source).toBe('date-offset');
  });

  it('with nothing said, the Date offset is mapped to a zone as a fallback and the reason says it is a guess', () => {
    const r = understandMeetingRequest([msg(DANA, 'Can we meet?', at)], ctx('2025-06-10T15:00:00+02:00'));
    expect(r.zones[DANA.address]).toEqual({ zone: 'America/New_York', source: 'date-offset' });
    expect(r.reasons.some((x) => x.includes('offset -0400 is not a zone'))).toBe(true);
  });

  it("without a Date header or any clue, a person gets the owner's zone", () => {
    expect(zoneOfDana('Can we meet?', { dateHeader: null })).toEqual({
      zone: 'Europe/Berlin',
      source: 'owner',
    });
  });

  it('what the owner writes about someone else ("Dana is in Singapore") is stated for them', () => {
    const thread = [
      msg(OWNER, 'Dana is in Singapore, so please find us a morning.', '2025-06-10T09:00:00+02:00', {
        to: [DANA],
        cc: [ASSISTANT],
      }),
    ];
    const r = understandMeetingRequest(thread, ctx('2025-06-10T09:05:00+02:00'));
    expect(r.zones[DANA.address]).toEqual({ zone: 'Asia/Singapore', source: 'stated' });
    expect(r.zones[OWNER.address]).toEqual({ zone: 'Europe/Berlin', source: 'owner' });
  });

  it("the owner's own statement of travel beats the configured zone", () => {
    const thread = [
      msg(OWNER, "I'm in New York next week; please find a time with Dana.", '2025-06-10T09:00:00+02:00', {
        to: [DANA],
      }),
    ];
    expect(understandMeetingRequest(thread, ctx('2025-06-10T09:05:00+02:00')).zones[OWNER.address]).toEqual({
      zone: 'America/New_York',
      source: 'stated',
    });
  });
});
