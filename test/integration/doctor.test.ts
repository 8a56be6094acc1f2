import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deskhandEnvFor, freshDatabase } from './stack.ts';

const run = promisify(execFile);

async function doctor(env: Record<string, string>) {
  return run(process.execPath, ['bin/deskhand.js', 'doctor'], {
    env: { ...process.env, ...env },
    timeout: 60_000,
  }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
}

describe('deskhand doctor', () => {
  it('checks database, Redis, IMAP login and SMTP handshake on the real stack, and says each is fine', async () => {
    const db = await freshDatabase('doctor');
    try {
      const base = deskhandEnvFor({
        assistant: 'assistant@doctor.example',
        owner: 'owner@doctor.example',
        databaseUrl: db.url,
      });
      const ok = await doctor(base);
      expect(ok.stdout).toMatch(
        /✔ database: reachable .* migration\(s\) not applied: run `deskhand migrate`|✔ database: ok/,
      );
      expect(ok.stdout).toMatch(/✔ redis: ok/);
      expect(ok.stdout).toMatch(/✔ imap: ok — logged in as assistant@doctor.example/);
      expect(ok.stdout).toMatch(/✔ smtp: ok/);
      expect(ok.code).toBe(0);

      const bad = await doctor({ ...base, IMAP_PASSWORD: 'wrong', SMTP_PORT: '1' });
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/✘ imap: login failed — check the IMAP user and password/);
      expect(bad.stdout).toMatch(/✘ smtp: connection refused/);
    } finally {
      await db.drop();
    }
  });
});
