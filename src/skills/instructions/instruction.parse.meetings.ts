import { checked, type SentenceResult } from './instruction.parse.result.ts';
import { parseClock, TIME, weekdaysIn } from './instruction.when.ts';

/**
 * Meeting rules from one sentence: "I don't take meetings on Fridays", "no meetings on Fridays or
 * before 10am", "never schedule meetings on weekends". Pure.
 *
 * The rule shape blocks whole days and sets an earliest start / latest end for every day. A time on
 * particular days only ("Friday afternoons", "Fridays before 10am") does not fit that shape, so it is
 * reported as not understood rather than widened to a whole day or narrowed to every day.
 */

const MEETING = /\b(?:meetings?|calls?|appointments?|anything|termine|besprechungen|meetings)\b/i;
const CUES: RegExp[] = [
  /\b(?:i )?(?:don'?t|do not|never|won'?t|can'?t|cannot)\s+(?:ever\s+)?(?:take|do|have|accept|want|schedule|book|propose|put|attend|set up|plan)\b/i,
  /\bno\s+(?:\w+\s+)?(?:meetings?|calls?|appointments?)\b/i,
  /\bkeine\b/i,
  /\bavoid\s+(?:scheduling\s+)?(?:meetings?|calls?|anything)\b/i,
];
const KEEP_FREE = /\bkeep\s+(?<days>.+?)\s+(?:free|clear|meeting-free|open)\b/i;

const DAY =
  '(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?|tuesdays?|wednesdays?|thursdays?|saturdays?|montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonntags?';
const PART_OF_DAY =
  'before|after|until|till|mornings?|afternoons?|evenings?|vor|nach|vormittags?|nachmittags?|abends?';
const DAY_WITH_TIME = new RegExp(
  String.raw`\b(?:${DAY})\s+(?:${PART_OF_DAY})\b|\b(?:mornings?|afternoons?|evenings?)\s+on\s+(?:${DAY})\b`,
  'i',
);
const BEFORE = new RegExp(String.raw`\b(?:before|earlier than|vor)\s+(${TIME})`, 'i');
const AFTER = new RegExp(String.raw`\b(?:after|past|later than|nach)\s+(${TIME})`, 'i');
const MORNINGS = /\b(?:in the mornings?|mornings|morning (?:meetings?|calls?)|vormittags)\b/i;
const AFTERNOONS = /\b(?:in the afternoons?|afternoons|afternoon (?:meetings?|calls?)|nachmittags)\b/i;
const EVENINGS = /\b(?:in the evenings?|evenings|evening (?:meetings?|calls?)|abends)\b/i;

/**
 * `HH:MM` for a time in a meeting rule. A bare hour from 1 to 6 without am/pm or a leading zero
 * ("after 5") means the afternoon: nobody blocks meetings after five in the morning.
 */
function meetingClock(raw: string): string | null {
  const clock = parseClock(raw);
  if (!clock) return null;
  const bare = /^([1-6])(?:[:.]\d{2})?$/.test(raw.trim());
  return bare ? `${String(Number(clock.slice(0, 2)) + 12)}${clock.slice(2)}` : clock;
}

/** A meeting rule in `sentence`, a reason it cannot be recorded, or null if it is none. */
export function parseMeetingRule(sentence: string): SentenceResult | null {
  const keep = KEEP_FREE.exec(sentence);
  const cued = CUES.some((re) => re.test(sentence)) && MEETING.test(sentence);
  if (!cued && !(keep?.groups?.days && weekdaysIn(keep.groups.days).length > 0)) return null;
  const days = weekdaysIn(sentence);
  const beforeRaw = BEFORE.exec(sentence)?.[1];
  const afterRaw = AFTER.exec(sentence)?.[1];
  let before = beforeRaw === undefined ? null : meetingClock(beforeRaw);
  let after = afterRaw === undefined ? null : meetingClock(afterRaw);
  if ((beforeRaw !== undefined && !before) || (afterRaw !== undefined && !after)) {
    return { reason: 'I could not read the time of day' };
  }
  if (DAY_WITH_TIME.test(sentence)) {
    return {
      reason:
        'I can block whole days, or set an earliest start and latest end for every day, but not times on particular days only',
    };
  }
  if (!before && MORNINGS.test(sentence)) before = '12:00';
  if (!after && AFTERNOONS.test(sentence)) after = '12:00';
  if (!after && EVENINGS.test(sentence)) after = '18:00';
  if (days.length === 0 && !before && !after) {
    return cued && /\b(?:meetings?|calls?|appointments?|termine|besprechungen)\b/i.test(sentence)
      ? { reason: 'a meeting rule needs weekdays or times of day' }
      : null;
  }
  return checked({ kind: 'no_meetings', days, before, after });
}
