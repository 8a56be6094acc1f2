import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['bin/deskhand.js', ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

describe('the command line', () => {
  it('triage --json prints the contract fields for a forwarded invoice', async () => {
    const r = await cli(['triage', 'examples/demo-mailbox/02-forwarded-invoice.eml', '--json'], {
      OWNER_EMAIL: 'maya@northwind.example',
      ASSISTANT_EMAIL: 'assistant@northwind.example',
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      addressing: 'forward',
      category: 'invoice',
      requester: 'owner',
      forwarded: { from: expect.stringContaining('billing@acme.example'), subject: 'Invoice 2024-0042' },
    });
    expect(typeof j.from).toBe('string');
    expect(typeof j.replyText).toBe('string');
    expect(j.forwarded.date).toBeTruthy();
    expect(j.forwarded.text).toMatch(/2024-0042/);
  });

  it('demo runs the bundled mailbox with nothing configured and sends nothing', async () => {
    const r = await cli(['demo', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.messages).toHaveLength(8);
    expect(j.wouldSend).toEqual([]);
    expect(j.messages.map((m: { category: string }) => m.category)).toEqual([
      'meeting',
      'invoice',
      'newsletter',
      'auto_reply',
      'bounce',
      'request',
      'request',
      'receipt',
    ]);
  }, 90_000);

  it('stops with a sentence naming the variable when configuration is wrong', async () => {
    const r = await cli(['triage', 'examples/demo-mailbox/01-cc-meeting.eml'], {
      OWNER_TIMEZONE: 'Europe/Atlantis',
    });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/OWNER_TIMEZONE: must be an IANA time zone/);
  });

  it('refuses live mode without a mailbox, saying which variable is missing', async () => {
    const r = await cli(['start'], { IMAP_HOST: '', REDIS_URL: '', DATA_DIR: ':memory:' });
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/IMAP_HOST/);
  });
});
