import type { Kysely } from 'kysely';
import type { Database } from '../db/db.types.ts';
import type { FileRequest } from '../mailbox/imap.filer.ts';
import type { Clock } from '../shared/clock.ts';
import { describeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';

export interface FilingDeps {
  db: Kysely<Database>;
  filer: { file(req: FileRequest): Promise<void> };
  clock: Clock;
  log: Logger;
}

/** While this says triage is busy (a burst), a filing round waits, up to `maxHoldMs`. */
export interface FilingHold {
  busy(): boolean;
  maxHoldMs?: number;
}

/**
 * Files processed messages in bulk: every processed (or quarantined) message with a target
 * folder and no `filed_at` is moved, then marked filed and journaled in one transaction.
 * Decoupled from the process job so a burst of mail costs one MOVE per folder per round,
 * not one per message. Safe to run in several workers at once: MOVE of a UID that is
 * already gone does nothing, and only the worker whose UPDATE marks a row journals it.
 */
export async function fileBatch(deps: FilingDeps, limit = 500): Promise<number> {
  const rows = await deps.db
    .selectFrom('messages')
    .select(['id', 'uid', 'uid_validity', 'message_id', 'target_folder', 'thread_id'])
    .where('filed_at', 'is', null)
    .where('target_folder', 'is not', null)
    .where('status', '<>', 'received')
    .where('uid', 'is not', null)
    .orderBy('id')
    .limit(limit)
    .execute();
  if (!rows.length) return 0;
  await Promise.all(
    rows.map((r) =>
      deps.filer.file({
        uid: Number(r.uid),
        uidValidity: String(r.uid_validity),
        messageId: r.message_id,
        folder: r.target_folder!,
      }),
    ),
  );
  await deps.db.transaction().execute(async (trx) => {
    const marked = await trx
      .updateTable('messages')
      .set({ filed_at: deps.clock.now() })
      .where(
        'id',
        'in',
        rows.map((r) => r.id),
      )
      .where('filed_at', 'is', null)
      .returning(['id', 'thread_id', 'target_folder'])
      .execute();
    if (marked.length) {
      await trx
        .insertInto('journal')
        .values(
          marked.map((m) => ({
            actor: 'deskhand',
            action: 'filed',
            reason: `moved to ${m.target_folder}`,
            message_id: m.id,
            thread_id: m.thread_id,
          })),
        )
        .execute();
    }
  });
  return rows.length;
}

/** Runs `fileBatch` whenever kicked (after processing) and every `intervalMs` as a sweep. */
export class FilingLoop {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly deps: FilingDeps;
  private readonly intervalMs: number;
  private readonly hold: FilingHold | null;

  constructor(deps: FilingDeps, intervalMs = 2_000, hold: FilingHold | null = null) {
    this.deps = deps;
    this.intervalMs = intervalMs;
    this.hold = hold;
  }

  start(): void {
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.kick();
  }

  /** Asks for a round soon; rounds never overlap, and kicks during a round cause one more. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.round().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async round(): Promise<void> {
    try {
      // Let the messages of a burst that finish together share one round. During a burst, wait
      // until triage is through it: one MOVE of hundreds of messages afterwards costs the mail
      // server and the database far less than a round every few milliseconds competing with triage.
      const heldSince = performance.now();
      do await new Promise((r) => setTimeout(r, 20));
      while (
        !this.stopped &&
        this.hold?.busy() &&
        performance.now() - heldSince < (this.hold.maxHoldMs ?? 30_000)
      );
      while (!this.stopped && (await fileBatch(this.deps)) > 0) {
        // keep going while there is a backlog
      }
    } catch (err) {
      this.deps.log.warn({ err: describeError(err) }, 'filing round failed; will retry');
    }
  }
}
