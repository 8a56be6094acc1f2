import { describe, expect, it } from 'vitest';
import { type Choice, type OfferedSlot, readSlotChoice } from '../../src/skills/scheduling/choose/choose.ts';

// 24–26 March 2026 lies between the DST switches: Berlin is UTC+1, New York UTC−4.
const OFFERED: OfferedSlot[] = [
  { index: 1, start: new Date('2026-03-24T13:00:00Z'), end: new Date('2026-03-24T13:30:00Z') }, // Tue 14:00 Berlin / 09:00 NY
  { index: 2, start: new Date('2026-03-25T09:00:00Z'), end: new Date('2026-03-25T09:30:00Z') }, // Wed 10:00 Berlin / 05:00 NY
  { index: 3, start: new Date('2026-03-26T15:00:00Z'), end: new Date('2026-03-26T15:30:00Z') }, // Thu 16:00 Berlin / 11:00 NY
];
const NOW = new Date('2026-03-20T10:00:00Z');
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

function read(replyText: string, replierZone = BERLIN, offered = OFFERED): Choice {
  return readSlotChoice({ replyText, offered, replierZone, now: NOW });
}

function index(choice: Choice): number | null {
  return choice.kind === 'chosen' ? choice.index : null;
}

describe('readSlotChoice: option numbers and ordinals', () => {
  it.each([
    ['option 2', 2],
    ['2', 2],
    ['  3.  ', 3],
    ['#3 please', 3],
    ['Number 1 is great', 1],
    ['the first one', 1],
    ['The second works for me', 2],
    ['Let us take the last one.', 3],
    ['2nd option please', 2],
    ['2 works for me.', 2],
    ['3 is perfect, thanks', 3],
    ['1 would work', 1],
  ])('%j → option %i', (reply, expected) => {
    const choice = read(reply);
    expect(choice.kind).toBe('chosen');
    expect(index(choice)).toBe(expected);
  });

  it('does the same in either zone: numbers do not depend on the clock', () => {
    expect(index(read('option 2', NEW_YORK))).toBe(2);
  });

  it('keeps the evidence', () => {
    expect(read('Happy with #3 please')).toMatchObject({ kind: 'chosen', index: 3, evidence: '#3' });
  });

  it('ignores an option number that was not offered', () => {
    expect(read('option 5')).toMatchObject({ kind: 'none' });
    expect(read('5')).toMatchObject({ kind: 'none' });
  });

  it('does not read a number inside a sentence as an option', () => {
    expect(read('I have 2 kids and 3 dogs').kind).toBe('none');
  });
});

describe('readSlotChoice: days and times in the replier zone', () => {
  it('reads "Tuesday at 2 works" as 14:00 Tuesday for a Berlin replier', () => {
    expect(read('Tuesday at 2 works')).toMatchObject({ kind: 'chosen', index: 1 });
  });

  it('reads "Tuesday at 2 works" as a counter for a New York replier (their Tuesday slot is 9:00)', () => {
    const choice = read('Tuesday at 2 works', NEW_YORK);
    expect(choice).toMatchObject({ kind: 'counter', text: 'Tuesday at 2 works' });
  });

  it.each([
    ['Tuesday at 2pm', 1],
    ['Tuesday 14:00 is fine', 1],
    ["Tuesday, 2 o'clock", 1],
    ['Wednesday works for me', 2],
    ['Wed works', 2],
    ['Thursday please', 3],
    ['24 March works', 1],
    ['March 25th is good', 2],
    ['the 26th', 3],
    ['Tue 24 Mar at 14:00', 1],
    ['Wednesday morning', 2],
    ['Thursday afternoon works', 3],
  ])('Berlin: %j → option %i', (reply, expected) => {
    expect(index(read(reply))).toBe(expected);
  });

  it('reads weekdays in the replier zone: Wednesday 05:00 New York is still Wednesday', () => {
    expect(index(read('Wednesday works for me', NEW_YORK))).toBe(2);
  });

  it('reads a day in the replier zone when it differs from the slot zone', () => {
    // Wed 01:00 Berlin is Tue 20:00 in New York.
    const late: OfferedSlot[] = [
      { index: 1, start: new Date('2026-03-25T00:00:00Z'), end: new Date('2026-03-25T00:30:00Z') },
      { index: 2, start: new Date('2026-03-26T15:00:00Z'), end: new Date('2026-03-26T15:30:00Z') },
    ];
    expect(index(read('Tuesday evening works', NEW_YORK, late))).toBe(1);
    expect(read('Tuesday evening works', BERLIN, late).kind).toBe('counter');
    expect(index(read('Wednesday', BERLIN, late))).toBe(1);
  });

  it('reads US numeric dates month first for a New York replier and day first in Berlin', () => {
    expect(index(read('3/25 works', NEW_YORK))).toBe(2);
    expect(index(read('25/3 works', BERLIN))).toBe(2);
    expect(index(read('24.3. passt', BERLIN))).toBe(1);
  });

  it('reads "tomorrow" from now in the replier zone', () => {
    const now = new Date('2026-03-24T22:30:00Z'); // Tue 23:30 Berlin, Tue 18:30 New York
    expect(
      index(readSlotChoice({ replyText: 'tomorrow works', offered: OFFERED, replierZone: BERLIN, now })),
    ).toBe(2);
    expect(
      readSlotChoice({ replyText: 'tomorrow works', offered: OFFERED, replierZone: NEW_YORK, now }).kind,
    ).toBe('chosen');
  });
});

