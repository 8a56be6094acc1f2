import { z } from 'zod';
import type { ModelClient } from '../../../llm/llm.model.ts';
import { describeError } from '../../../shared/errors.ts';
import type { MeetingRequest, SchedulingMessage, UnderstandContext } from './understand.model.ts';
import { buildIntentPrompt } from './understand.prompt.ts';
import { understandMeetingRequest } from './understand.ts';

/**
 * The rules' answer, with a model's second opinion on intent only when the rules are unsure
 * (a meeting mentioned but no clear ask) and a model is configured. With `model` null this is
 * `understandMeetingRequest`. Never throws: a failed model call leaves the rules' answer, with
 * the error in `reasons`.
 */

export const INTENT_LABEL = 'scheduling.intent';
/** Rules' confidence below which the model is asked. */
export const UNSURE_BELOW = 0.7;

export const IntentAnswer = z.object({
  wanted: z.boolean(),
  confidence: z.number(),
  reason: z.string(),
});
export type IntentAnswer = z.infer<typeof IntentAnswer>;

export async function understandWithModel(
  thread: readonly SchedulingMessage[],
  ctx: UnderstandContext & { ownerName: string },
  model: ModelClient | null,
): Promise<MeetingRequest> {
  const rules = understandMeetingRequest(thread, ctx);
  if (model === null || rules.confidence >= UNSURE_BELOW) return rules;
  let answer: IntentAnswer;
  try {
    const prompt = buildIntentPrompt(
      thread.filter((m) => m.from?.address.toLowerCase() !== ctx.assistantEmail.toLowerCase()),
      ctx.ownerName,
    );
    answer = (
      await model.complete({
        label: INTENT_LABEL,
        ...prompt,
        schema: IntentAnswer,
        schemaName: 'meeting_intent',
      })
    ).value;
  } catch (err) {
    return { ...rules, reasons: [...rules.reasons, `model not asked about intent: ${describeError(err)}`] };
  }
  const first = thread.find(
    (m) => m.from && m.from.address.toLowerCase() !== ctx.assistantEmail.toLowerCase(),
  );
  return {
    ...rules,
    wanted: answer.wanted,
    confidence: Math.min(Math.max(answer.confidence, 0), 1),
    requester: answer.wanted ? (rules.requester ?? first?.from?.address.toLowerCase() ?? null) : null,
    reasons: [
      ...rules.reasons,
      `model (rules unsure at ${rules.confidence}): ${answer.wanted ? 'wanted' : 'not wanted'}, ${answer.reason}`,
    ],
  };
}
