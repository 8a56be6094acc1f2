import type { ImapFlow } from 'imapflow';
import type { Logger } from '../shared/logger.ts';
import { createImapClient, type ImapSettings } from './imap.client.ts';

export interface FileRequest {
  uid: number;
  uidValidity: string;
  messageId: string;
  folder: string;
}

/**
 * Moves processed messages out of the watched mailbox into their category folder.
 * Never deletes: IMAP MOVE (RFC 6851) or COPY+flag only. Requests arriving within a
 * few milliseconds are grouped into one MOVE per folder, which keeps a burst of mail
 * from costing one round-trip per message. Folders are created on first use.
 */
export class ImapFiler {
  private client: ImapFlow | null = null;
  private connecting: Promise<ImapFlow> | null = null;
  private readonly known = new Set<string>();
  private queue: { req: FileRequest; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly settings: ImapSettings;
  private readonly log: Logger;

  constructor(settings: ImapSettings, log: Logger) {
    this.settings = settings;
    this.log = log;
  }

  /** Resolves once the message is in `folder` (or was no longer in the source mailbox). */
  file(req: FileRequest): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.flushing = this.flushing.then(() => this.flush());
      }, 5);
    });
  }

  async close(): Promise<void> {
    await this.flushing;
    const c = this.client;
    this.client = null;
    if (c) await c.logout().catch(() => c.close());
  }

  private async connection(): Promise<ImapFlow> {
    if (this.client?.usable) return this.client;
    this.connecting ??= (async () => {
      const c = createImapClient(this.settings);
      await c.connect();
      await c.mailboxOpen(this.settings.mailbox);
      this.client = c;
      return c;
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async flush(): Promise<void> {
    const items = this.queue;
    this.queue = [];
    const byFolder = new Map<string, typeof items>();
    for (const it of items) byFolder.set(it.req.folder, [...(byFolder.get(it.req.folder) ?? []), it]);
    for (const [folder, group] of byFolder) {
      try {
        const c = await this.connection();
        await this.ensureFolder(c, folder);
        // This session only knows the messages it has been told about (RFC 3501 §7.3.1): a
        // UID MOVE naming a message that arrived since is silently a no-op. NOOP syncs it.
        await c.noop();
        const current = String(c.mailbox ? c.mailbox.uidValidity : '');
        const uids: number[] = [];
        for (const it of group) {
          if (it.req.uidValidity === current) uids.push(it.req.uid);
          else {
            // The mailbox was rebuilt: our UID is stale, find the message by Message-ID.
            const found = await c.search({ header: { 'message-id': it.req.messageId } }, { uid: true });
            if (Array.isArray(found)) uids.push(...found);
          }
        }
        if (uids.length) await c.messageMove(uids.join(','), folder.split('/'), { uid: true });
        for (const it of group) it.resolve();
      } catch (err) {
        this.log.warn({ folder, count: group.length, err: String(err) }, 'filing failed');
        this.client?.close();
        this.client = null;
        for (const it of group) it.reject(err);
      }
    }
  }

  private async ensureFolder(c: ImapFlow, folder: string): Promise<void> {
    if (this.known.has(folder)) return;
    try {
      // As a path: imapflow joins it with the server's own hierarchy delimiter.
      await c.mailboxCreate(folder.split('/'));
    } catch (err) {
      // ALREADYEXISTS (RFC 5530) is fine; anything else surfaces on the MOVE.
      if (!/exist/i.test(String((err as { responseText?: string }).responseText ?? err))) throw err;
    }
    this.known.add(folder);
  }
}
