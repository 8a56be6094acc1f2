import type { DigestItemRow, DigestRow } from '../db/db.types.ts';
import { type DigestVerb, readDigestReply } from '../digest/digest.reply.ts';
import { appendJournal, journalOnce } from '../journal/journal.repository.ts';
import { notifyOwner } from '../outbox/notices.ts';
import { findPlaceholders } from '../skills/drafts/draft.template.ts';
import { approve, type Ctx, type HandledReply, reject } from './approval.outcomes.ts';
import { headlineOf } from './approval.render.ts';
import { toRound } from './approval.repository.ts';
import { readyToExecute } from './approval.shown.ts';
import type { ApprovalAnswer } from './reply/reply.read.ts';

/**
 * The owner's verified answer to a daily digest ("approve 1 3, reject 2", "1 yes", "paid 4"): each
 * numbered item is decided exactly as a single approval would be — the same compare-and-set on the
 * round, the same execution — and the owner gets one confirmation listing every item. Nothing is
 * done for a number given two verbs, a doubtful clause, a number the digest did not list, a round
 * decided or expired since, or (for "approve all") an item flagged for a decision.
 */

interface ItemResult {
  number: number;
  text: string;
  done: 'approved' | 'rejected' | 'paid' | null;
}

const answerFor = (verb: 'approve' | 'reject', day: string, evidence: string): ApprovalAnswer => ({
  decision: verb,
  editedDraft: null,
  corrections: [],
  reason: `read as ${verb === 'approve' ? 'YES' : 'NO'} in the answer to the digest of ${day}: "${evidence}"`,
  method: 'rules',
});

async function decideApproval(
  ctx: Ctx,
  item: DigestItemRow,
  verb: DigestVerb,
  day: string,
  evidence: string,
): Promise<{ result: ItemResult; sendIds: string[] }> {
  const n = item.number;
  const say = (text: string, done: ItemResult['done'] = null) => ({
    result: { number: n, text, done },
    sendIds: [],
  });
  if (verb === 'paid') return say(`${item.label} — "paid" is for payments; nothing done`);
  const row = await ctx.deps.db
    .selectFrom('approvals')
    .selectAll()
    .where('id', '=', item.approval_id ?? '-1')
    .executeTakeFirst();
  if (!row) return say(`${item.label} — no longer exists; nothing done`);
  if (row.status !== 'open') return say(`${item.label} — already ${row.status}; nothing more done`);
  if (row.expires_at <= ctx.now) return say(`${item.label} — expired; nothing done`);
  const round = toRound(row);
  if (verb === 'reject') {
    const r = await reject(ctx, round, answerFor('reject', day, evidence));
    return r.outcome.kind === 'rejected'
      ? {
          result: { number: n, text: `${headlineOf(round)} — dropped`, done: 'rejected' },
          sendIds: r.sendIds,
        }
      : say(`${item.label} — decided meanwhile; nothing more done`);
  }
  const shown = round.shown;
  const missing = readyToExecute(shown, shown.type === 'reply' ? findPlaceholders(shown.body) : []);
  if (missing)
    return say(`${item.label} — not done: ${missing}. Answer its own approval email with what is missing`);
  const r = await approve(ctx, round, shown, answerFor('approve', day, evidence));
  if (r.outcome.kind === 'executed')
    return {
      result: { number: n, text: `${r.outcome.what} — approved`, done: 'approved' },
      sendIds: r.sendIds,
    };
  if (r.outcome.kind === 'not_ready')
    return {
      result: { number: n, text: `${item.label} — not done: ${r.outcome.missing}`, done: null },
      sendIds: r.sendIds,
    };
  return say(`${item.label} — decided meanwhile; nothing more done`);
}

async function decidePayment(ctx: Ctx, item: DigestItemRow, verb: DigestVerb): Promise<ItemResult> {
  const n = item.number;
  if (verb !== 'paid')
    return {
      number: n,
      text: `${item.label} — already approved; reply "paid ${n}" once it is paid`,
      done: null,
    };
  return ctx.deps.db.transaction().execute(async (trx) => {
    const paid = await trx
      .updateTable('invoices')
      .set({ status: 'paid', updated_at: ctx.now })
      .where('id', '=', item.invoice_id ?? '-1')
      .where('status', '=', 'approved')
      .returning('id')
      .executeTakeFirst();
    if (!paid)
      return {
        number: n,
        text: `${item.label} — not marked: it is no longer waiting for payment`,
        done: null,
      };
    await appendJournal(trx, {
      actor: 'owner',
      action: 'invoice_paid',
      reason: `${item.label} — marked paid from the digest`,
      messageId: ctx.messageId,
      data: { invoiceId: item.invoice_id },
    });
    return { number: n, text: `${item.label} — marked paid`, done: 'paid' };
  });
}

