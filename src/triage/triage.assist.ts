import type { NormalizedMessage } from '../ingest/message.model.ts';
import { ModelError } from '../llm/llm.errors.ts';
import type { ModelClient } from '../llm/llm.model.ts';
import type { TriageResult } from './triage.model.ts';
import { buildTriagePrompt, triageAnswerSchema } from './triage.prompt.ts';

/** Whether the model was asked about a message, and why — journaled either way. */
export interface ModelTriageNote {
  asked: boolean;
  reason: string;
  /** What the model answered (when asked and it answered). */
  answer?: { category: string; ask: string; confidence: number; reason: string; cached: boolean };
  /** The failure, when asked and it failed: the rules' result stands. */
  error?: string;
}

/** Categories only headers decide: a model's opinion must never turn these into something to act on. */
const RULE_ONLY = new Set(['bounce', 'auto_reply', 'spam', 'newsletter']);

/**
 * The rules decide what they can; the model is asked only when they are unsure. Never for machine
 * mail, our own mail, replies to our approval requests (those are verified, not classified), or
 * a category that header facts settled.
 */
export function shouldAskModel(
  rules: TriageResult,
  opts: { modelConfigured: boolean; threshold: number },
): ModelTriageNote {
  if (rules.automatic) return { asked: false, reason: 'machine-sent mail: the rules decide' };
  if (rules.ownMail) return { asked: false, reason: 'our own mail: the rules decide' };
  if (rules.addressing === 'approval_reply')
    return { asked: false, reason: 'an approval reply is verified, not classified' };
  if (RULE_ONLY.has(rules.category))
    return { asked: false, reason: `${rules.category} is decided from headers` };
  if (rules.confidence >= opts.threshold) {
    return { asked: false, reason: `rules sure enough (confidence ${rules.confidence} ≥ ${opts.threshold})` };
  }
  if (!opts.modelConfigured) {
    return {
      asked: false,
      reason: `rules unsure (confidence ${rules.confidence}) and no model configured: rules stand`,
    };
  }
  return {
    asked: true,
    reason: `rules unsure (confidence ${rules.confidence} < ${opts.threshold}): model asked`,
  };
}

/**
 * Rules first, then the model where they are unsure. Never throws: any model failure (timeout,
 * 5xx, invalid JSON, schema mismatch, refusal, unreachable) leaves the rules' result in place
 * and says so. The model may change only the category; addressing, requester and the
 * automatic flag are facts from headers.
 */
export async function assistTriage(
  msg: NormalizedMessage,
  rules: TriageResult,
  deps: { model: ModelClient | null; threshold: number; ownerName: string },
): Promise<{ triage: TriageResult; note: ModelTriageNote }> {
  const note = shouldAskModel(rules, { modelConfigured: deps.model !== null, threshold: deps.threshold });
  if (!note.asked || !deps.model) return { triage: rules, note };
  const prompt = buildTriagePrompt(msg, rules, deps.ownerName);
  try {
    const res = await deps.model.complete({
      label: 'triage.category',
      schemaName: 'triage',
      schema: triageAnswerSchema,
      ...prompt,
    });
    const a = res.value;
    const answer = { ...a, cached: res.cached };
    if (a.confidence < 0.5) {
      return {
        triage: rules,
        note: { ...note, answer, reason: `${note.reason}; model unsure too (${a.confidence}): rules stand` },
      };
    }
    const triage: TriageResult = {
      ...rules,
      category: a.category,
      confidence: Math.round(a.confidence * 100) / 100,
      reasons: [...rules.reasons, `model: ${a.category} (${a.confidence}) — ${a.reason}`],
    };
    return { triage, note: { ...note, answer } };
  } catch (err) {
    // Only the model's failures are absorbed; a database fault (the ledger) retries the job.
    if (!(err instanceof ModelError)) throw err;
    const error = `${err.code}: ${err.message}`;
    return { triage: rules, note: { ...note, reason: `${note.reason}; model failed, rules stand`, error } };
  }
}
