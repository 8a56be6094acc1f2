import type { Transaction } from 'kysely';
import type { SenderAuthVerdict } from '../auth/sender-auth.ts';
import type { ApprovalRow, Database, ProposalRow } from '../db/db.types.ts';
import { appendJournal, journalOnce } from '../journal/journal.repository.ts';
import { notifyOwner } from '../outbox/notices.ts';
import { enqueueOutbound } from '../outbox/outbox.repository.ts';
import { findPlaceholders } from '../skills/drafts/draft.template.ts';
import type { StoredMessage } from '../skills/thread.ts';
import type { TriageResult } from '../triage/triage.model.ts';
import { changesBetween, correctPayment, persistCorrections } from './approval.corrections.ts';
import { amountChanges, draftBlock, parseDraftBlock, recipientChanges } from './approval.draft.ts';
import { ExecutionRefused, executePayment, executeReply } from './approval.execute.ts';
import { type ApprovalRound, type ShownPayment, type ShownReply, tokenRef } from './approval.model.ts';
import { formatWhen, headlineOf } from './approval.render.ts';
import {
  closeRound,
  lockProposal,
  markClarified,
  setProposalStatus,
  toRound,
} from './approval.repository.ts';
import { type ApprovalDeps, openRound, policyFor, replyAddress } from './approval.request.ts';
import { readyToExecute, shownPayment } from './approval.shown.ts';
import { verifyApprovalReply } from './approval.verify.ts';
import { type ApprovalAnswer, readApprovalReplyWithModel } from './reply/reply.read.ts';

/**
 * The owner's answer to an approval request: verified (approval.verify.ts), read into a typed
 * decision (reply/), then exactly one of — execute as shown or as edited; open a new round when an
 * edit changes recipients or amounts; reject; ask back once when unsure; or refuse and tell the
 * owner why. The decision is a compare-and-set on the open round in the same transaction as its
 * execution, so a second "yes", a replay or a stalled job that runs twice does nothing twice.
 */

export interface ReplyDeps extends ApprovalDeps {
  authenticate: (raw: Buffer) => Promise<SenderAuthVerdict>;
}

export type ReplyOutcome =
  | { kind: 'executed'; roundId: string; what: string }
  | { kind: 'rejected'; roundId: string }
  | { kind: 'new_round'; roundId: string; changes: string[] }
  | { kind: 'clarify'; roundId: string }
  | { kind: 'unclear_again'; roundId: string }
  | { kind: 'not_ready'; roundId: string; missing: string }
  | { kind: 'refused'; code: string; reason: string };

export interface HandledReply {
  outcome: ReplyOutcome;
  /** Outbox rows to send once the transaction committed. */
  sendIds: string[];
}

interface Ctx {
  deps: ReplyDeps;
  messageId: string;
  parsed: StoredMessage;
  now: Date;
}

const clip = (s: string, n = 160): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
};

/** YYYY-MM-DD of `d` in `timeZone`. */
function localDay(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(d);
}

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
  const v = await verifyApprovalReply(deps.db, {
    raw: row.raw,
    parsed,
    triage: row.triage as TriageResult,
    ownerEmail: deps.config.owner.email,
    assistantEmail: deps.config.assistant.email,
    now,
    authenticate: deps.authenticate,
  });
  const ctx: Ctx = { deps, messageId, parsed, now };
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
      today: localDay(now, deps.config.owner.timeZone),
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

// ── outcomes ───────────────────────────────────────────────────────────────────────────────────

const decisionData = (a: ApprovalAnswer) => ({
  decision: a.decision,
  reason: a.reason,
  method: a.method,
  edited: a.editedDraft !== null,
  corrections: a.corrections,
});

