import { appendJournal } from '../journal/journal.repository.ts';
import { dayIn } from '../shared/clock.ts';
import { findPlaceholders } from '../skills/drafts/draft.template.ts';
import type { StoredMessage } from '../skills/thread.ts';
import type { TriageResult } from '../triage/triage.model.ts';
import { correctPayment } from './approval.corrections.ts';
import { handleDigestAnswer } from './approval.digest.ts';
import { amountChanges, draftBlock, parseDraftBlock, recipientChanges } from './approval.draft.ts';
import type { ApprovalRound, ShownPayment, ShownReply } from './approval.model.ts';
import {
  approve,
  type Ctx,
  clarify,
  type HandledReply,
  newRound,
  notReady,
  type ReplyDeps,
  refuse,
  reject,
} from './approval.outcomes.ts';
import { toRound } from './approval.repository.ts';
import { readyToExecute } from './approval.shown.ts';
import { verifyApprovalReply, verifyDigestReply } from './approval.verify.ts';
import { type ApprovalAnswer, readApprovalReplyWithModel } from './reply/reply.read.ts';

export type { HandledReply, ReplyDeps, ReplyOutcome } from './approval.outcomes.ts';

/**
 * The owner's answer to an approval request: verified (approval.verify.ts), read into a typed
 * decision (reply/), then exactly one of — execute as shown or as edited; open a new round when an
 * edit changes recipients or amounts; reject; ask back once when unsure; or refuse and tell the
 * owner why. The decision is a compare-and-set on the open round in the same transaction as its
 * execution, so a second "yes", a replay or a stalled job that runs twice does nothing twice.
 */

export async function handleApprovalReply(deps: ReplyDeps, messageId: string): Promise<HandledReply> {
  const row = await deps.db
    .selectFrom('messages')
    .select(['id', 'raw', 'parsed', 'triage', 'thread_id', 'subject', 'from_address'])
    .where('id', '=', messageId)
    .executeTakeFirst();
  if (!row?.raw || !row.parsed || !row.triage)
    return { outcome: { kind: 'refused', code: 'missing', reason: 'message not stored' }, sendIds: [] };
  const parsed = row.parsed as StoredMessage;
  const now = deps.clock.now();
  // One signature check per message, whichever kind of request it answers.
  let verdict: ReturnType<ReplyDeps['authenticate']> | null = null;
  const input = {
    raw: row.raw,
    parsed,
    triage: row.triage as TriageResult,
    ownerEmail: deps.config.owner.email,
    assistantEmail: deps.config.assistant.email,
    now,
    authenticate: (raw: Buffer) => {
      verdict ??= deps.authenticate(raw);
      return verdict;
    },
  };
  const ctx: Ctx = { deps, messageId, parsed, now };
  // An answer to a daily digest ("approve 1 3, reject 2"): the same checks, then item by item.
  const d = await verifyDigestReply(deps.db, input);
  if (d.ok) return handleDigestAnswer(ctx, d.digest, d.via);
  if (d.digest) return refuse(ctx, d.code, d.reason, null, d.tellOwner);
  const v = await verifyApprovalReply(deps.db, input);
  // A retry of this very answer (a crash after its decision committed): already done.
  if (!v.ok && v.round?.decided_by_message === messageId)
    return {
      outcome: { kind: 'refused', code: 'done', reason: 'already decided by this message' },
      sendIds: [],
    };
  if (!v.ok) return refuse(ctx, v.code, v.reason, v.round, v.tellOwner);

  const round = toRound(v.round);
  const shown = round.shown;
  const answer = await readApprovalReplyWithModel(
    {
      replyText: parsed.replyText,
      fullText: parsed.text,
      draft: shown.type === 'reply' ? draftBlock(shown) : null,
      acceptsCorrections: shown.type === 'payment',
      today: dayIn(now, deps.config.owner.timeZone),
    },
    deps.model,
  );
  await appendJournal(deps.db, {
    actor: 'owner',
    action: 'approval_answer_read',
    reason: answer.reason,
    messageId,
    threadId: row.thread_id,
    proposalId: round.proposalId,
    approvalId: round.id,
    data: {
      decision: answer.decision,
      edited: answer.editedDraft !== null,
      corrections: answer.corrections,
      method: answer.method,
      verifiedBy: v.verdict.method,
      via: v.via,
    },
  });
  return shown.type === 'reply'
    ? decideReply(ctx, round, shown, answer)
    : decidePayment(ctx, round, shown, answer);
}

// ── reply drafts ───────────────────────────────────────────────────────────────────────────────

async function decideReply(
  ctx: Ctx,
  round: ApprovalRound,
  shown: ShownReply,
  a: ApprovalAnswer,
): Promise<HandledReply> {
  if (a.decision === 'reject') return reject(ctx, round, a);
  // Hesitant or conditional words ("not sure", "send it Monday") are never a yes. Without an edit
  // they are asked about once; with one, the edit is kept and shown back as a new round to confirm
  // (the reader returns 'approve' for an edited draft with no words at all).
  if (a.decision === 'unclear' && a.editedDraft === null) return clarify(ctx, round, a);
  let next: ShownReply = shown;
  let changes: string[] = [];
  if (a.editedDraft !== null) {
    const ed = parseDraftBlock(a.editedDraft);
    if (ed.invalid.length > 0) {
      return notReady(ctx, round, `these recipients are not e-mail addresses: ${ed.invalid.join(', ')}`);
    }
    next = {
      ...shown,
      to: ed.to ?? shown.to,
      cc: ed.cc ?? shown.cc,
      body: ed.body,
      method: 'owner',
      placeholders: findPlaceholders(ed.body),
      unresolvedRecipient: ed.to && ed.to.length > 0 ? null : shown.unresolvedRecipient,
    };
    changes = [...recipientChanges(shown, ed), ...amountChanges(shown.body, ed.body)];
  }
  if (a.decision === 'unclear') {
    const why = `You edited the text but did not say yes (${a.reason}): confirm this version.`;
    return newRound(ctx, round, next, [...changes, why], a);
  }
  // An edit that changes who gets it or the amounts in it is shown again before it is sent.
  if (changes.length > 0) return newRound(ctx, round, next, changes, a);
  const missing = readyToExecute(next, findPlaceholders(next.body));
  if (missing) return notReady(ctx, round, missing);
  return approve(ctx, round, next, a);
}

// ── payments ───────────────────────────────────────────────────────────────────────────────────

async function decidePayment(
  ctx: Ctx,
  round: ApprovalRound,
  shown: ShownPayment,
  a: ApprovalAnswer,
): Promise<HandledReply> {
  if (a.decision === 'reject') return reject(ctx, round, a);
  const c = correctPayment(shown, a.corrections);
  if (c.applied.length === 0) {
    if (a.decision === 'unclear') return clarify(ctx, round, a);
    const missing = readyToExecute(shown, []);
    if (missing) return notReady(ctx, round, missing);
    return approve(ctx, round, shown, a);
  }
  // Corrections are shown back unless they come with a plain "yes" and change nothing material. They
  // reach the invoice and the vendor's memory only when a round is approved (see approve()): a
  // hesitant "total 1200 seems off" or "the IBAN DE… looks wrong" changes nothing by itself.
  if (c.material || a.decision !== 'approve' || readyToExecute(c.next, []) !== null) {
    return newRound(ctx, round, c.next, c.changes, a);
  }
  return approve(ctx, round, c.next, a);
}
