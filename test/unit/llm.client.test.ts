import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DatabaseHandle } from '../../src/db/db.ts';
import type { LlmDatabase } from '../../src/db/llm.tables.ts';
import { dbModelCache, dbModelLedger } from '../../src/llm/llm.cache.ts';
import { createModelClient, type ModelClientOptions } from '../../src/llm/llm.client.ts';
import { ModelError } from '../../src/llm/llm.errors.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { type FakeOpenAiServer, type ScriptedReply, startOpenAiServer } from '../support/openai-server.ts';
import { memoryDb } from '../support/pglite.ts';

// These tests check the wiring around the model (protocol, retries, cache, ledger), never the
// model's judgement: every answer comes from a local scripted server.

const TriageHint = z.object({
  category: z.enum(['invoice', 'request', 'fyi']),
  confidence: z.number().min(0).max(1),
});
const request = {
  label: 'triage.hint',
  system: 'Classify the message.',
  user: 'Please find attached invoice 42.',
  schema: TriageHint,
  schemaName: 'TriageHint',
};
const good = { category: 'invoice', confidence: 0.9 };

let h: DatabaseHandle;
let server: FakeOpenAiServer | undefined;
const db = () => h.db.withTables<LlmDatabase>();

beforeAll(async () => {
  h = await memoryDb();
});
afterAll(async () => h.close());
afterEach(async () => {
  await server?.close();
  server = undefined;
  await db().deleteFrom('llm_calls').execute();
  await db().deleteFrom('llm_cache').execute();
});

async function setup(
  script: ScriptedReply[],
  o: { supportsJsonSchema?: boolean; model?: string; client?: Partial<ModelClientOptions> } = {},
) {
  server = await startOpenAiServer(
    script,
    o.supportsJsonSchema === false ? { supportsJsonSchema: false } : {},
  );
  const client = createModelClient({
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    model: o.model ?? 'gpt-4o-mini',
    timeoutMs: 300,
    maxRetries: 2,
    ledger: dbModelLedger(db()),
    cache: dbModelCache(db(), systemClock),
    clock: systemClock,
    backoff: { baseMs: 10, maxMs: 2_000 },
    ...o.client,
  });
  return { client, server };
}

const ledger = () => db().selectFrom('llm_calls').selectAll().orderBy('id').execute();

async function failure(p: Promise<unknown>): Promise<ModelError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelError);
  return err as ModelError;
}

