import { describe, expect, it } from 'vitest';
import { dayNumberOf, isoOfDay } from '../../src/skills/scheduling/understand/understand.calendar.ts';
import { daypartsIn } from '../../src/skills/scheduling/understand/understand.dayparts.ts';
import { quickMention, statedDuration } from '../../src/skills/scheduling/understand/understand.duration.ts';
import { askToMeet, messageIntent } from '../../src/skills/scheduling/understand/understand.intent.ts';
import { whenOf } from '../../src/skills/scheduling/understand/understand.range.ts';
import { weekdayGroups } from '../../src/skills/scheduling/understand/understand.weekdays.ts';

/** The when of `text` written at `at` (ISO with offset), as ISO dates. */
function when(text: string, at: string, order: 'dmy' | 'mdy' | null = null) {
  const [y, m, d] = at.slice(0, 10).split('-').map(Number);
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(at);
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const w = whenOf(
    text,
    dayNumberOf(y ?? 0, m ?? 0, d ?? 0),
    { instant: new Date(at), offsetMinutes: minutes },
    order,
  );
  return { ...w, range: w.range === null ? null : [isoOfDay(w.range[0]), isoOfDay(w.range[1])] };
}

// 2025-03-12 is a Wednesday.
const WED = '2025-03-12T10:00:00+01:00';

describe('duration', () => {
  it.each([
    ['Can we do 30 min?', 30],
    ['a 45-minute review', 45],
    ['half an hour should do', 30],
    ['an hour and a half on Tuesday', 90],
    ['1.5 hours', 90],
    ['a 2-hour workshop', 120],
    ['book a 1h slot', 60],
    ['1h30 would be ideal', 90],
    ['15 minutes or so of your time', 15],
    ['a short courtesy meeting (5 - 10 minutes)', 10],
    ["won't take more than 10 minutes", 10],
    ['a couple of hours', 120],
  ])('"%s" states %i minutes', (text, minutes) => {
    expect(statedDuration(text)?.minutes).toBe(minutes);
  });

  it.each([
    'I can be there in 30 minutes',
    'I will be 10 minutes late',
    'the call lasted an hour',
    'send it an hour before the meeting',
    'a few minutes',
    'our 1:1 at 9:30',
  ])('"%s" states no length', (text) => {
    expect(statedDuration(text)).toBeNull();
  });

  it('"quick call" is noticed but gives no length', () => {
    expect(quickMention('Could we do a quick call?')).toBe('quick call');
    expect(statedDuration('Could we do a quick call?')).toBeNull();
  });
});

describe('dayparts', () => {
  it.each([
    ['Tuesday or Wednesday afternoon', ['afternoon']],
    ['Are you still available Weds or Thurs a.m.', ['morning']],
    ['any morning except Friday', ['morning']],
    ['Evenings are better for me', ['evening']],
    ['mornings my time are hard', ['afternoon', 'evening']],
    ['anything after 2pm', ['afternoon']],
    ['before 4pm my time', ['morning', 'afternoon']],
    ['Let us meet Monday at 9.', ['morning']],
    ['at 3 then', ['afternoon']],
    ['after 5 days', []],
    ['from 14-16 May', []],
  ])('"%s" allows %j', (text, parts) => {
    expect(daypartsIn(text).dayparts).toEqual(parts);
  });
});

describe('weekday names', () => {
  it('"Mon-Wed" is a range of three days', () => {
    expect(weekdayGroups("I'm free Mon-Wed next week")[0]).toMatchObject({
      days: [1, 2, 3],
      modifier: 'nextWeek',
    });
  });

  it('"any day but Monday" and "Tuesday and Thursday are out" rule days out', () => {
    expect(weekdayGroups('any day but Monday')[0]?.excluded).toBe(true);
    expect(weekdayGroups('Tuesday and Thursday are out for me')[0]).toMatchObject({
      days: [2, 4],
      excluded: true,
    });
  });

  it('"Thursday works best" is a preference and "Tues 10/7" is attached to its date', () => {
    expect(weekdayGroups('Thursday works best')[0]?.preference).toBe(true);
    expect(weekdayGroups('Tues 10/7 or Wed 10/8')).toMatchObject([{ attached: true }, { attached: true }]);
  });

  it('"Tuesday\'s meeting" names no day to meet on; "Sat" and "sun" as words are not days', () => {
    expect(weekdayGroups("the slides from Tuesday's meeting")).toEqual([]);
    expect(weekdayGroups('I sat in the sun')).toEqual([]);
  });
});

