import type { Config } from '../config/config.ts';
import type { Db, ProposalRow } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import { enqueueOutbound } from '../outbox/outbox.repository.ts';
import { urlsIn } from '../shared/outbound-text.ts';
import { maskIban } from '../skills/invoices/checks.iban.ts';
import { formatMoney } from '../skills/invoices/money.ts';
import { confirmBankAccount } from '../skills/invoices/vendors.ts';
import type { ShownPayment, ShownReply } from './approval.model.ts';
import { setProposalStatus } from './approval.repository.ts';

/**
 * Executing an approved action, exactly as approved: a reply goes to the outbox (exactly-once by
 * its key), an invoice is marked approved for payment. Both run inside the caller's transaction,
 * the one that closed the round, so a decision without its execution (or the reverse) cannot be
 * committed.
 */

export class ExecutionRefused extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'ExecutionRefused';
    this.reason = reason;
  }
}

export interface ExecuteContext {
  config: Config;
  now: Date;
  /** The owner's message that approved it (null: approved by a standing rule). */
  messageId: string | null;
  roundId: string | null;
}

/** Queues the approved reply; throws ExecutionRefused when the outbox refuses it (rate limit, loop guard). */
export async function executeReply(
  db: Db,
  ctx: ExecuteContext,
  proposal: ProposalRow,
  r: ShownReply,
): Promise<{ outboxId: string; messageId: string }> {
  const model = r.method !== 'template';
  const q = await enqueueOutbound(
    db,
    {
      purpose: 'reply',
      idempotencyKey: `approved:${ctx.roundId ?? `proposal:${proposal.id}`}`,
      to: r.to.map((a) => a.address),
      cc: r.cc.map((a) => a.address),
      subject: r.subject,
      text: r.body,
      inReplyTo: r.inReplyTo,
      references: r.references,
      threadId: proposal.thread_id,
      sourceMessageId: proposal.message_id,
      // Model-written text is sanitized once more at the last door; links the owner typed stay.
      ...(model
        ? { modelText: { allowedUrls: [...r.allowedUrls, ...(r.method === 'owner' ? urlsIn(r.body) : [])] } }
        : {}),
    },
    {
      assistantEmail: ctx.config.assistant.email,
      ownerEmail: ctx.config.owner.email,
      perCorrespondentPerHour: ctx.config.env.REPLY_RATE_PER_HOUR,
      now: ctx.now,
    },
  );
  if (q.kind === 'refused') throw new ExecutionRefused(q.reason);
  await setProposalStatus(db, proposal.id, 'executed', ctx.now);
  if (ctx.roundId)
    await db
      .updateTable('approvals')
      .set({ executed_outbox_id: q.outboxId })
      .where('id', '=', ctx.roundId)
      .execute();
  await appendJournal(db, {
    actor: ctx.messageId ? 'owner' : 'deskhand',
    action: 'approval_executed',
    reason: `reply to ${r.to.map((a) => a.address).join(', ')} queued as approved`,
    messageId: ctx.messageId,
    threadId: proposal.thread_id,
    proposalId: proposal.id,
    approvalId: ctx.roundId,
    outboxId: q.outboxId,
    data: { subject: r.subject, cc: r.cc.map((a) => a.address), method: r.method },
  });
  return { outboxId: q.outboxId, messageId: q.messageId };
}

/** Marks the invoice approved for payment (once) and trusts its bank account from now on. */
export async function executePayment(
  db: Db,
  ctx: ExecuteContext & { ruleId?: string | null },
  proposal: ProposalRow,
  p: ShownPayment,
): Promise<void> {
  const updated = await db
    .updateTable('invoices')
    .set({ status: 'approved', updated_at: ctx.now })
    .where('id', '=', p.invoiceId)
    .where('status', '=', 'received')
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw new ExecutionRefused(`invoice #${p.invoiceId} is no longer awaiting approval`);
  if (p.vendorId && p.iban) {
    await confirmBankAccount(
      db,
      { vendorId: p.vendorId, iban: p.iban, bic: p.bic, messageId: ctx.messageId },
      ctx.now,
    );
  }
  await setProposalStatus(db, proposal.id, 'executed', ctx.now);
  const amount = p.amount !== null && p.currency ? formatMoney(p.amount, p.currency) : '(no amount)';
  await appendJournal(db, {
    actor: ctx.messageId ? 'owner' : 'deskhand',
    action: 'invoice_approved',
    reason: `${p.vendor ?? 'unknown vendor'} invoice ${p.invoiceNumber ?? '(no number)'}: ${amount}${p.dueDate ? ` due ${p.dueDate}` : ''}${ctx.ruleId ? `, by standing rule #${ctx.ruleId}` : ''}`,
    messageId: ctx.messageId,
    threadId: proposal.thread_id,
    proposalId: proposal.id,
    approvalId: ctx.roundId,
    ruleId: ctx.ruleId ?? null,
    data: {
      invoiceId: p.invoiceId,
      amount: p.amount,
      currency: p.currency,
      iban: p.iban ? maskIban(p.iban) : null,
    },
  });
}
