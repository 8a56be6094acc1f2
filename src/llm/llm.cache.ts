import type { LlmDatabase, LlmDbOf } from '../db/llm.tables.ts';
import { sha256Hex } from '../shared/ids.ts';
import { getCachedResponse, insertLlmCall, type LlmCallRecord, putCachedResponse } from './llm.repository.ts';

/** How the answer's JSON shape was requested; part of the cache key because it changes the prompt. */
export type ResponseMode = 'json_schema' | 'json_object' | 'text';

/** The model's validated answers by key. Implementations must not throw on a miss. */
export interface ModelCache {
  get(key: string): Promise<unknown | undefined>;
  put(key: string, model: string, value: unknown): Promise<void>;
}

/** Where every model call is recorded (cost, latency, outcome). */
export interface ModelLedger {
  record(entry: LlmCallRecord): Promise<void>;
}

/**
 * The cache key of a call: sha256 over the parts that decide the answer. JSON-encoding the parts
 * (rather than concatenating them) keeps "a|b" + "c" distinct from "a" + "b|c".
 */
export function modelCacheKey(k: {
  model: string;
  system: string;
  user: string;
  schemaName: string;
  mode: ResponseMode;
}): string {
  return sha256Hex(JSON.stringify(['v1', k.model, k.system, k.user, k.schemaName, k.mode]));
}

/** The `llm_cache` table as a ModelCache; `clock` stamps new entries. */
export function dbModelCache<DB extends LlmDatabase>(db: LlmDbOf<DB>, clock: { now(): Date }): ModelCache {
  return {
    get: (key) => getCachedResponse(db, key),
    put: (key, model, value) =>
      putCachedResponse(db, { cacheKey: key, model, response: value, at: clock.now() }),
  };
}

/** The `llm_calls` table as a ModelLedger. */
export function dbModelLedger<DB extends LlmDatabase>(db: LlmDbOf<DB>): ModelLedger {
  return { record: (entry) => insertLlmCall(db, entry) };
}

/** A cache that never hits: for one-off commands where storing answers is unwanted. */
export const noModelCache: ModelCache = {
  get: async () => undefined,
  put: async () => undefined,
};
