import { clip, dataSection, mailIsData } from '../../../llm/llm.prompt.ts';
import type { SchedulingMessage } from './understand.model.ts';
import { newTextOf } from './understand.text.ts';

/**
 * The prompt for the one question the rules may hand to a model: does this thread ask for a
 * meeting? Only intent: dates, zones and invitees stay with the rules, so a model can never add a
 * recipient or move a day. The thread travels only inside a data section. Pure and deterministic
 * (identical calls are cached).
 */

const RULES = [
  'Read the section "thread": an email thread, oldest message first, each with its sender and the words it newly wrote.',
  'Decide whether anyone in it asks to set up a new meeting or call, or to move one (reschedule), that still needs a time.',
  'A meeting that is already fixed, confirmed, cancelled or in the past, an invitation to a webinar or event, ' +
    'a courtesy line such as "call me if you have questions", or a sign-off such as "talk soon" is not a request.',
  'Answer wanted (true or false), confidence from 0 to 1, and reason: one short sentence to the owner.',
].join('\n');

/** System and user messages for `scheduling.intent`. */
export function buildIntentPrompt(
  thread: readonly SchedulingMessage[],
  ownerName: string,
): { system: string; user: string } {
  const messages = thread.map((m) => ({
    from: m.from?.address ?? null,
    date: m.date,
    text: clip(newTextOf(m), 2_000),
  }));
  return { system: `${mailIsData(ownerName)}\n\n${RULES}`, user: dataSection('thread', { messages }) };
}
