import type { Kysely } from 'kysely';
import type { Database } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import type { SentStore } from '../mailbox/imap.sent.ts';
import type { Mailer } from '../mailbox/smtp.mailer.ts';
import { SmtpSendError } from '../mailbox/smtp.mailer.ts';
import type { Clock } from '../shared/clock.ts';
import { DeskhandError, describeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { composeOutbound } from './outbox.compose.ts';
import { claimForSending, finishSend, stuckSending } from './outbox.repository.ts';

export interface SenderDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  sent: SentStore | null;
  clock: Clock;
  log: Logger;
  fromName: string;
  /** Attempts before a retryable failure becomes `failed`. */
  maxAttempts?: number;
  /** Tells the owner about a send whose fate is unknown (called once per row). */
  notifyAmbiguous?: (outboxId: string, detail: string) => Promise<void>;
}

export type SendOutcome = 'sent' | 'ambiguous' | 'failed' | 'retry' | 'not-pending';

/**
 * Sends one outbox row, exactly once: the pending → sending compare-and-set means two
 * workers cannot both send it. A failure before the message body went out is retried
 * (the row goes back to pending and this throws a retryable error); a failure after it may
 * have been accepted becomes `ambiguous` and is never resent (RELIABILITY.md items 2, 3).
 */
export async function sendOutboxRow(deps: SenderDeps, id: string): Promise<SendOutcome> {
  const row = await claimForSending(deps.db, id, deps.clock.now());
  if (!row) return 'not-pending';
  const raw = await composeOutbound(row, deps.fromName, deps.clock.now());
  const to = [...row.to_addresses, ...row.cc_addresses];
  try {
    const { response } = await deps.mailer.sendRaw({ from: row.from_address, to }, raw);
    await deps.db.transaction().execute(async (trx) => {
      await finishSend(trx, id, 'sent', { smtpResponse: response, now: deps.clock.now() });
      await appendJournal(trx, {
        actor: 'outbox',
        action: 'sent',
        reason: `${row.purpose} to ${to.join(', ')}`,
        outboxId: id,
        threadId: row.thread_id,
        messageId: row.source_message,
        data: { messageId: row.message_id, smtp: response },
      });
    });
    await saveToSent(deps, id, raw);
    return 'sent';
  } catch (err) {
    return handleFailure(deps, id, row.attempts, err);
  }
}

async function handleFailure(
  deps: SenderDeps,
  id: string,
  attempts: number,
  err: unknown,
): Promise<SendOutcome> {
  const e = err instanceof SmtpSendError ? err : null;
  const detail = describeError(err);
  const now = deps.clock.now();
  if (e?.mayHaveBeenDelivered) {
    await deps.db.transaction().execute(async (trx) => {
      await finishSend(trx, id, 'ambiguous', { error: detail, now });
      await appendJournal(trx, { actor: 'outbox', action: 'send_ambiguous', reason: detail, outboxId: id });
    });
    await deps.notifyAmbiguous?.(id, detail);
    return 'ambiguous';
  }
  const canRetry = (e ? e.retryable : true) && attempts < (deps.maxAttempts ?? 5);
  await deps.db.transaction().execute(async (trx) => {
    await finishSend(trx, id, canRetry ? 'pending' : 'failed', { error: detail, now });
    await appendJournal(trx, {
      actor: 'outbox',
      action: canRetry ? 'send_retry' : 'send_failed',
      reason: detail,
      outboxId: id,
      data: { attempts, stage: e?.stage ?? null },
    });
  });
  if (canRetry) throw new DeskhandError('SEND_RETRY', detail, { retryable: true, context: { outboxId: id } });
  return 'failed';
}

async function saveToSent(deps: SenderDeps, id: string, raw: Buffer): Promise<void> {
  if (!deps.sent) return;
  try {
    await deps.sent.append(raw);
    await deps.db.updateTable('outbox').set({ saved_to_sent: true }).where('id', '=', id).execute();
  } catch (err) {
    // The mail went out; a missing Sent copy is logged, not a reason to resend.
    deps.log.warn({ outboxId: id, err: describeError(err) }, 'could not append to Sent');
  }
}

/**
 * After a crash, rows left in `sending` are settled without resending: found in the Sent
 * folder → `sent`; otherwise → `ambiguous`, and the owner is told once.
 */
export async function recoverStuckSends(
  deps: SenderDeps,
  olderThanMs = 0,
): Promise<{ sent: number; ambiguous: number }> {
  const rows = await stuckSending(deps.db, new Date(deps.clock.now().getTime() - olderThanMs));
  let sent = 0;
  let ambiguous = 0;
  for (const row of rows) {
    const found = deps.sent ? await deps.sent.contains(row.message_id).catch(() => false) : false;
    const status = found ? 'sent' : 'ambiguous';
    const reason = found
      ? 'found in the Sent folder after a restart'
      : 'interrupted during sending; not found in the Sent folder, so not resent';
    await deps.db.transaction().execute(async (trx) => {
      await finishSend(trx, row.id, status, { error: found ? null : reason, now: deps.clock.now() });
      await appendJournal(trx, {
        actor: 'outbox',
        action: found ? 'sent' : 'send_ambiguous',
        reason,
        outboxId: row.id,
      });
    });
    if (found) sent++;
    else {
      ambiguous++;
      await deps.notifyAmbiguous?.(row.id, reason);
    }
  }
  return { sent, ambiguous };
}
