/**
 * Reads the owner's answer to an approval email into a decision: approve, reject or unclear, the
 * edited draft if the owner changed the text between the markers, and field corrections for a
 * payment. Verification (DKIM, token) is done before this and is not repeated here.
 *
 * How the parts combine:
 * - The verdict comes from the first lines of the owner's new text (`reply.words.ts`), never from
 *   quoted text. Both yes and no, a question, a hedge or a condition → unclear.
 * - An edited draft with no verdict is a yes ("send this instead"); with a no, it is a no.
 * - Corrections are read only when `acceptsCorrections` (payments). With a yes they ride along
 *   (approve + corrections); with a no they are still returned (reject); without any verdict
 *   the decision is 'unclear' *with the corrections filled*: corrections alone are not consent
 *   to pay, so the caller applies them and asks again with the corrected values.
 * - A date that could mean two days ("next Friday") or a value that cannot be read is left out,
 *   and the reason says so.
 *
 * `readApprovalReplyWithModel` asks a model only when the rules found nothing to go on (unclear
 * for want of a verdict or because of a hedge; no edit, no corrections), and keeps its answer only
 * when the words it quotes are in the owner's text and the rules do not read those words otherwise.
 *
 * Both functions never throw; input is clipped first, so time is linear and bounded.
 */
import type { ModelClient } from '../../llm/llm.model.ts';
import { describeError } from '../../shared/errors.ts';
import {
  comparable,
  type DraftReading,
  insertedDraftLines,
  readDraft,
  withoutDraftBlock,
} from './reply.draft.ts';
import { readCorrections } from './reply.fields.ts';
import { decisionText } from './reply.lines.ts';
import { type ApprovalAnswer, LIMITS, type ReplyInput } from './reply.model.ts';
import {
  APPROVAL_REPLY_LABEL,
  APPROVAL_SCHEMA_NAME,
  ApprovalDecision,
  buildApprovalPrompt,
} from './reply.prompt.ts';
import { reasonOf } from './reply.reason.ts';
import { readVerdict, type Verdict } from './reply.words.ts';

export type { ApprovalAnswer, CorrectionField, FieldCorrection, ReplyInput } from './reply.model.ts';

const clipped = (text: string | null | undefined, max: number): string =>
  (typeof text === 'string' ? text : '').slice(0, max).replace(/\r\n?/g, '\n');

/** The owner's own words: the new text without any draft block pasted into it. */
function ownWords(input: ReplyInput): string {
  const inserted =
    input.draft === null ? new Set<string>() : insertedDraftLines(clipped(input.fullText, LIMITS.fullText));
  return withoutDraftBlock(clipped(input.replyText, LIMITS.replyText), inserted);
}

function decide(v: Verdict, draft: DraftReading): ApprovalAnswer['decision'] {
  if (v.kind === 'yes') return 'approve';
  if (v.kind === 'no') return 'reject';
  if (v.kind === 'none' && draft.status === 'edited') return 'approve';
  return 'unclear';
}

function readByRules(input: ReplyInput): { answer: ApprovalAnswer; verdict: Verdict } {
  const own = ownWords(input);
  const draft = readDraft(
    clipped(input.fullText, LIMITS.fullText),
    input.draft === null ? null : clipped(input.draft, LIMITS.draft),
  );
  const fields = input.acceptsCorrections
    ? readCorrections(own, input.today)
    : { corrections: [], problems: [], rest: own };
  const decisive = decisionText(fields.rest);
  const verdict = readVerdict(decisive);
  const decision = decide(verdict, draft);
  const answer: ApprovalAnswer = {
    decision,
    editedDraft: draft.status === 'edited' ? draft.text : null,
    corrections: fields.corrections,
    reason: reasonOf({ verdict, decision, draft, ...fields, decisive }),
    method: 'rules',
  };
  return { answer, verdict };
}

/** The rules' answer, and their verdict (null when reading failed). Never throws. */
function readSafely(input: ReplyInput): { answer: ApprovalAnswer; verdict: Verdict | null } {
  try {
    return readByRules(input);
  } catch (err) {
    const reason = `unclear: the reply could not be read (${describeError(err)})`;
    return {
      answer: { decision: 'unclear', editedDraft: null, corrections: [], reason, method: 'rules' },
      verdict: null,
    };
  }
}

/** Reads an approval reply by rules alone. Never throws. */
export function readApprovalReply(input: ReplyInput): ApprovalAnswer {
  return readSafely(input).answer;
}

const KIND_WORDS: Record<Verdict['kind'], string> = {
  yes: 'a yes',
  no: 'a no',
  both: 'both yes and no',
  question: 'a question',
  hedge: 'hesitant',
  condition: 'a condition',
  none: 'nothing',
};

/** Keeps the model's verdict only when its evidence is the owner's and the rules agree or are silent. */
function judge(rules: ApprovalAnswer, answer: ApprovalDecision, own: string): ApprovalAnswer {
  if (answer.decision === 'unclear')
    return { ...rules, reason: `${rules.reason}; the model could not tell either` };
  const evidence = comparable(answer.evidence).toLowerCase();
  const said = answer.decision === 'approve' ? 'yes' : 'no';
  const refuse = (why: string): ApprovalAnswer => ({
    ...rules,
    reason: `${rules.reason}; the model read ${said.toUpperCase()} but ${why}, so it is not taken`,
  });
  if (evidence.length < 2) return refuse('it quoted no words');
  if (!comparable(own).toLowerCase().includes(evidence))
    return refuse('the words it quoted are not in the reply');
  const kind = readVerdict(answer.evidence).kind;
  if (kind !== 'none' && kind !== said) return refuse(`the rules read its quote as ${KIND_WORDS[kind]}`);
  const quoted = answer.evidence.replace(/\s+/g, ' ').trim();
  return {
    decision: answer.decision,
    editedDraft: null,
    corrections: [],
    reason: `read as ${said.toUpperCase()} by the model: "${quoted.length > 80 ? `${quoted.slice(0, 77)}…` : quoted}"`,
    method: 'model',
  };
}

/**
 * The rules' unclear readings a model may settle: no verdict words at all ("ship it", "let's do
 * that"). A hedge ("hmm, maybe go ahead"), a question, a condition or both yes and no are answers
 * in themselves — "I don't know" — and asking a model would only invite it to pick a side for the
 * owner; those are asked back instead.
 */
const GAPS: ReadonlySet<Verdict['kind']> = new Set(['none']);

/**
 * Rules first; a model only when they found nothing to go on. Never throws: a failing model
 * (any ModelError, or anything else it throws) leaves the rules' answer, with the failure in the reason.
 */
export async function readApprovalReplyWithModel(
  input: ReplyInput,
  model: ModelClient | null,
): Promise<ApprovalAnswer> {
  const { answer: rules, verdict } = readSafely(input);
  if (!model || rules.decision !== 'unclear' || rules.corrections.length > 0 || rules.editedDraft !== null)
    return rules;
  if (!verdict || !GAPS.has(verdict.kind)) return rules;
  try {
    const own = ownWords(input);
    if (own.trim() === '') return rules;
    const result = await model.complete({
      label: APPROVAL_REPLY_LABEL,
      schemaName: APPROVAL_SCHEMA_NAME,
      schema: ApprovalDecision,
      ...buildApprovalPrompt(own),
    });
    return judge(rules, result.value, own);
  } catch (err) {
    return {
      ...rules,
      reason: `${rules.reason}; the model failed (${describeError(err)}), so the rules' reading stands`,
    };
  }
}