describe('when: weeks, months and horizons', () => {
  it.each([
    ['next week', ['2025-03-17', '2025-03-21']],
    ['this week', ['2025-03-12', '2025-03-14']],
    ['later this week', ['2025-03-13', '2025-03-14']],
    ['early next week', ['2025-03-17', '2025-03-18']],
    ['end of next week', ['2025-03-20', '2025-03-21']],
    ['this week or next', ['2025-03-12', '2025-03-21']],
    ['the week after next', ['2025-03-24', '2025-03-28']],
    ['in two weeks', ['2025-03-24', '2025-03-28']],
    ['early next month', ['2025-04-01', '2025-04-10']],
    ['later this month', ['2025-03-13', '2025-03-31']],
    ['mid-April', ['2025-04-11', '2025-04-20']],
    ['the second half of May', ['2025-05-16', '2025-05-31']],
    ['sometime in July', ['2025-07-01', '2025-07-31']],
    ['during the month of February', ['2026-02-01', '2026-02-28']],
    ['in the next two weeks', ['2025-03-12', '2025-03-26']],
    ['over the next few days', ['2025-03-12', '2025-03-15']],
  ])('"%s" said on Wednesday 12 March is %j', (text, range) => {
    expect(when(text, WED).range).toEqual(range);
  });

  it('a weekend "this week" means the coming working week', () => {
    expect(when('this week', '2025-03-15T10:00:00+01:00').range).toEqual(['2025-03-17', '2025-03-21']);
  });
});

describe('when: dates', () => {
  it.each([
    ['Tuesday or Wednesday afternoon', ['2025-03-18', '2025-03-19']],
    ['Tuesday of next week', ['2025-03-18', '2025-03-18']],
    ['Friday next week', ['2025-03-21', '2025-03-21']],
    ['Mon-Wed next week', ['2025-03-17', '2025-03-19']],
    ['next Monday', ['2025-03-17', '2025-03-17']],
    ['this Friday', ['2025-03-14', '2025-03-14']],
    ['tomorrow', ['2025-03-13', '2025-03-13']],
    ['today or tomorrow', ['2025-03-12', '2025-03-13']],
    ['March 20', ['2025-03-20', '2025-03-20']],
    ['on the 20th', ['2025-03-20', '2025-03-20']],
    ['on the 5th', ['2025-04-05', '2025-04-05']],
    ['Tuesday the 8th', ['2025-04-08', '2025-04-08']],
    ['3/14', ['2025-03-14', '2025-03-14']],
    ['between the 18th and 21st', ['2025-03-18', '2025-03-21']],
    ['from March 18 to March 21', ['2025-03-18', '2025-03-21']],
    ['after the 15th', ['2025-03-16', '2025-03-29']],
    ['before April 2', ['2025-03-12', '2025-04-01']],
    ['by March 25', ['2025-03-12', '2025-03-25']],
    ['before Friday', ['2025-03-12', '2025-03-13']],
    ['the week of the 24th', ['2025-03-24', '2025-03-28']],
    ['the week of April 21', ['2025-04-21', '2025-04-25']],
    ['before the board meeting on the 20th', ['2025-03-12', '2025-03-19']],
    ['Friday, or early next week', ['2025-03-14', '2025-03-18']],
    ['for 30 minutes next week', ['2025-03-17', '2025-03-21']],
  ])('"%s" said on Wednesday 12 March is %j', (text, range) => {
    expect(when(text, WED).range).toEqual(range);
  });

  it('"next Thursday" said on a Wednesday is ambiguous; said on a Friday it is the coming Thursday', () => {
    expect(when('next Thursday', WED)).toMatchObject({
      range: null,
      ambiguities: ['"next Thursday" said on a Wednesday could be 2025-03-13 or 2025-03-20'],
    });
    expect(when('next Thursday', '2025-03-14T10:00:00+01:00')).toMatchObject({
      range: ['2025-03-20', '2025-03-20'],
      ambiguities: [],
    });
  });

  it('"this Monday" said on a Wednesday is ambiguous', () => {
    expect(when('this Monday', WED).ambiguities).toHaveLength(1);
    expect(when('this Monday', WED).range).toBeNull();
  });

  it('"3/4" is ambiguous unless a weekday or the thread\'s order settles it', () => {
    expect(when('on 3/4', WED)).toMatchObject({
      range: null,
      ambiguities: ['"3/4" could be March 4 or April 3'],
    });
    expect(when('on 3/4', WED, 'dmy').range).toEqual(['2025-04-03', '2025-04-03']);
    expect(when('Thursday 3/4', WED).range).toEqual(['2025-04-03', '2025-04-03']);
  });

  it('when a weekday matches both readings of a slashed date, the one within half a year wins', () => {
    // 9 October 2025 and 10 September 2026 are both Thursdays.
    expect(when('Thursday, 10/9', '2025-10-01T09:00:00+02:00').range).toEqual(['2025-10-09', '2025-10-09']);
  });

  it('weekday names inside a week asked for narrow it; ruled-out names do not', () => {
    expect(when('Next week works. Tuesday or Thursday?', WED)).toMatchObject({
      range: ['2025-03-18', '2025-03-20'],
      weekdays: [2, 4],
    });
    expect(when('Next week, any day but Monday.', WED)).toMatchObject({
      range: ['2025-03-17', '2025-03-21'],
      excludedWeekdays: [1],
    });
  });

  it('a preferred weekday does not narrow the days asked for', () => {
    expect(when('The week of the 24th, please. Thursday works best.', WED).range).toEqual([
      '2025-03-24',
      '2025-03-28',
    ]);
  });

  it('where the writer will be counts only when nothing else names a day', () => {
    expect(when("I'm in Tokyo this week; could we talk Monday or Tuesday?", WED).range).toEqual([
      '2025-03-17',
      '2025-03-18',
    ]);
    expect(when("I'm in Berlin next week; would love to meet up.", WED).range).toEqual([
      '2025-03-17',
      '2025-03-21',
    ]);
  });

  it("a full date opening a line on the sending day is the letter's date, not a proposal", () => {
    expect(when('Wednesday, March 12, 2025\nDear Ken: I request a meeting in April.', WED).range).toEqual([
      '2025-04-01',
      '2025-04-30',
    ]);
  });

  it('past dates and lengths are not days to meet', () => {
    expect(when('The meeting was on March 3.', WED).range).toBeNull();
    expect(when('Can we get an hour?', WED).range).toBeNull();
  });
});

