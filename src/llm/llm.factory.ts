import type { ModelConfig } from '../config/config.ts';
import type { LlmDatabase, LlmDbOf } from '../db/llm.tables.ts';
import type { Clock } from '../shared/clock.ts';
import { dbModelCache, dbModelLedger } from './llm.cache.ts';
import { createModelClient } from './llm.client.ts';
import type { ModelClient } from './llm.model.ts';

/**
 * The configured model client, with the ledger and cache in the database; null when no model is
 * configured (every skill then runs on its rules). Nothing connects until the first call.
 */
export function modelClientFor<DB extends LlmDatabase>(
  model: ModelConfig | null,
  db: LlmDbOf<DB>,
  clock: Clock,
): ModelClient | null {
  if (!model) return null;
  return createModelClient({
    apiKey: model.apiKey,
    baseUrl: model.baseUrl,
    model: model.model,
    timeoutMs: model.timeoutMs,
    maxRetries: model.maxRetries,
    ledger: dbModelLedger(db),
    cache: dbModelCache(db, clock),
    clock,
  });
}
