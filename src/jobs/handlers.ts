import type { Kysely } from 'kysely';
import type { Config } from '../config/config.ts';
import type { Database } from '../db/db.types.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import type { FileRequest } from '../mailbox/imap.filer.ts';
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
  /** null in demo/shadow: nothing is moved. */
  filer: { file(req: FileRequest): Promise<void> } | null;
}

/**
 * The `process` job: triage the message (idempotent), then settle what follows from it —
 * the owner's notice for quarantined mail (once) and filing into the category folder.
 * Each step checks the row's state first, so a retry resumes where the last try stopped.
 */
export async function handleProcessJob(deps: PipelineDeps, messageId: string): Promise<void> {
  await processMessage(deps, messageId);
  await settleMessage(deps, messageId);
}

async function settleMessage(deps: PipelineDeps, id: string): Promise<void> {
  const row = await deps.db
    .selectFrom('messages')
    .select([
      'id',
      'status',
      'subject',
      'from_address',
      'error',
      'target_folder',
      'filed_at',
      'uid',
      'uid_validity',
      'message_id',
      'thread_id',
      'size',
    ])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || row.status === 'received') return;
  if (row.status === 'quarantined') {
    const notice = await notifyOwner(deps.db, deps.config, deps.clock, {
      key: `quarantine:${id}`,
      subject: `Could not process "${row.subject ?? '(no subject)'}"`,
      text: [
        `A message could not be processed and was set aside, untouched.`,
        ``,
        `From: ${row.from_address ?? 'unknown'}`,
        `Subject: ${row.subject ?? '(no subject)'}`,
        `Size: ${row.size} bytes`,
        `Reason: ${row.error ?? 'unknown'}`,
        ``,
        deps.filer
          ? `It is in the "${deps.config.folders.quarantine}" folder of the assistant's mailbox.`
          : '',
        `Nothing else was done with it. Forward it again as a smaller or repaired file if it matters.`,
      ].join('\n'),
      threadId: row.thread_id,
    });
    if (notice.kind === 'queued' && !notice.existing) await deps.jobs.enqueueSend([notice.outboxId]);
  }
  const folder =
    row.target_folder ??
    (row.status === 'quarantined' && deps.config.env.FILING_ENABLED ? deps.config.folders.quarantine : null);
  if (!folder || row.filed_at || !deps.filer || row.uid === null || row.uid_validity === null) return;
  await deps.filer.file({
    uid: Number(row.uid),
    uidValidity: String(row.uid_validity),
    messageId: row.message_id,
    folder,
  });
  await deps.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('messages')
      .set({ filed_at: deps.clock.now(), target_folder: folder })
      .where('id', '=', id)
      .where('filed_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 1) {
      await appendJournal(trx, {
        actor: 'deskhand',
        action: 'filed',
        reason: `moved to ${folder}`,
        messageId: id,
        threadId: row.thread_id,
      });
    }
  });
}

/** Ids to re-enqueue after a restart: stored but unprocessed, or processed but not yet filed/notified. */
export async function recoveryIds(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('status', '=', 'received'),
        eb.and([eb('filed_at', 'is', null), eb('target_folder', 'is not', null)]),
      ]),
    )
    .orderBy('id')
    .limit(50_000)
    .execute();
  return rows.map((r) => r.id);
}
