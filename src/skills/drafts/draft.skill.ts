import { ModelError } from '../../llm/llm.errors.ts';
import type { ModelClient } from '../../llm/llm.model.ts';
import { urlsIn } from '../../shared/outbound-text.ts';
import type { DraftContext, DraftRequest, ReplyDraft } from './draft.model.ts';
import { modelDraftBody } from './draft.output.ts';
import { buildDraftPrompt, type DraftAnswer, draftAnswerSchema } from './draft.prompt.ts';
import { chooseRecipients } from './draft.recipients.ts';
import { findPlaceholders, templateDraft } from './draft.template.ts';
import { replySubject, replyThreading } from './draft.threading.ts';

/**
 * Proposes a reply draft. Recipients and threading are settled from the thread's headers first;
 * the model (when there is one) only writes the body, which is then stripped of invisible
 * characters and sanitized (no images, no links that were not in the thread). A model that fails
 * in any way — timeout, HTTP error, invalid JSON, schema mismatch, refusal — yields the template
 * draft with a warning naming the failure: this never rejects for a model failure. Other errors
 * (a broken ledger, a bug) are not the model's and propagate. Pure except for the model call.
 */
export async function proposeReplyDraft(
  req: DraftRequest,
  ctx: DraftContext,
  model: ModelClient | null,
): Promise<ReplyDraft> {
  const recipients = chooseRecipients(req.thread, req.recipientHint, ctx);
  const basis = recipients.answered ?? req.thread.at(-1) ?? null;
  const allowed = allowedUrls(req);
  const base = {
    to: recipients.to,
    cc: recipients.cc,
    subject: replySubject(basis?.subject ?? ''),
    ...replyThreading(basis),
    unresolvedRecipient: recipients.unresolvedRecipient,
  };
  const fromTemplate = (why: string[]): ReplyDraft => ({
    ...base,
    ...templateDraft(req, ctx, recipients.to, recipients.answered, allowed),
    method: 'template',
    warnings: [...recipients.warnings, ...why],
  });
  if (model === null) return fromTemplate([]);

  let answer: DraftAnswer;
  try {
    const { system, user } = buildDraftPrompt(req, ctx);
    const result = await model.complete({
      label: 'draft.reply',
      schemaName: 'reply_draft',
      system,
      user,
      schema: draftAnswerSchema,
    });
    answer = result.value;
  } catch (err) {
    if (!(err instanceof ModelError)) throw err;
    return fromTemplate([
      `the model could not draft this reply (${err.code}: ${err.message}); drafted from a template`,
    ]);
  }
  const out = modelDraftBody(answer, allowed, req.thread, ctx);
  if (out.body === '') return fromTemplate(['the model returned an empty draft; drafted from a template']);
  return {
    ...base,
    body: out.body,
    method: 'model',
    placeholders: findPlaceholders(out.body),
    warnings: [...recipients.warnings, ...out.warnings],
    removed: out.removed,
  };
}

/** Links a draft may contain: those written anywhere in the thread or in the owner's instruction. */
export function allowedUrls(req: DraftRequest): string[] {
  const texts = [...req.thread.flatMap((m) => [m.text, m.replyText]), req.instruction ?? ''];
  return [...new Set(texts.flatMap(urlsIn))];
}