async function approve(
  ctx: Ctx,
  round: ApprovalRound,
  next: ShownReply | ShownPayment,
  a: ApprovalAnswer,
): Promise<HandledReply> {
  const { deps } = ctx;
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const proposal = await lockProposal(trx, round.proposalId);
      const closed = await closeRound(trx, round.id, 'approved', {
        now: ctx.now,
        messageId: ctx.messageId,
        decision: { ...decisionData(a), executed: next },
      });
      if (!proposal || !closed) return lostRace(round);
      const exec = { config: deps.config, now: ctx.now, messageId: ctx.messageId, roundId: round.id };
      await journalDecision(trx, ctx, round, proposal, 'approval_approved', a);
      if (next.type === 'reply') {
        const q = await executeReply(trx, exec, proposal, next);
        return {
          outcome: { kind: 'executed', roundId: round.id, what: headlineOf({ shown: next }) },
          sendIds: [q.outboxId],
        };
      }
      // What the owner corrected on the way (this round or earlier ones) is written now, as theirs.
      const original = shownPayment(proposal);
      await persistCorrections(
        trx,
        {
          proposalId: proposal.id,
          roundId: round.id,
          messageId: ctx.messageId,
          threadId: proposal.thread_id,
          now: ctx.now,
        },
        original,
        changesBetween(original, next),
      );
      await executePayment(trx, exec, proposal, next);
      const headline = headlineOf({ shown: next });
      const n = await notifyOwner(trx, deps.config, deps.clock, {
        key: `approved:${round.id}`,
        subject: `Approved for payment: ${headline.replace(/^Approve /, '')}`,
        text: [
          `Marked approved for payment, as you answered at ${formatWhen(ctx.now, deps.config.owner.timeZone)}:`,
          '',
          `  ${headline.replace(/^Approve /, '')}`,
          `  Account: ${next.iban ?? '(none on the invoice)'}`,
          '',
          next.vendorId && next.iban ? 'This account is now trusted for the vendor.' : '',
          'deskhand does not move money: pay it from your bank as usual.',
        ]
          .filter((l, i, all) => l !== '' || all[i - 1] !== '')
          .join('\n'),
        threadId: proposal.thread_id,
        inReplyTo: ctx.parsed.messageId,
        references: [ctx.parsed.messageId],
      });
      await trx.updateTable('approvals').set({ confirmed_at: ctx.now }).where('id', '=', round.id).execute();
      return {
        outcome: { kind: 'executed', roundId: round.id, what: headline },
        sendIds: n.kind === 'queued' && !n.existing ? [n.outboxId] : [],
      };
    });
  } catch (err) {
    if (!(err instanceof ExecutionRefused)) throw err;
    return notReady(ctx, round, `it could not be done: ${err.reason}`);
  }
}

function lostRace(round: ApprovalRound): HandledReply {
  return {
    outcome: { kind: 'refused', code: 'closed', reason: `round ${round.id} was decided meanwhile` },
    sendIds: [],
  };
}

async function journalDecision(
  trx: Transaction<Database>,
  ctx: Ctx,
  round: ApprovalRound,
  proposal: ProposalRow,
  action: string,
  a: ApprovalAnswer,
): Promise<void> {
  await appendJournal(trx, {
    actor: 'owner',
    action,
    reason: `${headlineOf(round)} — ${a.reason}`,
    messageId: ctx.messageId,
    threadId: proposal.thread_id,
    proposalId: proposal.id,
    approvalId: round.id,
    data: decisionData(a),
  });
}

