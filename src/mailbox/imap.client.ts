import { ImapFlow } from 'imapflow';
import type { Config } from '../config/config.ts';

export type ImapSettings = NonNullable<Config['imap']>;

/**
 * One place that builds imapflow clients. Auto-IDLE is off: imapflow only starts it after
 * 15 s of inactivity, which would delay new mail by up to 15 s; the watcher enters IDLE
 * itself right after every sync.
 */
export function createImapClient(s: ImapSettings, opts: { socketTimeoutMs?: number } = {}): ImapFlow {
  const client = new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.secure,
    auth: { user: s.user, pass: s.password },
    logger: false,
    disableAutoIdle: true,
    // RFC 2177: servers may drop IDLE after 30 min; re-issue well before.
    maxIdleTime: 5 * 60 * 1000,
    socketTimeout: opts.socketTimeoutMs ?? 30 * 60 * 1000,
    tls: { rejectUnauthorized: true },
  });
  // imapflow emits 'error' for socket faults; an unhandled 'error' event would kill the process.
  client.on('error', () => undefined);
  return client;
}

/** Stable key of a mailbox: the cursor's primary key and the watcher lock's name. */
export function mailboxKey(s: ImapSettings): string {
  return `${s.user.toLowerCase()}@${s.host}:${s.port}/${s.mailbox}`;
}

/** Jittered exponential backoff ("full jitter" halved): 0.5–1 × min(cap, base·2^attempt). */
export function backoffMs(
  attempt: number,
  random: () => number = Math.random,
  baseMs = 500,
  capMs = 30_000,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + random() / 2));
}
