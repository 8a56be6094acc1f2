import type { Transaction } from 'kysely';
import type { SenderAuthVerdict } from '../auth/sender-auth.ts';
import type { ApprovalRow, Database, ProposalRow } from '../db/db.types.ts';
import { appendJournal, journalOnce } from '../journal/journal.repository.ts';
import { notifyOwner } from '../outbox/notices.ts';
import { enqueueOutbound } from '../outbox/outbox.repository.ts';
import { oneLine } from '../shared/one-line.ts';
import type { StoredMessage } from '../skills/thread.ts';
import { changesBetween, persistCorrections } from './approval.corrections.ts';
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
import { shownPayment } from './approval.shown.ts';
import type { ApprovalAnswer } from './reply/reply.read.ts';

/**
 * What an answer to an approval request leads to, each in one transaction: approve and execute,
 * reject, open a new round showing what changed, ask back once, refuse as not ready, or refuse and
 * tell the owner why. Every state change is the round's compare-and-set (approval.repository.ts).
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

export interface Ctx {
  deps: ReplyDeps;
  messageId: string;
  parsed: StoredMessage;
  now: Date;
  /** Decided from a digest answer: one confirmation lists every item, so no notice per item. */
  quiet?: boolean;
}

const clip = (s: string): string => oneLine(s, 160);

// ── outcomes ───────────────────────────────────────────────────────────────────────────────────

const decisionData = (a: ApprovalAnswer) => ({
  decision: a.decision,
  reason: a.reason,
  method: a.method,
  edited: a.editedDraft !== null,
  corrections: a.corrections,
});

export async function approve(
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
      if (ctx.quiet) {
        await trx
          .updateTable('approvals')
          .set({ confirmed_at: ctx.now })
          .where('id', '=', round.id)
          .execute();
        return { outcome: { kind: 'executed', roundId: round.id, what: headline }, sendIds: [] };
      }
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

export async function reject(ctx: Ctx, round: ApprovalRound, a: ApprovalAnswer): Promise<HandledReply> {
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
    if (ctx.quiet) return { outcome: { kind: 'rejected', roundId: round.id }, sendIds: [] };
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

export async function newRound(
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
    const policy = await policyFor(trx, deps.config, next, proposal);
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

export async function clarify(ctx: Ctx, round: ApprovalRound, a: ApprovalAnswer): Promise<HandledReply> {
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

export async function notReady(ctx: Ctx, round: ApprovalRound, missing: string): Promise<HandledReply> {
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
    if (ctx.quiet) return { outcome: { kind: 'not_ready', roundId: round.id, missing }, sendIds: [] };
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

export async function refuse(
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