async function reject(ctx: Ctx, round: ApprovalRound, a: ApprovalAnswer): Promise<HandledReply> {
  const { deps } = ctx;
  return deps.db.transaction().execute(async (trx) => {
    const proposal = await lockProposal(trx, round.proposalId);
    const closed = await closeRound(trx, round.id, 'rejected', {
      now: ctx.now,
      messageId: ctx.messageId,
      decision: decisionData(a),
    });
    if (!proposal || !closed) return lostRace(round);
    await setProposalStatus(trx, proposal.id, 'rejected', ctx.now);
    if (round.shown.type === 'payment') {
      await trx
        .updateTable('invoices')
        .set({ status: 'rejected', updated_at: ctx.now })
        .where('id', '=', round.shown.invoiceId)
        .where('status', '=', 'received')
        .execute();
    }
    await journalDecision(trx, ctx, round, proposal, 'approval_rejected', a);
    const headline = headlineOf(round);
    const n = await notifyOwner(trx, deps.config, deps.clock, {
      key: `rejected:${round.id}`,
      subject: `Dropped: ${headline}`,
      text: `As you answered, this will not happen:\n\n  ${headline}\n\nNothing was sent or approved.`,
      threadId: proposal.thread_id,
      inReplyTo: ctx.parsed.messageId,
      references: [ctx.parsed.messageId],
    });
    return {
      outcome: { kind: 'rejected', roundId: round.id },
      sendIds: n.kind === 'queued' && !n.existing ? [n.outboxId] : [],
    };
  });
}

async function newRound(
  ctx: Ctx,
  round: ApprovalRound,
  next: ShownReply | ShownPayment,
  changes: string[],
  a: ApprovalAnswer,
): Promise<HandledReply> {
  const { deps } = ctx;
  return deps.db.transaction().execute(async (trx) => {
    const proposal = await lockProposal(trx, round.proposalId);
    const closed = await closeRound(trx, round.id, 'superseded', {
      now: ctx.now,
      messageId: ctx.messageId,
      decision: { ...decisionData(a), changes },
    });
    if (!proposal || !closed) return lostRace(round);
    await journalDecision(trx, ctx, round, proposal, 'approval_changed', a);
    const policy = await policyFor(trx, deps.config, next);
    const opened = await openRound(trx, deps, {
      proposal,
      shown: next,
      policy:
        policy.level === 'auto'
          ? { ...policy, level: 'one_yes', reasons: ['You changed it: please confirm the new version.'] }
          : policy,
      round: round.round + 1,
      previousId: round.id,
      changes,
      inReplyTo: ctx.parsed.messageId,
      references: [...ctx.parsed.references, ctx.parsed.messageId].slice(-20),
    });
    if (!opened) return lostRace(round);
    return { outcome: { kind: 'new_round', roundId: opened.roundId, changes }, sendIds: [opened.outboxId] };
  });
}

async function clarify(ctx: Ctx, round: ApprovalRound, a: ApprovalAnswer): Promise<HandledReply> {
  const { deps } = ctx;
  return deps.db.transaction().execute(async (trx) => {
    const headline = headlineOf(round);
    const action = round.shown.type === 'reply' ? 'send it' : 'approve it for payment';
    const q = await enqueueOutbound(
      trx,
      {
        purpose: 'approval_clarify',
        idempotencyKey: `clarify:${round.id}`,
        to: [deps.config.owner.email],
        subject: `[deskhand] Yes or no? ${headline}`,
        text: [
          `I could not tell what you meant by: "${clip(ctx.parsed.replyText || '(empty)')}"`,
          `(${a.reason})`,
          '',
          `Reply YES to ${action}, or NO to drop it.${round.shown.type === 'payment' ? ' Corrections go on their own lines, e.g. "total: 1200.00".' : ''}`,
          `Nothing happens until you answer. The request stays open until ${formatWhen(round.expiresAt, deps.config.owner.timeZone)}.`,
          '',
          `Approval reference: ${tokenRef(round.token)} (round ${round.round})`,
        ].join('\n'),
        replyTo: replyAddress(deps.config, round.token),
        inReplyTo: ctx.parsed.messageId,
        references: [...ctx.parsed.references, ctx.parsed.messageId].slice(-20),
        autoSubmitted: 'auto-generated',
      },
      {
        assistantEmail: deps.config.assistant.email,
        ownerEmail: deps.config.owner.email,
        perCorrespondentPerHour: deps.config.env.REPLY_RATE_PER_HOUR,
        now: ctx.now,
      },
    );
    if (q.kind !== 'queued' || q.existing || !(await markClarified(trx, round.id, q.messageId))) {
      // Asked back once already: no second question, no guess. The round stays open until it expires.
      await journalOnce(trx, {
        actor: 'deskhand',
        action: 'approval_unclear',
        reason: `still unclear after asking once (${a.reason}); the request stays open`,
        messageId: ctx.messageId,
        proposalId: round.proposalId,
        approvalId: round.id,
      });
      return { outcome: { kind: 'unclear_again', roundId: round.id }, sendIds: [] };
    }
    await appendJournal(trx, {
      actor: 'deskhand',
      action: 'approval_clarify',
      reason: `asked back once: ${a.reason}`,
      messageId: ctx.messageId,
      proposalId: round.proposalId,
      approvalId: round.id,
      outboxId: q.outboxId,
    });
    return { outcome: { kind: 'clarify', roundId: round.id }, sendIds: [q.outboxId] };
  });
}

