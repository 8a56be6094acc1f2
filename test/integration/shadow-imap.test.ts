import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shadowCommand } from '../../src/commands/shadow.command.ts';
import { demoMessage, uniqueDomain } from '../support/demo-mail.ts';
import { deskhandEnvFor, listMessages, sendRaw, waitForMessages } from './stack.ts';

/**
 * `deskhand shadow imap:INBOX` against the real Dovecot: every message is read and reported,
 * nothing is flagged (not even \Seen), moved or sent; a second run continues by UID and picks up
 * only what arrived since.
 */
describe('shadow mode over an IMAP folder', () => {
  it('reads INBOX read-only, reports every message, and resumes by UID', async () => {
    const domain = uniqueDomain('shi');
    const assistant = `assistant@${domain}`;
    const owner = `maya@${domain}`;
    for (const f of ['03-newsletter.eml', '07-vendor-request.eml', '11-bank-statement.eml'])
      await sendRaw({ from: `sender@${domain}`, to: [assistant] }, demoMessage(f, domain));
    await waitForMessages(assistant, 'INBOX', 3, 30_000);
    const out = mkdtempSync(join(tmpdir(), 'shadow-imap-'));
    const env = { ...deskhandEnvFor({ assistant, owner, databaseUrl: '' }), REDIS_URL: '' };
    const quiet = { write: () => true };
    try {
      expect(await shadowCommand({ source: 'imap:INBOX', out, env, stdout: quiet, stderr: quiet })).toBe(0);
      const report = readFileSync(join(out, 'report.html'), 'utf8');
      expect(report.match(/INBOX UID \d+/g)?.length).toBeGreaterThanOrEqual(3);
      expect(report).toContain('Delivery address for the brochure order');
      // Read-only: every message still unseen, still in INBOX, and nothing sent to anyone.
      const inbox = await listMessages(assistant);
      expect(inbox).toHaveLength(3);
      for (const m of inbox) expect([...m.flags]).not.toContain('\\Seen');

      // A fourth message arrives; the second run reads only it.
      await sendRaw({ from: `sender@${domain}`, to: [assistant] }, demoMessage('05-bounce.eml', domain));
      await waitForMessages(assistant, 'INBOX', 4, 30_000);
      const lines: string[] = [];
      const capture = { write: (s: string) => lines.push(s) > 0 };
      expect(await shadowCommand({ source: 'imap:INBOX', out, env, stdout: capture, stderr: quiet })).toBe(0);
      expect(lines.join('')).toMatch(/This run: 1 read — 1 new/);
      expect((await listMessages(assistant)).every((m) => !m.flags.has('\\Seen'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
