import { sql } from 'kysely';
import type { Db, OutboxRow } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import { newMessageId } from '../shared/ids.ts';
import { sanitizeOutboundText } from '../shared/outbound-text.ts';
import type { EnqueueResult, OutboundRequest } from './outbox.model.ts';

export interface OutboxPolicy {
  assistantEmail: string;
  ownerEmail: string;
  /** Max messages to one external correspondent per hour (RELIABILITY.md item 17). */
  perCorrespondentPerHour: number;
  now: Date;
}

/**
 * Records an outbound message as `pending` with a pre-assigned Message-ID. Refuses (and
 * journals why) to answer automatic mail or our own, to write to ourselves, or to exceed
 * the per-correspondent rate. Idempotent on `idempotencyKey`.
 */
export async function enqueueOutbound(
  db: Db,
  req: OutboundRequest,
  policy: OutboxPolicy,
): Promise<EnqueueResult> {
  const existing = await db
    .selectFrom('outbox')
    .select(['id', 'message_id'])
    .where('idempotency_key', '=', req.idempotencyKey)
    .executeTakeFirst();
  if (existing)
    return { kind: 'queued', outboxId: existing.id, messageId: existing.message_id, existing: true };

  const refusal = await refusalReason(db, req, policy);
  if (refusal) {
    await appendJournal(db, {
      actor: 'outbox',
      action: 'send_refused',
      reason: refusal,
      messageId: req.sourceMessageId ?? null,
      threadId: req.threadId ?? null,
      data: { purpose: req.purpose, to: req.to, subject: req.subject },
    });
    return { kind: 'refused', reason: refusal };
  }
  // Defence in depth (RELIABILITY 20): model-written text is sanitized at the last door too.
  const cleaned = req.modelText ? sanitizeOutboundText(req.text, req.modelText.allowedUrls) : null;
  const text = cleaned ? cleaned.text : req.text;
  const html = req.modelText ? null : (req.html ?? null);
  const domain = policy.assistantEmail.split('@')[1] ?? 'deskhand.invalid';
  const messageId = newMessageId(domain);
  const row = await db
    .insertInto('outbox')
    .values({
      message_id: messageId,
      idempotency_key: req.idempotencyKey,
      purpose: req.purpose,
      from_address: policy.assistantEmail,
      to_addresses: JSON.stringify(req.to.map((a) => a.toLowerCase())),
      cc_addresses: JSON.stringify((req.cc ?? []).map((a) => a.toLowerCase())),
      subject: req.subject,
      text_body: text,
      html_body: html,
      in_reply_to: req.inReplyTo ?? null,
      references: req.references?.length ? req.references.join(' ') : null,
      extra_headers: JSON.stringify({
        'Auto-Submitted': req.autoSubmitted ?? 'auto-generated',
        ...(req.replyTo ? { 'Reply-To': req.replyTo } : {}),
      }),
      thread_id: req.threadId ?? null,
      source_message: req.sourceMessageId ?? null,
      calendar: req.calendar ? JSON.stringify(req.calendar) : null,
      // The caller's clock, as the rate limit and the stuck-send sweep read it (not the database's).
      created_at: policy.now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning(['id', 'message_id'])
    .executeTakeFirst();
  if (!row) return enqueueOutbound(db, req, policy);
  await appendJournal(db, {
    actor: 'outbox',
    action: 'send_queued',
    reason: req.purpose,
    outboxId: row.id,
    messageId: req.sourceMessageId ?? null,
    threadId: req.threadId ?? null,
    data: {
      to: req.to,
      cc: req.cc ?? [],
      subject: req.subject,
      messageId: row.message_id,
      ...(cleaned?.removed.length ? { sanitized: cleaned.removed } : {}),
    },
  });
  return { kind: 'queued', outboxId: row.id, messageId: row.message_id, existing: false };
}

async function refusalReason(db: Db, req: OutboundRequest, p: OutboxPolicy): Promise<string | null> {
  const rcpts = [...req.to, ...(req.cc ?? [])].map((a) => a.toLowerCase());
  if (rcpts.length === 0) return 'no recipients';
  const self = p.assistantEmail.toLowerCase();
  const [local, domain] = self.split('@');
  if (rcpts.some((r) => r === self || (r.startsWith(`${local}+`) && r.endsWith(`@${domain}`)))) {
    return 'refusing to send mail to the assistant itself (loop guard)';
  }
  if (req.sourceMessageId) {
    const src = await db
      .selectFrom('messages')
      .select(['automatic', 'triage'])
      .where('id', '=', req.sourceMessageId)
      .executeTakeFirst();
    if (src?.automatic)
      return 'refusing to answer automatic mail (auto-reply, bounce, list or our own) — RFC 3834';
  }
  const since = new Date(p.now.getTime() - 3600_000);
  for (const r of rcpts) {
    if (r === p.ownerEmail.toLowerCase()) continue;
    const sent = await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox
      WHERE created_at >= ${since} AND status <> 'failed'
        AND (to_addresses ? ${r} OR cc_addresses ? ${r})`.execute(db);
    if ((sent.rows[0]?.n ?? 0) >= p.perCorrespondentPerHour) {
      return `rate limit: ${p.perCorrespondentPerHour} messages to ${r} in the last hour`;
    }
  }
  return null;
}

/** pending → sending, once: returns the row only to the caller that won the compare-and-set. */
export async function claimForSending(db: Db, id: string, now: Date): Promise<OutboxRow | undefined> {
  return db
    .updateTable('outbox')
    .set((eb) => ({ status: 'sending', sending_at: now, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
}

export async function finishSend(
  db: Db,
  id: string,
  status: 'sent' | 'ambiguous' | 'failed' | 'pending',
  fields: { smtpResponse?: string | null; error?: string | null; now: Date },
): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status,
      smtp_response: fields.smtpResponse ?? null,
      last_error: fields.error ?? null,
      sent_at: status === 'sent' ? fields.now : null,
    })
    .where('id', '=', id)
    .where('status', '=', 'sending')
    .execute();
}

/** Rows left in `sending` by a crash: their fate must be checked, never blindly retried. */
export async function stuckSending(db: Db, olderThan: Date): Promise<OutboxRow[]> {
  return db
    .selectFrom('outbox')
    .selectAll()
    .where('status', '=', 'sending')
    .where('sending_at', '<', olderThan)
    .execute();
}

/** Rows waiting to be sent (created before `createdBefore`, when given: a sweep skips fresh ones). */
export async function pendingIds(db: Db, createdBefore?: Date): Promise<string[]> {
  let q = db.selectFrom('outbox').select('id').where('status', '=', 'pending');
  if (createdBefore) q = q.where('created_at', '<', createdBefore);
  const rows = await q.orderBy('id').limit(10_000).execute();
  return rows.map((r) => r.id);
}
