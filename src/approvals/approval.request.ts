import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database, Db, ProposalRow } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import type { ModelClient } from '../llm/llm.model.ts';
import { notifyOwner } from '../outbox/notices.ts';
import { enqueueOutbound } from '../outbox/outbox.repository.ts';
import type { Clock } from '../shared/clock.ts';
import { urlsIn } from '../shared/outbound-text.ts';
import { activeRules } from '../skills/rules.repository.ts';
import { loadThread } from '../skills/thread.ts';
import { ExecutionRefused, executePayment, executeReply } from './approval.execute.ts';
import { type Shown, tokenRef } from './approval.model.ts';
import { decidePolicy, type PolicyDecision } from './approval.policy.ts';
import { headlineOf, renderApproval } from './approval.render.ts';
import { insertRound, lockProposal, roundsOf, setRequestMail, toRound } from './approval.repository.ts';
import { readyToExecute, shownPayment, shownReply } from './approval.shown.ts';

/**
 * Asking the owner: a proposal becomes an approval round (token, expiry, the exact action shown)
 * and an approval email through the outbox — or, when the policy lets it run on its own (the
 * owner's standing rule, every check passed), it is executed and the owner is told. Idempotent
 * per proposal: a retried job finds the round and sends nothing new.
 */

export interface ApprovalDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  model: ModelClient | null;
}

export type RequestOutcome =
  | { kind: 'asked'; roundId: string; outboxId: string; subject: string }
  | { kind: 'auto_executed'; noticeId: string | null; summary: string }
  | { kind: 'exists' }
  | { kind: 'skipped'; reason: string };

/** The plus-address answers should go to, or null when sub-addressing is off. */
export function replyAddress(config: Config, token: string): string | null {
  if (!config.env.APPROVAL_PLUS_ADDRESSING) return null;
  const at = config.assistant.email.lastIndexOf('@');
  return `${config.assistant.email.slice(0, at)}+${tokenRef(token)}${config.assistant.email.slice(at)}`;
}

export interface OpenRound {
  proposal: ProposalRow;
  shown: Shown;
  policy: PolicyDecision;
  round: number;
  previousId: string | null;
  changes: string[];
  /** Threads the new round under the owner's answer that caused it. */
  inReplyTo?: string | null;
  references?: string[];
  source?: string | null;
}

/** Inserts the round and queues its email, in the caller's transaction. */
export async function openRound(
  db: Db,
  deps: Pick<ApprovalDeps, 'config' | 'clock'>,
  o: OpenRound,
): Promise<{ roundId: string; outboxId: string; subject: string } | null> {
  const now = deps.clock.now();
  const level = o.policy.level === 'decision' ? 'decision' : 'one_yes';
  const row = await insertRound(db, {
    proposalId: o.proposal.id,
    round: o.round,
    // 128 bits, hex: safe in a plus-address and a Message-ID, unchanged by case-folding.
    token: randomBytes(16).toString('hex'),
    level,
    policy: o.policy,
    changes: o.changes,
    shown: o.shown,
    previousId: o.previousId,
    expiresAt: new Date(now.getTime() + deps.config.env.APPROVAL_EXPIRY_HOURS * 3600_000),
    now,
  });
  if (!row) return null;
  const round = toRound(row);
  const mail = renderApproval(round, { timeZone: deps.config.owner.timeZone, source: o.source ?? null });
  const q = await enqueueOutbound(
    db,
    {
      purpose: 'approval',
      idempotencyKey: `approval:${row.id}`,
      to: [deps.config.owner.email],
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      replyTo: replyAddress(deps.config, row.token),
      inReplyTo: o.inReplyTo ?? null,
      references: o.references ?? [],
      threadId: o.proposal.thread_id,
      autoSubmitted: 'auto-generated',
    },
    {
      assistantEmail: deps.config.assistant.email,
      ownerEmail: deps.config.owner.email,
      perCorrespondentPerHour: deps.config.env.REPLY_RATE_PER_HOUR,
      now,
    },
  );
  if (q.kind === 'refused') throw new Error(`approval email refused: ${q.reason}`);
  await setRequestMail(db, row.id, q.outboxId, q.messageId);
  await appendJournal(db, {
    actor: 'deskhand',
    action: o.round === 1 ? 'approval_requested' : 'approval_round',
    reason: `${mail.headline} — ${o.policy.reasons.join(' ')}`,
    messageId: o.proposal.message_id,
    threadId: o.proposal.thread_id,
    proposalId: o.proposal.id,
    approvalId: row.id,
    outboxId: q.outboxId,
    data: {
      round: o.round,
      level,
      flags: o.policy.flags.map((f) => f.id),
      changes: o.changes,
      expiresAt: row.expires_at,
    },
  });
  return { roundId: row.id, outboxId: q.outboxId, subject: mail.subject };
}

async function allowedUrlsOf(db: Db, p: ProposalRow): Promise<string[]> {
  if (p.thread_id === null) return [];
  const thread = await loadThread(db, p.thread_id);
  return [...new Set(thread.flatMap((m) => urlsIn(m.text)))];
}

export async function shownFor(db: Db, p: ProposalRow): Promise<Shown> {
  return p.kind === 'payment' ? shownPayment(p) : shownReply(p, await allowedUrlsOf(db, p));
}

