import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { probeModelServer } from '../../src/llm/llm.probe.ts';
import { type FakeOpenAiServer, startOpenAiServer } from '../support/openai-server.ts';

// `deskhand doctor`'s model check, against the local OpenAI-compatible server.

let server: FakeOpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const modelAt = (baseUrl: string, model = 'test-model') => {
  const m = loadConfig({ OPENAI_BASE_URL: baseUrl, LLM_MODEL: model }).model;
  if (!m) throw new Error('no model');
  return m;
};

describe('doctor: the model server', () => {
  it('ok when the server lists the configured model', async () => {
    server = await startOpenAiServer([], { models: ['test-model', 'other'] });
    expect(await probeModelServer(modelAt(server.baseUrl))).toBe(
      `ok — ${server.baseUrl} answers and lists test-model`,
    );
  });

  it('names LLM_MODEL when the server does not know the model', async () => {
    server = await startOpenAiServer([], { models: ['llama3.1'] });
    expect(await probeModelServer(modelAt(server.baseUrl, 'gpt-4o'))).toMatch(
      /does not list "gpt-4o".*check LLM_MODEL/,
    );
  });

  it('reachable but unchecked when the server has no /models listing', async () => {
    server = await startOpenAiServer([]);
    expect(await probeModelServer(modelAt(server.baseUrl))).toMatch(/has no \/models listing/);
  });

  it('says what to check when nothing listens', async () => {
    server = await startOpenAiServer([]);
    const url = server.baseUrl;
    await server.close();
    server = undefined;
    await expect(probeModelServer(modelAt(url), 2_000)).rejects.toThrow(
      /cannot connect to .*OPENAI_BASE_URL/,
    );
  });
});