export async function handleDigestAnswer(ctx: Ctx, digest: DigestRow, via: string): Promise<HandledReply> {
  const { deps } = ctx;
  const items = await deps.db
    .selectFrom('digest_items')
    .selectAll()
    .where('digest_id', '=', digest.id)
    .orderBy('number')
    .execute();
  const byNumber = new Map(items.map((i) => [i.number, i]));
  const answer = readDigestReply(ctx.parsed.replyText, new Set(byNumber.keys()));
  const plan = answer.actions.map((a) => ({
    item: byNumber.get(a.number)!,
    verb: a.verb,
    evidence: a.evidence,
  }));
  const skipped: string[] = [];
  if (answer.all) {
    const levels = await deps.db
      .selectFrom('approvals')
      .select(['id', 'level'])
      .where('id', 'in', items.flatMap((i) => (i.approval_id ? [i.approval_id] : [])).concat(['-1']))
      .execute();
    for (const i of items) {
      if (i.kind !== 'approval' || plan.some((p) => p.item.number === i.number)) continue;
      if (answer.unclear.some((u) => u.number === i.number)) continue;
      if (levels.find((l) => l.id === i.approval_id)?.level === 'decision') {
        skipped.push(`${i.number}. ${i.label} — needs a decision: answer it by its number`);
        continue;
      }
      plan.push({ item: i, verb: answer.all, evidence: `${answer.all} all` });
    }
  }
  await journalOnce(deps.db, {
    actor: 'owner',
    action: 'digest_answer_read',
    reason: `digest of ${digest.day}: ${plan.map((p) => `${p.verb} ${p.item.number}`).join(', ') || 'no item decided'}`,
    messageId: ctx.messageId,
    data: { via, unclear: answer.unclear, unknown: answer.unknown, all: answer.all },
  });
  const q: Ctx = { ...ctx, quiet: true };
  const results: ItemResult[] = [];
  const sendIds: string[] = [];
  for (const p of plan.sort((a, b) => a.item.number - b.item.number)) {
    if (p.item.kind === 'payment') {
      results.push(await decidePayment(q, p.item, p.verb));
      continue;
    }
    const r = await decideApproval(q, p.item, p.verb, digest.day, p.evidence);
    results.push(r.result);
    sendIds.push(...r.sendIds);
  }
  const count = (d: ItemResult['done']) => results.filter((r) => r.done === d).length;
  const summary =
    [
      count('approved') ? `${count('approved')} approved` : '',
      count('rejected') ? `${count('rejected')} dropped` : '',
      count('paid') ? `${count('paid')} marked paid` : '',
    ]
      .filter(Boolean)
      .join(', ') || 'nothing done';
  const notice = await notifyOwner(deps.db, deps.config, deps.clock, {
    key: `digest-answer:${ctx.messageId}`,
    subject: `From your digest of ${digest.day}: ${summary}`,
    text: [
      'As you answered, item by item:',
      '',
      ...results.map((r) => `  ${r.number}. ${r.text}`),
      ...skipped.map((s) => `  ${s}`),
      ...answer.unclear.map((u) => `  ${u.number}. not done: ${u.why}`),
      ...answer.unknown.map((n) => `  ${n}. not in that digest; nothing done`),
      ...(results.length + skipped.length + answer.unclear.length + answer.unknown.length === 0
        ? [
            '  I found no item numbers with "approve", "reject" or "paid" in your answer, so nothing was done.',
          ]
        : []),
      '',
      'Sent replies are confirmed once they have left.',
    ].join('\n'),
    inReplyTo: ctx.parsed.messageId,
    references: [ctx.parsed.messageId],
  });
  if (notice.kind === 'queued' && !notice.existing) sendIds.push(notice.outboxId);
  return {
    outcome: results.some((r) => r.done)
      ? { kind: 'executed', roundId: '', what: `digest ${digest.day}: ${summary}` }
      : { kind: 'refused', code: 'digest_nothing', reason: summary },
    sendIds,
  };
}