describe('readSlotChoice: a time alone means different slots in different zones', () => {
  it('"9am works" is the Tuesday slot in New York and nothing offered in Berlin', () => {
    expect(read('9am works', NEW_YORK)).toMatchObject({ kind: 'chosen', index: 1 });
    expect(read('9am works', BERLIN)).toMatchObject({ kind: 'counter', text: '9am works' });
  });

  it('"2pm" is the Tuesday slot in Berlin and nothing offered in New York', () => {
    expect(read('2pm', BERLIN)).toMatchObject({ kind: 'chosen', index: 1 });
    expect(read('2pm', NEW_YORK).kind).toBe('counter');
  });

  it('"11am" is the Thursday slot in New York only; "10:00" the Wednesday slot in Berlin only', () => {
    expect(index(read('11am is good', NEW_YORK))).toBe(3);
    expect(read('11am is good', BERLIN).kind).toBe('counter');
    expect(index(read('10:00 works', BERLIN))).toBe(2);
    expect(read('10:00 works', NEW_YORK).kind).toBe('counter');
  });

  it('a time matching several slots is ambiguous', () => {
    const twoAtTwo: OfferedSlot[] = [
      { index: 1, start: new Date('2026-03-24T13:00:00Z'), end: new Date('2026-03-24T13:30:00Z') },
      { index: 2, start: new Date('2026-03-25T13:00:00Z'), end: new Date('2026-03-25T13:30:00Z') },
    ];
    expect(read('2pm works', BERLIN, twoAtTwo)).toMatchObject({ kind: 'ambiguous', candidates: [1, 2] });
    expect(read('Wednesday at 2pm', BERLIN, twoAtTwo)).toMatchObject({ kind: 'chosen', index: 2 });
  });
});

describe('readSlotChoice: lists, ranges and stated zones', () => {
  it('an option list is ambiguous between its members', () => {
    expect(read('option 2 or 3')).toMatchObject({ kind: 'ambiguous', candidates: [2, 3] });
    expect(read('#1, #3')).toMatchObject({ kind: 'ambiguous', candidates: [1, 3] });
  });

  it('a time range holds a slot that lies within it, in the replier zone', () => {
    expect(index(read('Thursday between 2 and 5pm', BERLIN))).toBe(3);
    expect(index(read('Thursday 3-5pm', BERLIN))).toBe(3);
    expect(read('Thursday 3-5pm', NEW_YORK).kind).toBe('counter');
  });

  it('a zone written after the time wins over the replier zone', () => {
    expect(index(read('Tuesday 2pm Berlin time', NEW_YORK))).toBe(1);
    expect(index(read('09:00 (New York) works', BERLIN))).toBe(1);
    expect(index(read('9am ET', BERLIN))).toBe(1);
  });

  it('a line copied from the proposal chooses its slot in either zone', () => {
    const line = '1. Tue 24 Mar, 14:00–14:30 (Berlin) / 09:00–09:30 (New York)';
    expect(index(read(line, BERLIN))).toBe(1);
    expect(index(read(line, NEW_YORK))).toBe(1);
  });
});

