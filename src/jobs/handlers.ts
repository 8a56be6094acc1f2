import type { Kysely } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import { notifyOwner } from '../outbox/notices.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { processMessage } from '../triage/triage.usecase.ts';
import type { JobQueue } from './queues.ts';

export interface PipelineDeps {
  db: Kysely<Database>;
  config: Config;
  clock: Clock;
  log: Logger;
  jobs: JobQueue;
  /** Files processed mail in bulk (see FilingLoop); null in demo/shadow: nothing is moved. */
  filing: { kick(): void } | null;
}

/**
 * The `process` job: triage the message (idempotent), then settle what follows from it —
 * the owner's notice for quarantined mail (once) — and ask the filing loop to move it.
 * Each step checks the row's state first, so a retry resumes where the last try stopped.
 */
export async function handleProcessJob(deps: PipelineDeps, messageId: string): Promise<void> {
  const outcome = await processMessage(deps, messageId);
  // Quarantined now, or earlier (at ingest, or by a try that stopped before its notice).
  if (outcome.kind !== 'processed') await settleQuarantine(deps, messageId);
  deps.filing?.kick();
}

async function settleQuarantine(deps: PipelineDeps, id: string): Promise<void> {
  const row = await deps.db
    .selectFrom('messages')
    .select(['status', 'subject', 'from_address', 'error', 'target_folder', 'thread_id', 'size'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (row?.status !== 'quarantined') return;
  if (!row.target_folder && deps.config.env.FILING_ENABLED) {
    await deps.db
      .updateTable('messages')
      .set({ target_folder: deps.config.folders.quarantine })
      .where('id', '=', id)
      .where('target_folder', 'is', null)
      .execute();
  }
  const notice = await notifyOwner(deps.db, deps.config, deps.clock, {
    key: `quarantine:${id}`,
    subject: `Could not process "${row.subject ?? '(no subject)'}"`,
    text: [
      'A message could not be processed and was set aside, untouched.',
      '',
      `From: ${row.from_address ?? 'unknown'}`,
      `Subject: ${row.subject ?? '(no subject)'}`,
      `Size: ${row.size} bytes`,
      `Reason: ${row.error ?? 'unknown'}`,
      '',
      deps.filing
        ? `It is in the "${deps.config.folders.quarantine}" folder of the assistant's mailbox.`
        : '',
      'Nothing else was done with it. Forward it again as a smaller or repaired file if it matters.',
    ].join('\n'),
    threadId: row.thread_id,
  });
  if (notice.kind === 'queued' && !notice.existing) await deps.jobs.enqueueSend([notice.outboxId]);
}

/** Ids to re-enqueue after a restart: stored but not yet processed. (Unfiled mail is swept by the filing loop.) */
export async function recoveryIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where('status', '=', 'received')
    .orderBy('id')
    .limit(50_000)
    .execute();
  return rows.map((r) => r.id);
}