describe('model client', () => {
  it('wiring: a valid JSON answer is validated and a ledger row records tokens, cost and latency', async () => {
    const { client, server } = await setup([{ json: good, usage: { prompt: 1000, completion: 200 } }]);
    const result = await client.complete(request);
    expect(result).toMatchObject({ value: good, cached: false, usage: { prompt: 1000, completion: 200 } });
    const body = server.requests[0]?.body;
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.messages).toEqual([
      { role: 'system', content: request.system },
      { role: 'user', content: request.user },
    ]);
    expect(body.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'TriageHint', strict: true },
    });
    expect(body.response_format.json_schema.schema.required).toEqual(['category', 'confidence']);
    const rows = await ledger();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      label: 'triage.hint',
      outcome: 'ok',
      prompt_tokens: 1000,
      completion_tokens: 200,
    });
    // gpt-4o-mini: 1000 × 0.15 + 200 × 0.60 per 1M tokens.
    expect(Number(rows[0]?.cost_usd)).toBeCloseTo(0.00027, 8);
    expect(rows[0]?.latency_ms).toBeGreaterThanOrEqual(0);
  });

  it('wiring: an identical second call is served from the cache and recorded as cached', async () => {
    const { client, server } = await setup([{ json: good }]);
    await client.complete(request);
    const second = await client.complete(request);
    expect(second).toMatchObject({ value: good, cached: true, usage: { prompt: 0, completion: 0 } });
    expect(server.requests).toHaveLength(1);
    const rows = await ledger();
    expect(rows.map((r) => r.outcome)).toEqual(['ok', 'cached']);
    expect(rows[1]).toMatchObject({ prompt_tokens: 0, completion_tokens: 0, cache_key: rows[0]?.cache_key });
    await client.complete({ ...request, user: 'Another message.' });
    expect(server.requests).toHaveLength(2);
  });

  it('wiring: an unknown model is recorded with a null cost', async () => {
    const { client } = await setup([{ json: good }], { model: 'local-llama' });
    await client.complete(request);
    expect((await ledger())[0]?.cost_usd).toBeNull();
  });

  it('wiring: fenced JSON with prose around it is still parsed', async () => {
    const { client } = await setup([
      { text: 'Sure! Here it is:\n```json\n{"category": "fyi", "confidence": 0.4}\n```' },
    ]);
    expect((await client.complete(request)).value).toEqual({ category: 'fyi', confidence: 0.4 });
  });

  it('wiring: a 429 with Retry-After is retried and then succeeds', async () => {
    const { client, server } = await setup([
      { status: 429, message: 'slow down', headers: { 'retry-after': '1' } },
      { json: good },
    ]);
    const started = Date.now();
    const result = await client.complete(request);
    expect(result.value).toEqual(good);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(server.requests).toHaveLength(2);
    expect((await ledger()).map((r) => r.outcome)).toEqual(['http_error', 'ok']);
  });

  it('wiring: a hanging server times out with a clear error after bounded retries', async () => {
    const { client, server } = await setup([{ hang: true }], { client: { maxRetries: 1 } });
    const err = await failure(client.complete(request));
    expect(err.code).toBe('timeout');
    expect(err.message).toContain(`model server at ${server.baseUrl} did not answer`);
    expect(err.message).toContain('after 2 attempts');
    expect(server.requests).toHaveLength(2);
    expect((await ledger()).map((r) => r.outcome)).toEqual(['timeout', 'timeout']);
  });

  it('wiring: an unreachable server ends in a typed ModelError that names its address', async () => {
    const { client, server } = await setup([{ json: good }], { client: { maxRetries: 0 } });
    await server.close();
    const err = await failure(client.complete(request));
    expect(err.code).toBe('unreachable');
    expect(err.message).toBe(`model server at ${server.baseUrl} is unreachable`);
    expect((await ledger()).map((r) => r.outcome)).toEqual(['unreachable']);
  });

  it('wiring: invalid JSON is re-asked once, then ends in a typed ModelError and ledger rows', async () => {
    const { client, server } = await setup([{ text: 'I think it is an invoice {not json' }]);
    const err = await failure(client.complete(request));
    expect(err.code).toBe('invalid_json');
    expect(server.requests).toHaveLength(2);
    const reask = server.requests[1]?.body.messages;
    expect(reask.at(-2)).toMatchObject({ role: 'assistant', content: 'I think it is an invoice {not json' });
    expect(reask.at(-1).content).toContain('TriageHint');
    expect((await ledger()).map((r) => r.outcome)).toEqual(['invalid_json', 'invalid_json']);
  });

  it('wiring: a schema mismatch fixed on the re-ask succeeds', async () => {
    const { client, server } = await setup([{ json: { category: 'poem', confidence: 2 } }, { json: good }]);
    expect((await client.complete(request)).value).toEqual(good);
    expect(server.requests).toHaveLength(2);
    expect((await ledger()).map((r) => r.outcome)).toEqual(['schema_mismatch', 'ok']);
  });

  it('wiring: a schema mismatch ends in a typed ModelError and a ledger row', async () => {
    const { client } = await setup([{ json: { category: 'poem', confidence: 0.5 } }]);
    const err = await failure(client.complete(request));
    expect(err.code).toBe('schema_mismatch');
    expect(err.message).toMatch(/^model returned JSON that does not match the TriageHint schema: category:/);
    expect((await ledger()).map((r) => r.outcome)).toEqual(['schema_mismatch', 'schema_mismatch']);
  });

  it('wiring: a refusal ends in a typed ModelError and a ledger row, without retries', async () => {
    const { client, server } = await setup([{ refusal: 'I cannot help with that.' }]);
    const err = await failure(client.complete(request));
    expect(err.code).toBe('refusal');
    expect(err.message).toContain('I cannot help with that.');
    expect(server.requests).toHaveLength(1);
    expect(await ledger()).toMatchObject([{ outcome: 'refusal', prompt_tokens: 10 }]);
  });

  it('wiring: a 500 is retried a bounded number of times, then ends in a typed ModelError and ledger rows', async () => {
    const { client, server } = await setup([{ status: 500, message: 'boom' }]);
    const err = await failure(client.complete(request));
    expect(err).toMatchObject({ code: 'http_error', status: 500, retryable: true });
    expect(err.message).toContain('answered HTTP 500');
    expect(server.requests).toHaveLength(3);
    expect((await ledger()).map((r) => r.outcome)).toEqual(['http_error', 'http_error', 'http_error']);
  });

  it('wiring: a 401 is not retried', async () => {
    const { client, server } = await setup([{ status: 401, message: 'bad key' }]);
    expect(await failure(client.complete(request))).toMatchObject({
      code: 'http_error',
      status: 401,
      retryable: false,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('wiring: a server without json_schema support gets json_object instead', async () => {
    const { client, server } = await setup([{ json: good }], { supportsJsonSchema: false });
    expect((await client.complete(request)).value).toEqual(good);
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object']);
    expect(server.requests[1]?.body.messages[0].content).toContain('JSON Schema (TriageHint)');
    // The client remembers: the next call goes straight to json_object.
    await client.complete({ ...request, user: 'Something else.' });
    expect(server.requests.map((r) => r.body.response_format?.type)).toEqual([
      'json_schema',
      'json_object',
      'json_object',
    ]);
    expect((await ledger()).map((r) => r.outcome)).toEqual(['http_error', 'ok', 'ok']);
  });
});