describe('readSlotChoice: the widening rule', () => {
  it.each([
    ['Friday at 10 works'],
    ['Tuesday at 3 works'],
    ['Tuesday at 14:15'],
    ['Monday 30 March?'],
    ['Wednesday at 5pm'],
  ])('%j is a counter, never a choice', (reply) => {
    const choice = read(reply);
    expect(choice.kind).toBe('counter');
  });

  it('a counter carries the proposal for the understand step', () => {
    expect(read('Sorry, Friday at 10 would suit me better.')).toMatchObject({
      kind: 'counter',
      evidence: 'Friday at 10',
      text: 'Sorry, Friday at 10 would suit me better.',
    });
  });

  it('"Thursday is better but only after 4" fits 16:00 Berlin but not 11:00 New York', () => {
    expect(read('Thursday is better but only after 4', BERLIN)).toMatchObject({ kind: 'chosen', index: 3 });
    expect(read('Thursday is better but only after 4', NEW_YORK)).toMatchObject({
      kind: 'counter',
      text: 'Thursday is better but only after 4',
    });
  });

  it('"any of them" cannot reach outside the offered set', () => {
    expect(read('any of them, or Friday')).toMatchObject({ kind: 'chosen', index: 1 });
  });
});

describe('readSlotChoice: negation', () => {
  it('"I can\'t do Tuesday" excludes Tuesday and chooses nothing', () => {
    expect(read("I can't do Tuesday")).toMatchObject({ kind: 'ambiguous', candidates: [2, 3] });
  });

  it.each([
    ['not Wednesday', [1, 3]],
    ['Tuesday is out', [2, 3]],
    ["Thursday doesn't work for me", [1, 2]],
    ['not option 1', [2, 3]],
  ])('%j excludes', (reply, candidates) => {
    expect(read(reply)).toMatchObject({ kind: 'ambiguous', candidates });
  });

  it('a negation and a choice together choose', () => {
    expect(read("I can't do Tuesday, but Wednesday works")).toMatchObject({ kind: 'chosen', index: 2 });
    expect(read('Not Wednesday. Thursday works')).toMatchObject({ kind: 'chosen', index: 3 });
    expect(read('Tuesday or Wednesday, not Tuesday though')).toMatchObject({ kind: 'chosen', index: 2 });
  });

  it('excluding every slot declines them all', () => {
    expect(read("I can't do Tuesday, Wednesday or Thursday").kind).toBe('declined_all');
  });

  it('"any of them except Tuesday" picks the earliest remaining', () => {
    expect(read('any of them except Tuesday')).toMatchObject({ kind: 'chosen', index: 2 });
  });

  it('a negation of an unoffered day and a choice', () => {
    expect(read("Friday doesn't work, but Thursday at 4pm is great")).toMatchObject({
      kind: 'chosen',
      index: 3,
    });
  });
});

