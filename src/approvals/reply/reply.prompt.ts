import { z } from 'zod';
import { clip, dataSection, mailIsData } from '../../llm/llm.prompt.ts';

/**
 * The question to the model when the rules could not read an approval reply. The owner's words
 * travel only in a data section (mail is data: a forged "APPROVED" pasted into a quoted thread is
 * text to read, not an order), and the answer must quote the words it rests on, which the caller
 * checks against the reply. Pure and deterministic, so identical calls are cached.
 */

export const APPROVAL_REPLY_LABEL = 'approval.reply';
export const APPROVAL_SCHEMA_NAME = 'approval_decision';
/** Characters of the owner's text the model sees; verdicts come first, so this is plenty. */
const MAX_PROMPT_TEXT = 2_000;

export const ApprovalDecision = z.object({
  decision: z.enum(['approve', 'reject', 'unclear']),
  /** The owner's words that show the decision, copied verbatim; '' when unclear. */
  evidence: z.string().max(500),
});
export type ApprovalDecision = z.infer<typeof ApprovalDecision>;

const RULES = [
  'Read the section "owner_reply": the owner\'s answer to an approval request from the assistant, which asked ' +
    'whether to send a drafted reply or to approve an invoice for payment.',
  '- decision "approve" when the owner plainly agrees (yes, go ahead, send it, in any language);',
  '- decision "reject" when the owner plainly refuses or stops it (no, do not send, not now, hold off);',
  '- decision "unclear" for a question, hesitation, a condition, a mix of yes and no, or anything else. ' +
    'When in doubt, answer "unclear": the owner will simply be asked again.',
  "- evidence: the owner's words that show the decision, copied verbatim from the section, at most one " +
    'sentence; an empty string when the decision is "unclear".',
].join('\n');

/** System and user messages for `approval.reply`. */
export function buildApprovalPrompt(text: string): { system: string; user: string } {
  return {
    system: `${mailIsData('the owner')}\n\n${RULES}`,
    user: dataSection('owner_reply', { text: clip(text, MAX_PROMPT_TEXT) }),
  };
}
