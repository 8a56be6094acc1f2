import type { ImapFlow } from 'imapflow';
import type { DatabaseHandle, HeldLock } from '../db/db.ts';
import { describeError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { backoffMs, createImapClient, type ImapSettings, mailboxKey } from './imap.client.ts';
import { type SyncDeps, syncMailbox } from './imap.sync.ts';

/** After new mail, poll every BURST_POLL_MS for BURST_WINDOW_MS before going back to IDLE. */
const BURST_WINDOW_MS = 2_000;
const BURST_POLL_MS = 50;

export interface WatcherOptions {
  handle: DatabaseHandle;
  imap: ImapSettings;
  maxMessageBytes: number;
  /** How often a live check runs while idling; a check that gets no answer within it reconnects. */
  watchdogMs: number;
  onStored: SyncDeps['onStored'];
  log: Logger;
  /** The application's clock, for arrival times (default: the database's). */
  now?: () => Date;
  /** Test hook: called after each completed sync. */
  onSynced?: (r: Awaited<ReturnType<typeof syncMailbox>>) => void;
}

/**
 * Owns one mailbox: holds the per-mailbox lock (one watcher across all processes),
 * connects, syncs, enters IDLE right after every sync (RFC 2177), and syncs again on
 * every EXISTS push and on every watchdog tick. A command that gets no answer within the
 * watchdog period means a silently dead connection: the socket is dropped and the
 * session reconnects with jittered backoff; every (re)connect starts with a full resync.
 */
export class MailboxWatcher {
  readonly key: string;
  private stopped = false;
  private client: ImapFlow | null = null;
  private lock: HeldLock | null = null;
  private wake: (() => void) | null = null;
  private runPromise: Promise<void> | null = null;

  private readonly o: WatcherOptions;

  constructor(options: WatcherOptions) {
    this.o = options;
    this.key = mailboxKey(options.imap);
  }

  /** True while this watcher holds the mailbox lock (is the one watching). */
  get leading(): boolean {
    return this.lock !== null;
  }

  start(): Promise<void> {
    this.runPromise ??= this.run();
    return this.runPromise;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const c = this.client;
    if (c) await c.logout().catch(() => c.close());
    await this.runPromise?.catch(() => undefined);
    await this.lock?.release();
    this.lock = null;
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      const startedAt = Date.now();
      try {
        if (!this.lock || !(await this.lock.check())) {
          this.lock = await this.o.handle.tryLock(`watcher:${this.key}`);
          if (!this.lock) {
            this.o.log.info({ mailbox: this.key }, 'another process watches this mailbox; standing by');
            await this.sleep(5_000);
            continue;
          }
        }
        await this.session();
      } catch (err) {
        this.o.log.warn({ mailbox: this.key, err: describeError(err) }, 'mailbox session ended');
      }
      if (this.stopped) break;
      if (Date.now() - startedAt > 60_000) attempt = 0;
      const wait = backoffMs(attempt++);
      this.o.log.info({ mailbox: this.key, waitMs: wait }, 'reconnecting');
      await this.sleep(wait);
    }
  }

  private async session(): Promise<void> {
    const client = createImapClient(this.o.imap);
    this.client = client;
    let dirty = true;
    let closed = false;
    const signal = () => {
      const w = this.wake;
      this.wake = null;
      w?.();
    };
    client.on('exists', () => {
      dirty = true;
      signal();
    });
    client.on('close', () => {
      closed = true;
      signal();
    });
    await client.connect();
    await client.mailboxOpen(this.o.imap.mailbox);
    this.o.log.info({ mailbox: this.key }, 'connected; syncing');
    let lastCheck = Date.now();
    let lastNewMail = 0;
    try {
      while (!this.stopped && !closed) {
        if (dirty || Date.now() - lastCheck >= this.o.watchdogMs) {
          dirty = false;
          lastCheck = Date.now();
          const r = await this.guarded(client, () => this.syncOnce(client));
          this.o.onSynced?.(r);
          // Mail is still arriving (a burst): sync again at once rather than wait for the
          // server's IDLE notice, which Dovecot sends ~0.5 s after delivery and holds back
          // while deliveries keep coming.
          if (r.fetched > 0) {
            dirty = true;
            lastNewMail = Date.now();
          }
          continue;
        }
        if (Date.now() - lastNewMail < BURST_WINDOW_MS) {
          // Shortly after new mail, poll instead of idling: more is likely on its way.
          await this.sleep(BURST_POLL_MS);
          dirty = true;
          continue;
        }
        // Enter IDLE now, not after imapflow's 15 s auto-idle delay. Any command we issue
        // (the next sync) ends it with DONE first.
        const woke = new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        client.idle().catch(() => undefined);
        const tick = Math.max(0, this.o.watchdogMs - (Date.now() - lastCheck));
        await Promise.race([woke, this.sleep(tick)]);
      }
    } finally {
      this.client = null;
      if (!closed) client.close();
    }
  }

  private syncOnce(client: ImapFlow) {
    return syncMailbox(client, {
      db: this.o.handle.db,
      key: this.key,
      maxMessageBytes: this.o.maxMessageBytes,
      onStored: this.o.onStored,
      onProgress: () => this.touch?.(),
      ...(this.o.now ? { now: this.o.now } : {}),
    });
  }

  private touch: (() => void) | null = null;

  /**
   * Runs `fn` under a deadline that progress extends: if the server sends nothing for a
   * whole watchdog period, the connection is presumed dead (no FIN ever arrives on a
   * silently dropped link) and closed, which ends the session.
   */
  private async guarded<T>(client: ImapFlow, fn: () => Promise<T>): Promise<T> {
    const limit = Math.max(2_000, this.o.watchdogMs);
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.o.log.warn(
          { mailbox: this.key, limitMs: limit },
          'IMAP server silent past the watchdog limit; dropping connection',
        );
        client.close();
      }, limit);
    };
    this.touch = arm;
    arm();
    try {
      return await fn();
    } finally {
      clearTimeout(timer);
      this.touch = null;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      const prev = this.wake;
      // stop() wakes sleepers too.
      this.wake = () => {
        clearTimeout(t);
        resolve();
        prev?.();
      };
    });
  }
}
