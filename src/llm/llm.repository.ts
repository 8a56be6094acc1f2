import type { ModelOutcome } from '../db/llm.tables.ts';
import { type LlmDatabase, type LlmDbOf, llmTables } from '../db/llm.tables.ts';

/** One ledger row: a request to the model server, or a cache hit. */
export interface LlmCallRecord {
  label: string;
  model: string;
  promptTokens: number | null;
  completionTokens: number | null;
  /** USD; null when the model's price is unknown. */
  costUsd: number | null;
  latencyMs: number;
  outcome: ModelOutcome;
  error: string | null;
  cacheKey: string | null;
  at: Date;
}

/** Appends one ledger row. */
export async function insertLlmCall<DB extends LlmDatabase>(
  db: LlmDbOf<DB>,
  r: LlmCallRecord,
): Promise<void> {
  await llmTables(db)
    .insertInto('llm_calls')
    .values({
      at: r.at,
      label: r.label,
      model: r.model,
      prompt_tokens: r.promptTokens,
      completion_tokens: r.completionTokens,
      cost_usd: r.costUsd,
      latency_ms: Math.round(r.latencyMs),
      outcome: r.outcome,
      error: r.error,
      cache_key: r.cacheKey,
    })
    .execute();
}

/** The cached response for a key, or undefined. */
export async function getCachedResponse<DB extends LlmDatabase>(
  db: LlmDbOf<DB>,
  cacheKey: string,
): Promise<unknown | undefined> {
  const row = await llmTables(db)
    .selectFrom('llm_cache')
    .select('response')
    .where('cache_key', '=', cacheKey)
    .executeTakeFirst();
  return row?.response;
}

/** Stores a response; a concurrent identical call may have stored it first, and either copy will do. */
export async function putCachedResponse<DB extends LlmDatabase>(
  db: LlmDbOf<DB>,
  e: { cacheKey: string; model: string; response: unknown; at: Date },
): Promise<void> {
  await llmTables(db)
    .insertInto('llm_cache')
    .values({ cache_key: e.cacheKey, model: e.model, response: JSON.stringify(e.response), created_at: e.at })
    .onConflict((oc) => oc.column('cache_key').doNothing())
    .execute();
}