export async function policyFor(
  db: Db,
  config: Config,
  shown: Shown,
  proposal: Pick<ProposalRow, 'kind' | 'payload'>,
): Promise<PolicyDecision> {
  if (shown.type === 'reply' && proposal.kind === 'meeting')
    return decidePolicy(
      {
        kind: 'meeting',
        recipients: shown.to.map((a) => a.address),
        delegatedInThread: (proposal.payload as { delegated?: unknown }).delegated === true,
      },
      { amountThreshold: config.env.APPROVAL_AMOUNT_THRESHOLD, rules: [] },
    );
  if (shown.type === 'reply')
    return decidePolicy(
      { kind: 'reply_draft', recipients: shown.to.map((a) => a.address) },
      { amountThreshold: config.env.APPROVAL_AMOUNT_THRESHOLD, rules: [] },
    );
  const vendor = shown.vendorId
    ? await db
        .selectFrom('vendors')
        .select('email_domains')
        .where('id', '=', shown.vendorId)
        .executeTakeFirst()
    : undefined;
  const rules = [
    ...(await activeRules(db, 'require_approval')),
    ...(await activeRules(db, 'auto_approve_invoices')),
  ];
  return decidePolicy(
    {
      kind: 'payment',
      payment: {
        vendorName: shown.vendor,
        vendorDomain: vendor?.email_domains?.[0] ?? null,
        total: shown.amount,
        currency: shown.currency,
        checks: shown.checks,
      },
    },
    { amountThreshold: config.env.APPROVAL_AMOUNT_THRESHOLD, rules },
  );
}

async function documentSource(db: Db, shown: Shown): Promise<string | null> {
  if (shown.type !== 'payment') return null;
  const d = await db
    .selectFrom('documents')
    .select('filename')
    .where('id', '=', shown.documentId)
    .executeTakeFirst();
  return d?.filename ?? null;
}

/**
 * Asks about one proposal (or runs it, when the policy says so). Returns what to send; the caller
 * enqueues the send job after the commit.
 */
export async function requestApproval(deps: ApprovalDeps, proposalId: string): Promise<RequestOutcome> {
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const p = await lockProposal(trx, proposalId);
      if (!p) return { kind: 'skipped', reason: 'no such proposal' } as const;
      if (p.status !== 'awaiting_approval' && p.status !== 'needs_input')
        return { kind: 'skipped', reason: `proposal is ${p.status}` } as const;
      if ((await roundsOf(trx, p.id)).length > 0) return { kind: 'exists' } as const;
      const shown = await shownFor(trx, p);
      const policy = await policyFor(trx, deps.config, shown, p);
      // On its own only with a known vendor and nothing missing; else it is asked like any other.
      if (
        policy.level === 'auto' &&
        shown.type === 'payment' &&
        p.status === 'awaiting_approval' &&
        shown.vendorId !== null &&
        readyToExecute(shown, []) === null
      ) {
        const now = deps.clock.now();
        await executePayment(
          trx,
          { config: deps.config, now, messageId: null, roundId: null, ruleId: policy.ruleId },
          p,
          shown,
        );
        const headline = headlineOf({ shown });
        const n = await notifyOwner(trx, deps.config, deps.clock, {
          key: `auto-approved:${p.id}`,
          subject: `Approved by your rule: ${headline.replace(/^Approve /, '')}`,
          text: [
            `${headline.replace(/^Approve /, 'Approved ')} — ${policy.reasons.join(' ')}`,
            '',
            ...shown.checks.map(
              (c) => `  [${c.ok === true ? 'ok' : c.ok === null ? '--' : '!'}] ${c.message}`,
            ),
            '',
            'Nothing else was done. To stop approving these on their own, reply "undo" to the mail that confirmed the rule.',
          ].join('\n'),
          threadId: p.thread_id,
        });
        return {
          kind: 'auto_executed',
          noticeId: n.kind === 'queued' && !n.existing ? n.outboxId : null,
          summary: headline,
        } as const;
      }
      // Scheduling mail the owner asked for in this thread goes out on its own, as shown.
      if (
        policy.level === 'auto' &&
        p.kind === 'meeting' &&
        shown.type === 'reply' &&
        p.status === 'awaiting_approval' &&
        readyToExecute(shown, shown.placeholders) === null
      ) {
        const sent = await executeReply(
          trx,
          { config: deps.config, now: deps.clock.now(), messageId: null, roundId: null },
          p,
          shown,
        );
        await appendJournal(trx, {
          actor: 'deskhand',
          action: 'approval_not_needed',
          reason: policy.reasons.join(' '),
          messageId: p.message_id,
          threadId: p.thread_id,
          proposalId: p.id,
          outboxId: sent.outboxId,
        });
        return { kind: 'auto_executed', noticeId: sent.outboxId, summary: p.summary } as const;
      }
      const opened = await openRound(trx, deps, {
        proposal: p,
        shown,
        policy: policy.level === 'auto' ? { ...policy, level: 'one_yes' } : policy,
        round: 1,
        previousId: null,
        changes: [],
        source: await documentSource(trx, shown),
      });
      if (!opened) return { kind: 'exists' } as const;
      return { kind: 'asked', ...opened } as const;
    });
  } catch (err) {
    if (err instanceof ExecutionRefused) return { kind: 'skipped', reason: err.reason };
    throw err;
  }
}