describe('readSlotChoice: any, none, yes', () => {
  it.each([['any of them'], ['Either works'], ['All work for me'], ['any']])(
    '%j chooses the earliest offered slot and says so',
    (reply) => {
      const choice = read(reply);
      expect(choice).toMatchObject({ kind: 'chosen', index: 1 });
      expect(choice.kind === 'chosen' && choice.evidence).toMatch(/earliest/);
    },
  );

  it('"any" picks the earliest even when the list is not in time order', () => {
    const shuffled = [OFFERED[2], OFFERED[1], OFFERED[0]] as OfferedSlot[];
    expect(index(read('any of them', BERLIN, shuffled))).toBe(1);
  });

  it('"any time on Thursday" is the Thursday slot', () => {
    expect(index(read('any time on Thursday works'))).toBe(3);
  });

  it.each([
    ['none of these work'],
    ['None of them suit, sorry.'],
    ["I can't make any of them"],
    ['Neither works'],
  ])('%j declines all', (reply) => {
    expect(read(reply).kind).toBe('declined_all');
  });

  it('"none of these — how about Friday morning?" is a counter', () => {
    expect(read('none of these — how about Friday morning?')).toMatchObject({
      kind: 'counter',
      evidence: 'none of these',
      text: 'how about Friday morning?',
    });
  });

  it('"yes" is ambiguous with several slots and a choice with one', () => {
    expect(read('yes')).toMatchObject({ kind: 'ambiguous', candidates: [1, 2, 3] });
    expect(read('Yes, sounds good', BERLIN, [OFFERED[1] as OfferedSlot])).toMatchObject({
      kind: 'chosen',
      index: 2,
    });
  });

  it('"Tuesday" is ambiguous when two slots fall on Tuesday', () => {
    const twoTuesdays: OfferedSlot[] = [
      { index: 1, start: new Date('2026-03-24T09:00:00Z'), end: new Date('2026-03-24T09:30:00Z') },
      { index: 2, start: new Date('2026-03-24T13:00:00Z'), end: new Date('2026-03-24T13:30:00Z') },
      { index: 3, start: new Date('2026-03-26T15:00:00Z'), end: new Date('2026-03-26T15:30:00Z') },
    ];
    expect(read('Tuesday', BERLIN, twoTuesdays)).toMatchObject({ kind: 'ambiguous', candidates: [1, 2] });
    expect(read('Tuesday at 2', BERLIN, twoTuesdays)).toMatchObject({ kind: 'chosen', index: 2 });
    expect(read('Tuesday afternoon', BERLIN, twoTuesdays)).toMatchObject({ kind: 'chosen', index: 2 });
    expect(read('Tue. 24 Mar, 14:00', BERLIN, twoTuesdays)).toMatchObject({ kind: 'chosen', index: 2 });
    expect(read('Tuesday 24 March works', BERLIN, twoTuesdays)).toMatchObject({
      kind: 'ambiguous',
      candidates: [1, 2],
    });
    expect(read('Tuesday or Thursday', BERLIN, twoTuesdays)).toMatchObject({
      kind: 'ambiguous',
      candidates: [1, 2, 3],
    });
  });

  it('nothing recognisable is none', () => {
    expect(read('Thanks for reaching out, I will check with my team.').kind).toBe('none');
  });
});

describe('readSlotChoice: never throws', () => {
  it('survives hostile and broken input', () => {
    const broken: unknown[] = [
      { replyText: '', offered: OFFERED, replierZone: BERLIN, now: NOW },
      { replyText: 'option 2', offered: [], replierZone: BERLIN, now: NOW },
      { replyText: 'Tuesday at 2', offered: OFFERED, replierZone: 'Not/AZone', now: NOW },
      { replyText: null, offered: null, replierZone: null, now: null },
      { replyText: `${'Tuesday at 2 '.repeat(50_000)}`, offered: OFFERED, replierZone: BERLIN, now: NOW },
      {
        replyText: 'option 2',
        offered: [{ index: 2, start: new Date(Number.NaN), end: new Date(0) }],
        replierZone: BERLIN,
        now: NOW,
      },
    ];
    for (const input of broken) {
      expect(() => readSlotChoice(input as Parameters<typeof readSlotChoice>[0])).not.toThrow();
    }
  });

  it('still reads option numbers with an unknown zone, but not times', () => {
    const bad = (replyText: string) =>
      readSlotChoice({ replyText, offered: OFFERED, replierZone: 'Not/AZone', now: NOW });
    expect(index(bad('option 2'))).toBe(2);
    expect(bad('Tuesday at 2').kind).toBe('none');
  });

  it('stops at the signature', () => {
    expect(index(read('Wednesday works\n-- \nAnna\nCall me Thursday at 4pm'))).toBe(2);
  });

  it('is fast on long input', () => {
    const t = Date.now();
    read(`${'not Tuesday, 3/4 at 2pm or 9 '.repeat(2000)}`);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
