import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import type { DatabaseHandle } from '../../src/db/db.ts';
import { MailboxWatcher } from '../../src/mailbox/imap.watcher.ts';
import { openMigrated } from '../../src/runtime.ts';
import { silentLogger } from '../../src/shared/logger.ts';
import { uniqueDomain } from '../support/demo-mail.ts';
import { freshDatabase, sendMail, stackEnv } from './stack.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = async (cond: () => boolean | Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('one watcher per mailbox', () => {
  it('with two processes watching the same mailbox, one leads, the other stands by and takes over when the leader stops', async () => {
    const s = stackEnv();
    const db = await freshDatabase('lock');
    const assistant = `assistant@${uniqueDomain('lock')}`;
    const config = loadConfig({
      ASSISTANT_EMAIL: assistant,
      IMAP_HOST: s.imapHost,
      IMAP_PORT: String(s.imapPort),
      IMAP_SECURE: 'false',
      IMAP_PASSWORD: s.password,
      DATABASE_URL: db.url,
    });
    // Two handles = two processes' connection pools: the advisory lock is per connection.
    const handles: DatabaseHandle[] = [await openMigrated(config), await openMigrated(config)];
    const stored: string[] = [];
    const watchers = handles.map(
      (handle) =>
        new MailboxWatcher({
          handle,
          imap: config.imap!,
          maxMessageBytes: 1e7,
          watchdogMs: 5000,
          log: silentLogger(),
          onStored: async (ids) => void stored.push(...ids),
        }),
    );
    cleanups.push(async () => {
      for (const w of watchers) await w.stop();
      for (const h of handles) await h.close();
      await db.drop();
    });
    void watchers[0]!.start();
    await until(() => watchers[0]!.leading, 5000);
    void watchers[1]!.start();
    await new Promise((r) => setTimeout(r, 1000));
    expect(watchers.map((w) => w.leading)).toEqual([true, false]);

    await sendMail({ from: 'a@lumen.example', to: assistant, subject: 'first', text: 'x' });
    await until(() => stored.length === 1, 5000);
    await watchers[0]!.stop();
    await until(() => watchers[1]!.leading, 10_000);
    await sendMail({ from: 'a@lumen.example', to: assistant, subject: 'second', text: 'y' });
    await until(() => stored.length === 2, 10_000);
    const rows = await handles[1]!.db.selectFrom('messages').select('subject').orderBy('id').execute();
    expect(rows.map((r) => r.subject)).toEqual(['first', 'second']);
  });
});
