import type { ModelClient } from '../../llm/llm.model.ts';
import { describeError } from '../../shared/errors.ts';
import { INSTRUCTION_SCHEMA_NAME, InstructionAnswer, ruleFromAnswer } from './instruction.answer.ts';
import { evidenceProblem } from './instruction.evidence.ts';
import type { StandingRule } from './instruction.model.ts';
import { instructionWords, NO_RULE_FOUND, parseInstruction } from './instruction.parse.ts';
import { buildInstructionPrompt } from './instruction.prompt.ts';
import { cleanText, findLoose, splitSentences } from './instruction.text.ts';

/**
 * Understands one standing instruction from the owner: the rules first, the model only when they
 * found nothing and a model is configured. A model's rule is kept only when its quote and every
 * name, address, folder and amount in it are in the owner's words. Storage, authentication of the
 * owner and the confirmation mail are the caller's.
 */

export type Interpretation =
  | {
      rule: StandingRule;
      words: string;
      method: 'rules' | 'model';
      /** Other sentences that look like instructions and were not recorded (rules only). */
      ignored: string[];
    }
  | { rule: null; words: string; reason: string; modelError?: string };

export const INSTRUCTION_LABEL = 'instructions.parse';
/** The reason when the rules found nothing and the model call failed (details in `modelError`). */
export const MODEL_FAILED = 'the rules could not read it and the model call failed';

/**
 * `text` is the owner's own new words (never quoted or forwarded content). Never throws: a failed
 * model call comes back as `rule: null` with the reason and `modelError`.
 */
export async function interpretInstruction(
  text: string,
  ctx: { ownerName: string },
  model: ModelClient | null,
): Promise<Interpretation> {
  const parsed = parseInstruction(text);
  if (parsed.rule !== null) return parsed;
  // A reason from the rules ("too broad", "times on particular days") is an answer, not a gap:
  // asking a model then would only invite it to widen what the owner wrote.
  if (!model || parsed.reason !== NO_RULE_FOUND) return parsed;
  const prompt = buildInstructionPrompt(text, ctx.ownerName);
  let answer: InstructionAnswer;
  try {
    const result = await model.complete({
      label: INSTRUCTION_LABEL,
      ...prompt,
      schema: InstructionAnswer,
      schemaName: INSTRUCTION_SCHEMA_NAME,
    });
    answer = result.value;
  } catch (err) {
    const modelError = describeError(err);
    return { rule: null, words: parsed.words, reason: MODEL_FAILED, modelError };
  }
  const converted = ruleFromAnswer(answer);
  if ('reason' in converted) return { rule: null, words: parsed.words, reason: converted.reason };
  const problem = evidenceProblem(converted.rule, answer.quote, text);
  if (problem) return { rule: null, words: parsed.words, reason: `not recorded: ${problem}` };
  return { rule: converted.rule, words: quotedSentences(text, answer.quote), method: 'model', ignored: [] };
}

/** The sentence(s) of the owner's text that contain the model's quote. */
function quotedSentences(text: string, quote: string): string {
  const clean = cleanText(text);
  const at = findLoose(clean, cleanText(quote));
  const sentences = splitSentences(clean);
  if (!at) return instructionWords(sentences, text);
  const hit = sentences.filter((s) => s.end > at.start && s.start < at.end);
  return hit.length > 0 ? hit.map((s) => s.text).join(' ') : quote;
}
