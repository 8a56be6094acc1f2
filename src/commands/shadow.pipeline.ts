import { authenticateSender } from '../auth/sender-auth.ts';
import type { Config } from '../config/config.ts';
import type { DatabaseHandle } from '../db/db.ts';
import { storeFetchedBatch } from '../ingest/message.repository.ts';
import { headerHints } from '../ingest/sources/source.headers.ts';
import type { OpenedSource, PositionedMessage } from '../ingest/sources/source.model.ts';
import { handleProcessJob, type PipelineDeps } from '../jobs/handlers.ts';
import type { JobQueue } from '../jobs/queues.ts';
import { appendJournal } from '../journal/journal.repository.ts';
import { skillServices } from '../runtime.ts';
import type { Clock } from '../shared/clock.ts';
import { describeError } from '../shared/errors.ts';
import { silentLogger } from '../shared/logger.ts';
import { SHADOW_FAILED, SHADOW_READ } from './shadow.rows.ts';

/**
 * The live pipeline's dependencies with nothing that reaches out: jobs run in-process (the send
 * queue drops its jobs, so outbox rows stay `pending`), filing is off (nothing is moved), there is no
 * mailer at all. Used by `shadow` and `demo`. Without `dns`, the owner's mail is verified only by a
 * trusted Authentication-Results header; with it, DKIM keys are looked up in DNS.
 */
export function offlinePipeline(
  config: Config,
  handle: DatabaseHandle,
  clock: Clock,
  opts: { dns: boolean },
): PipelineDeps {
  // No send job is ever run: what the pipeline queues stays an outbox row in `pending`.
  const jobs: JobQueue = {
    enqueueProcess: async () => undefined,
    enqueueSend: async () => undefined,
    close: async () => undefined,
  };
  const services = skillServices(config, handle, clock);
  const deps: PipelineDeps = {
    db: handle.db,
    config,
    clock,
    log: silentLogger(),
    jobs,
    filing: null,
    ...services,
    authenticate: opts.dns
      ? services.authenticate
      : (raw) =>
          authenticateSender(raw, {
            requireAuth: config.env.APPROVAL_REQUIRE_AUTH,
            trustedAuthservIds: config.env.TRUSTED_AUTHSERV_IDS,
            dnsServers: [],
            resolver: async () => {
              throw new Error('no DNS lookups in an offline run (shadow: pass --dns to allow them)');
            },
          }),
  };
  return deps;
}

export interface Stored {
  /** Rows to process: new, or quarantined at ingest (their notice is still due). */
  ids: string[];
  duplicate: boolean;
}

/**
 * Stores one source message and advances the source's cursor to its position, in one transaction
 * (so a rerun skips exactly what is committed), and journals where it came from. A message the
 * database already holds — same Message-ID and content — is not stored again. Over the size limit,
 * only its headers' facts are kept and it is quarantined, as in live mode.
 */
export async function storeOne(
  handle: DatabaseHandle,
  source: OpenedSource,
  m: PositionedMessage,
  maxBytes: number,
  receivedAt: Date,
): Promise<Stored> {
  const hints = headerHints(m.raw);
  return handle.db.transaction().execute(async (trx) => {
    const r = await storeFetchedBatch(
      trx,
      source.key,
      source.uidValidity,
      [
        {
          uid: m.position,
          size: m.size,
          internalDate: m.internalDate,
          raw: m.oversize ? null : m.raw,
          messageId: hints.messageId,
          sha256: m.sha256,
          subject: hints.subject,
          from: hints.from,
        },
      ],
      { lastUid: m.position, highestModseq: null },
      {
        receivedAt,
        quarantineReason: (f) =>
          f.raw ? null : `message is ${f.size} bytes, over the ${maxBytes}-byte limit; not read`,
      },
    );
    const ids = [...r.newIds, ...r.quarantinedIds];
    for (const id of ids)
      await appendJournal(trx, {
        actor: 'shadow',
        action: SHADOW_READ,
        reason: m.name,
        messageId: id,
        data: { position: m.position, size: m.size, warning: m.warning },
      });
    return { ids, duplicate: ids.length === 0 };
  });
}

/**
 * Runs one stored message through the pipeline. A processing error is journaled and the message
 * stays unfinished, to be retried by the next run (see recoveryIds), while the rest flows; only a
 * database that cannot even take that journal row stops the run.
 */
export async function processOne(deps: PipelineDeps, id: string): Promise<boolean> {
  try {
    await handleProcessJob(deps, id);
    return true;
  } catch (err) {
    await appendJournal(deps.db, {
      actor: 'shadow',
      action: SHADOW_FAILED,
      reason: describeError(err),
      messageId: id,
    });
    return false;
  }
}
