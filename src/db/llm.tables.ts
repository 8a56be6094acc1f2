import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

/** Every way a model call can end; stored in `llm_calls.outcome` and used as `ModelError.code`. */
export type ModelOutcome =
  | 'ok'
  | 'cached'
  | 'timeout'
  | 'http_error'
  | 'invalid_json'
  | 'schema_mismatch'
  | 'refusal'
  | 'unreachable';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** numeric comes back as a string from pg and PGlite; written as a number. */
type Numeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;
/** Append-only in practice: nothing updates a ledger row. */
type Id = ColumnType<string, never, never>;

/** `llm_calls`: the ledger, one row per request to the model server or cache hit (migrations/002_llm.sql). */
export interface LlmCallTable {
  id: Generated<string> & Id;
  at: Timestamp;
  label: string;
  model: string;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost_usd: Numeric;
  latency_ms: number;
  outcome: ModelOutcome;
  error: string | null;
  cache_key: string | null;
}

/** `llm_cache`: validated answers by cache key. */
export interface LlmCacheTable {
  cache_key: string;
  model: string;
  /** jsonb: read as parsed JSON, written as a JSON string. */
  response: ColumnType<unknown, string, string>;
  created_at: Timestamp;
}

/**
 * The tables this module owns; the project's `Database` includes them. A type alias, not an
 * interface, so it satisfies Kysely's `withTables<T>()` constraint.
 */
export type LlmDatabase = {
  llm_calls: LlmCallTable;
  llm_cache: LlmCacheTable;
};

/**
 * Any handle or transaction whose schema includes the model tables. Kysely's types are invariant
 * in the schema, so repository functions are generic over it rather than taking `Kysely<LlmDatabase>`.
 */
export type LlmDbOf<DB extends LlmDatabase> = Kysely<DB> | Transaction<DB>;

/** Narrows a wider handle to the model tables. Sound: `DB extends LlmDatabase` guarantees they exist. */
export function llmTables<DB extends LlmDatabase>(db: LlmDbOf<DB>): Kysely<LlmDatabase> {
  return db as unknown as Kysely<LlmDatabase>;
}
