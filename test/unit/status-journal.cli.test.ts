import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/db.ts';
import { migrate } from '../../src/db/migrator.ts';
import { closePdfReader } from '../../src/extract/pdf/pdf.reader.ts';
import { approvalsConfig, demoMail, harness } from './builders/approvals-harness.ts';

// `deskhand status --json` and `deskhand journal --json` as a user runs them, on an embedded
// database in a DATA_DIR that the real pipeline filled first: the forwarded ACME invoice (an
// approval round left open, its email unsent) and a newsletter.

const run = promisify(execFile);
let dataDir: string;

const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['bin/deskhand.js', ...args], {
    env: {
      ...process.env,
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      REDIS_URL: '',
      OWNER_EMAIL: 'maya@northwind.example',
      ASSISTANT_EMAIL: 'assistant@northwind.example',
      OWNER_TIMEZONE: 'Europe/Berlin',
      ...env,
    },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'deskhand-status-'));
  const h = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await migrate(h);
    const t = harness(h, approvalsConfig());
    // Today, so that "today" and "last 7 days" see it.
    t.clock.set(new Date().toISOString());
    await t.deliver(demoMail('02-forwarded-invoice.eml'));
    await t.deliver(demoMail('03-newsletter.eml'));
  } finally {
    await h.close();
    await closePdfReader();
  }
}, 120_000);
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

// Each test starts the CLI up to three times (about 2 s each, more on a loaded machine).
describe('deskhand status and journal', { timeout: 60_000 }, () => {
  it('status --json: metrics of today and the last 7 days, the open approval, the unsent mail; no Redis configured', async () => {
    const r = await cli(['status', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.database).toBe('pglite');
    expect(j.timeZone).toBe('Europe/Berlin');
    for (const w of [j.metrics.today, j.metrics.last7Days]) {
      expect(w.messages).toEqual({ handled: 2, quarantined: 0, escalated: 1 });
      expect(w.escalationRate).toBe(0.5);
      // The newsletter is done; the invoice waits for the owner.
      expect(w.cycleTime).toMatchObject({ done: 1, open: 1 });
      expect(w.minutesSaved.byAction.document).toEqual({ count: 1, minutes: 6 });
      expect(w.moneyCaught).toEqual([]);
    }
    expect(j.queues).toEqual({ state: 'not_configured' });
    expect(j.approvals.open).toBe(1);
    expect(j.approvals.rows).toHaveLength(1);
    expect(j.approvals.rows[0]).toMatchObject({
      kind: 'payment',
      round: 1,
      level: 'decision',
      what: 'Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31',
      expired: false,
    });
    expect(new Date(j.approvals.rows[0].expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect(j.outbox.unsent).toBe(1);
    expect(j.outbox.byStatus).toEqual({ pending: 1 });
    expect(j.outbox.rows[0]).toMatchObject({
      purpose: 'approval',
      status: 'pending',
      to: ['maya@northwind.example'],
    });
  });

  it('status in words; a Redis that does not answer is reported, not a crash', async () => {
    const r = await cli(['status'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^deskhand status — .+ \(Europe\/Berlin\), embedded database$/m);
    expect(r.stdout).toMatch(/^messages handled +2 +2$/m);
    expect(r.stdout).toMatch(/^escalation rate +50% \(1\/2\) +50% \(1\/2\)$/m);
    expect(r.stdout).toMatch(/^queues: Redis not reachable — .*ECONNREFUSED/m);
    expect(r.stdout).toContain('open approvals: 1');
    expect(r.stdout).toMatch(
      /#\d+ {2}Approve ACME GmbH invoice 2024-0042: EUR 1,190\.00 due 2024-03-31 {2}\[payment, decision, round 1\]/,
    );
    expect(r.stdout).toContain('unsent mail: 1 (1 pending)');
  });

  it('journal --json: oldest first, each entry with its links', async () => {
    const r = await cli(['journal', '--json', '--since', '7d']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.next).toBeNull();
    const ids = j.entries.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const asked = j.entries.find((e: { action: string }) => e.action === 'approval_requested');
    expect(asked).toMatchObject({
      actor: 'deskhand',
      message: { subject: 'Fwd: Invoice 2024-0042' },
      proposal: { kind: 'payment', status: 'awaiting_approval' },
      approval: { round: 1, status: 'open' },
      outbox: { purpose: 'approval', status: 'pending' },
    });
    expect(asked.reason).toMatch(/^Approve ACME GmbH invoice 2024-0042/);
    expect(j.entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['triaged', 'document_recorded', 'invoice_checked', 'proposed', 'send_queued']),
    );
  });

  it('journal --message by Message-ID, and pages with --limit/--after', async () => {
    const byId = await cli([
      'journal',
      '--json',
      '--message',
      '<20260311150003.weekly-112.7f3a91@ledgerline.example>',
    ]);
    expect(byId.code).toBe(0);
    const entries = JSON.parse(byId.stdout).entries;
    expect(entries.map((e: { action: string }) => e.action)).toEqual(['triaged']);
    expect(entries[0].message.subject).toBe('5 ways to get your invoices paid faster');

    const first = JSON.parse(
      (await cli(['journal', '--json', '--since', '2020-01-01', '--limit', '2'])).stdout,
    );
    expect(first.entries).toHaveLength(2);
    const next = JSON.parse((await cli(['journal', '--json', '--after', first.next, '--limit', '2'])).stdout);
    expect(Number(next.entries[0].id)).toBeGreaterThan(Number(first.entries[1].id));
  });

  it('journal in words, and a bad --since says what it expects', async () => {
    const r = await cli(['journal', '--message', '<20260311150003.weekly-112.7f3a91@ledgerline.example>']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}#\d+ {2}deskhand {2}triaged$/m);
    expect(r.stdout).toMatch(/→ message #\d+ "5 ways to get your invoices paid faster"/);
    const bad = await cli(['journal', '--since', 'last tuesday']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--since: "last tuesday" is neither a span like 24h or 7d nor an ISO date');
  });
});