describe('intent', () => {
  it.each([
    "I'm cc'ing my assistant to find us a time",
    'Could we do a quick call Tuesday?',
    'Happy to meet.',
    'Can we schedule the quarterly review for 3/14?',
    'Can we push our call to next month?',
    'Unfortunately, I need to reschedule.',
    'Need 30 minutes with you before Friday.',
    'It may be worthwhile for us to have a quick phone call to discuss.',
    'Are you still free Thursday morning',
    'Does Thursday at 3 work for you?',
    'Let me know when you are free.',
    'What does your calendar look like next week?',
  ])('"%s" asks for a meeting', (text) => {
    expect(askToMeet(text)).not.toBeNull();
  });

  it.each([
    "Can you send me the slides from Tuesday's meeting?",
    'The meeting yesterday went well, thanks everyone.',
    'Looking forward to our meeting on Thursday at 10am!',
    "Let's talk soon!",
    'If you have any questions, do not hesitate to give me a call.',
    'Please plan to dial into our conference call at 8:00 AM Pacific time.',
    'Please review the draft and send comments by Friday.',
    'Your call with Dr. Meyer is confirmed for Wednesday at 11:00.',
    'Are you available to review the contract?',
    'Would this approach work for you?',
  ])('"%s" does not', (text) => {
    expect(askToMeet(text)).toBeNull();
  });

  it('a message that only mentions a meeting is not wanted, with low confidence (a model may be asked)', () => {
    expect(messageIntent(['We will also discuss promotions during this meeting.'])).toMatchObject({
      wanted: false,
      confidence: 0.55,
    });
  });

  it('a message that cancels says so', () => {
    expect(messageIntent(['Meeting cancelled, sorry.'])).toMatchObject({ wanted: false, cancels: true });
  });
});

describe('askToMeet: copying the assistant for another errand', () => {
  it.each([
    ['Adding my assistant for the invoice question.', false],
    ["I'm cc'ing my assistant to handle the payment.", false],
    ["I'm CC'ing my assistant, who will find us a time next week.", true],
    ['Adding my assistant for scheduling.', true],
    ['Looping in my assistant to find a time.', true],
  ])('%j → %s', (sentence, asks) => {
    expect(askToMeet(sentence) !== null).toBe(asks);
  });
});