async function notReady(ctx: Ctx, round: ApprovalRound, missing: string): Promise<HandledReply> {
  const { deps } = ctx;
  return deps.db.transaction().execute(async (trx) => {
    await journalOnce(trx, {
      actor: 'deskhand',
      action: 'approval_not_ready',
      reason: missing,
      messageId: ctx.messageId,
      proposalId: round.proposalId,
      approvalId: round.id,
    });
    const n = await notifyOwner(trx, deps.config, deps.clock, {
      key: `not-ready:${ctx.messageId}`,
      subject: `Not done yet: ${headlineOf(round)}`,
      text: [
        `I did not do it: ${missing}.`,
        '',
        round.shown.type === 'reply'
          ? 'Answer the approval request again with the draft completed between the marker lines.'
          : 'Answer the approval request again with the missing field, e.g. "total: 1200.00".',
        `The request stays open until ${formatWhen(round.expiresAt, deps.config.owner.timeZone)}.`,
      ].join('\n'),
      inReplyTo: ctx.parsed.messageId,
      references: [ctx.parsed.messageId],
    });
    return {
      outcome: { kind: 'not_ready', roundId: round.id, missing },
      sendIds: n.kind === 'queued' && !n.existing ? [n.outboxId] : [],
    };
  });
}

async function refuse(
  ctx: Ctx,
  code: string,
  reason: string,
  round: ApprovalRow | null,
  tellOwner: boolean,
): Promise<HandledReply> {
  const { deps, parsed } = ctx;
  return deps.db.transaction().execute(async (trx) => {
    await journalOnce(trx, {
      actor: 'deskhand',
      action: 'approval_refused',
      reason: `${code}: ${reason}`,
      messageId: ctx.messageId,
      proposalId: round?.proposal_id ?? null,
      approvalId: round?.id ?? null,
      data: { from: parsed.from?.address ?? null, subject: parsed.subject },
    });
    if (!tellOwner) return { outcome: { kind: 'refused', code, reason }, sendIds: [] };
    const what = round ? headlineOf(toRound(round)) : `"${parsed.subject}"`;
    const n = await notifyOwner(trx, deps.config, deps.clock, {
      key: `approval-refused:${ctx.messageId}`,
      subject: `Answer not applied: ${what}`,
      text: [
        `A message answered an approval request (${what}):`,
        '',
        `  From: ${parsed.from?.address ?? 'unknown'}`,
        `  Subject: ${parsed.subject}`,
        `  It said: "${clip(parsed.replyText || '(nothing)')}"`,
        '',
        `I did nothing, because ${reason}.`,
        code === 'not_owner' || code === 'unauthenticated'
          ? 'If this was not you, someone is trying to approve things in your name; the request itself is unchanged.'
          : '',
      ]
        .filter(Boolean)
        .join('\n'),
    });
    return {
      outcome: { kind: 'refused', code, reason },
      sendIds: n.kind === 'queued' && !n.existing ? [n.outboxId] : [],
    };
  });
}
