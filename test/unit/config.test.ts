import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/shared/errors.ts';

describe('configuration', () => {
  it('works with nothing set, on embedded defaults', () => {
    const c = loadConfig({});
    expect(c.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(c.imap).toBeNull();
    expect(c.redisUrl).toBeNull();
    expect(c.env.APPROVAL_REQUIRE_AUTH).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names the variable and the reason when a value is wrong', () => {
    expect(() => loadConfig({ OWNER_TIMEZONE: 'Mars/Olympus' })).toThrow(
      /OWNER_TIMEZONE: must be an IANA time zone/,
    );
    expect(() => loadConfig({ OWNER_EMAIL: 'not-an-address' })).toThrow(/OWNER_EMAIL/);
    expect(() => loadConfig({ IMAP_PORT: '99999' })).toThrow(/IMAP_PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must start with postgres/);
    expect(() => loadConfig({ DIGEST_TIME: '25:00' })).toThrow(ConfigError);
  });

  it('has no model unless one is configured; a local server needs no key', () => {
    expect(loadConfig({}).model).toBeNull();
    expect(
      loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/', LLM_MODEL: 'llama3.1' }).model,
    ).toEqual({
      apiKey: 'not-needed',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1',
      timeoutMs: 30_000,
      maxRetries: 2,
    });
    expect(loadConfig({ OPENAI_API_KEY: 'sk-x' }).model).toMatchObject({
      baseUrl: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
    });
    expect(() => loadConfig({ LLM_MODEL: 'gpt-4o' })).toThrow(/OPENAI_API_KEY: required for api.openai.com/);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'localhost:11434' })).toThrow(
      /OPENAI_BASE_URL: must be an http\(s\) URL/,
    );
    expect(() => loadConfig({ TRIAGE_MODEL_BELOW: '2' })).toThrow(/TRIAGE_MODEL_BELOW/);
  });

  it('reports every bad variable at once', () => {
    try {
      loadConfig({ IMAP_SECURE: 'maybe', WORKING_HOURS: 'always' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/IMAP_SECURE/);
      expect((err as Error).message).toMatch(/WORKING_HOURS/);
    }
  });

  it('takes the team domain from the owner when TEAM_DOMAINS is unset', () => {
    expect(loadConfig({ OWNER_EMAIL: 'Maya@Northwind.Example' }).teamDomains).toEqual(['northwind.example']);
    expect(loadConfig({ TEAM_DOMAINS: 'a.example, B.example' }).teamDomains).toEqual([
      'a.example',
      'b.example',
    ]);
  });

  it('uses the assistant address as IMAP user when none is given', () => {
    const c = loadConfig({ IMAP_HOST: 'imap.example', ASSISTANT_EMAIL: 'bot@example.com' });
    expect(c.imap?.user).toBe('bot@example.com');
    expect(c.imap?.port).toBe(993);
  });

  it('puts category folders under the prefix', () => {
    const c = loadConfig({ FOLDER_PREFIX: 'dh' });
    expect(c.folders.invoice).toBe('dh/Invoices');
    expect(c.folders.quarantine).toBe('dh/Quarantine');
  });

  it('lets the owner rename category folders, and rejects unknown categories', () => {
    const c = loadConfig({ FOLDER_NAMES: 'invoice=Finance/Bills, quarantine=Held' });
    expect(c.folders.invoice).toBe('deskhand/Finance/Bills');
    expect(c.folders.quarantine).toBe('deskhand/Held');
    expect(c.folders.receipt).toBe('deskhand/Receipts');
    expect(() => loadConfig({ FOLDER_NAMES: 'invoices=Bills' })).toThrow(
      /FOLDER_NAMES: unknown category "invoices"/,
    );
  });
});
