import type { ImapFlow } from 'imapflow';
import { createImapClient, type ImapSettings } from './imap.client.ts';

/** The assistant's Sent folder: a copy of everything sent, and the evidence a send happened. */
export interface SentStore {
  append(raw: Buffer): Promise<void>;
  /** True if a message with this Message-ID is in the Sent folder. */
  contains(messageId: string): Promise<boolean>;
}

/** Finds the Sent folder by its RFC 6154 special-use flag, else a folder named "Sent" (created if missing). */
export function createImapSentStore(s: ImapSettings): SentStore {
  const withClient = async <T>(fn: (c: ImapFlow, path: string) => Promise<T>): Promise<T> => {
    const c = createImapClient(s);
    await c.connect();
    try {
      const list = await c.list();
      let path = list.find((m) => m.specialUse === '\\Sent')?.path;
      if (!path) {
        path = 'Sent';
        if (!list.some((m) => m.path === path)) await c.mailboxCreate(path).catch(() => undefined);
      }
      return await fn(c, path);
    } finally {
      await c.logout().catch(() => c.close());
    }
  };
  return {
    append: (raw) =>
      withClient(async (c, path) => {
        await c.append(path, raw, ['\\Seen']);
      }),
    contains: (messageId) =>
      withClient(async (c, path) => {
        const lock = await c.getMailboxLock(path);
        try {
          const found = await c.search({ header: { 'message-id': messageId } }, { uid: true });
          return Array.isArray(found) && found.length > 0;
        } finally {
          lock.release();
        }
      }),
  };
}
