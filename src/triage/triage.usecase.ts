import { type Kysely, sql } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import type { NormalizedMessage } from '../ingest/message.model.ts';
import { getMessage } from '../ingest/message.repository.ts';
import { parseMessage } from '../ingest/parse.ts';
import { assignThread } from '../ingest/thread.repository.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import type { Clock } from '../shared/clock.ts';
import { describeError, QuarantineError } from '../shared/errors.ts';
import type { TriageContext, TriageResult } from './triage.model.ts';
import { triageMessage } from './triage.rules.ts';

export interface ProcessDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  /** Decides whether Message-IDs / plus-tags refer to one of our approval requests (approvals issue). */
  isApprovalReference?: TriageContext['isApprovalReference'];
}

export type ProcessOutcome =
  | { kind: 'processed'; messageId: string; threadId: string; triage: TriageResult; folder: string | null }
  | { kind: 'quarantined'; messageId: string; reason: string; folder: string }
  | { kind: 'skipped'; messageId: string; status: string };

/**
 * Parses, triages and threads one stored message, in one transaction guarded by
 * `status = 'received'`: running it twice (a retried job, two workers) changes
 * nothing the second time. Unparseable input is quarantined with the reason; this
 * function only throws for infrastructure faults (the job is then retried).
 */
export async function processMessage(deps: ProcessDeps, id: string): Promise<ProcessOutcome> {
  const row = await getMessage(deps.db, id);
  if (!row) return { kind: 'skipped', messageId: id, status: 'missing' };
  if (row.status !== 'received' || !row.raw) return { kind: 'skipped', messageId: id, status: row.status };

  let msg: NormalizedMessage;
  try {
    msg = await parseMessage(row.raw);
  } catch (err) {
    return quarantine(
      deps,
      id,
      err instanceof QuarantineError ? err.message : `cannot parse: ${describeError(err)}`,
    );
  }
  const triage = triageMessage(msg, {
    ownerEmail: deps.config.owner.email,
    assistantEmail: deps.config.assistant.email,
    teamDomains: deps.config.teamDomains,
    isApprovalReference: deps.isApprovalReference,
  });
  const folder = deps.config.env.FILING_ENABLED ? deps.config.folders[triage.category] : null;

  return deps.db.transaction().execute(async (trx) => {
    const threadId = await assignThread(trx, msg);
    for (const a of msg.attachments) {
      await trx
        .insertInto('attachments')
        .values({
          message_id: id,
          filename: a.filename,
          content_type: a.contentType,
          size: a.size,
          sha256: a.sha256,
          inline: a.inline,
          content: a.content,
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    // The status change and its journal row in one statement (a data-modifying CTE): one
    // round trip, and the journal row exists only if this call made the change.
    const journaled = await trx
      .with('done', (db) =>
        db
          .updateTable('messages')
          .set({
            status: 'processed',
            processed_at: deps.clock.now(),
            thread_id: threadId,
            message_id: msg.messageId,
            subject: msg.subject,
            from_address: msg.from?.address ?? null,
            category: triage.category,
            addressing: triage.addressing,
            requester: triage.requester,
            automatic: triage.automatic,
            parsed: JSON.stringify(storableMessage(msg)),
            triage: JSON.stringify(triage),
            target_folder: folder,
          })
          .where('id', '=', id)
          .where('status', '=', 'received')
          .returning(['id', 'thread_id']),
      )
      .insertInto('journal')
      .columns(['actor', 'action', 'reason', 'message_id', 'thread_id', 'data'])
      .expression((eb) =>
        eb.selectFrom('done').select([
          eb.val('deskhand').as('actor'),
          eb.val('triaged').as('action'),
          eb.val(triage.reasons.join('; ')).as('reason'),
          'done.id',
          'done.thread_id',
          sql<string>`${JSON.stringify({
            addressing: triage.addressing,
            category: triage.category,
            requester: triage.requester,
            automatic: triage.automatic,
            confidence: triage.confidence,
            folder,
          })}::jsonb`.as('data'),
        ]),
      )
      .returning('id')
      .execute();
    if (journaled.length !== 1) {
      throw new Error(`message ${id} was processed concurrently`);
    }
    return { kind: 'processed' as const, messageId: id, threadId, triage, folder };
  });
}

async function quarantine(deps: ProcessDeps, id: string, reason: string): Promise<ProcessOutcome> {
  const folder = deps.config.folders.quarantine;
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .updateTable('messages')
      .set({ status: 'quarantined', error: reason, processed_at: deps.clock.now(), target_folder: folder })
      .where('id', '=', id)
      .where('status', '=', 'received')
      .execute();
    await appendJournal(trx, { actor: 'deskhand', action: 'quarantined', reason, messageId: id });
  });
  return { kind: 'quarantined', messageId: id, reason, folder };
}

/** The normalized message as stored in `messages.parsed`: attachment bytes live in `attachments`. */
export function storableMessage(msg: NormalizedMessage) {
  return { ...msg, html: null, attachments: msg.attachments.map(({ content: _c, ...rest }) => rest) };
}
