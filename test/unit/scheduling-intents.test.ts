import { describe, expect, it } from 'vitest';
import { asksToCancel, asksToMove } from '../../src/skills/scheduling/meeting/meeting.intents.ts';

// Whether a message in a booked meeting's thread asks to cancel or move it: only when the ask is
// about the meeting, and not negated earlier in its sentence.
describe('asksToCancel / asksToMove', () => {
  it.each([
    ['Sorry both, I have to call this off - please cancel the meeting.', true],
    ["let's cancel this, no need to meet", true],
    ['The meeting is cancelled.', true],
    ['Please cancel it.', true],
    ['Great, I cancelled my other call so Tuesday works', false],
    ['I had to cancel my flight but I will dial in', false],
    ['Please do not, under any circumstances, cancel it', false],
    ['No need to cancel the meeting', false],
  ])('cancel: %j → %s', (text, expected) => {
    expect(asksToCancel(text)).toBe(expected);
  });

  it.each([
    ['Something came up - could we move it to Tuesday?', true],
    ["I can't make it on Tuesday any more", true],
    ['Can we reschedule?', true],
    ["Let's not move it, Tuesday is fine", false],
    ['See you Tuesday!', false],
  ])('move: %j → %s', (text, expected) => {
    expect(asksToMove(text)).toBe(expected);
  });
});
