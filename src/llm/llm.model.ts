import type { z } from 'zod';

/**
 * One structured question to the model. `label` names the call site in the ledger
 * ("triage.hint"). The schema should mark absent fields `.nullable()` rather than `.optional()`:
 * OpenAI's strict structured output requires every property.
 */
export interface ModelRequest<T> {
  label: string;
  system: string;
  user: string;
  schema: z.ZodType<T>;
  /** Names the schema to the server and in errors; letters, digits, `_` and `-` only. */
  schemaName: string;
}

/** A validated answer. `usage` sums every request the call made (re-asks and retries included). */
export interface ModelResult<T> {
  value: T;
  cached: boolean;
  usage: { prompt: number; completion: number };
  latencyMs: number;
}

/** The one interface the rest of deskhand sees; swap in a fake in tests. */
export interface ModelClient {
  readonly model: string;
  /** Resolves with a schema-valid answer or rejects with a ModelError. */
  complete<T>(req: ModelRequest<T>): Promise<ModelResult<T>>;
}
