-- deskhand schema, version 2: the model layer. Plain SQL, forward-only; runs on PostgreSQL and PGlite alike.

-- The ledger: one row per request to the model server (and per cache hit), so cost, latency and
-- failure rates can be read back per label without trusting logs.
CREATE TABLE llm_calls (
  id                 bigserial PRIMARY KEY,
  at                 timestamptz NOT NULL DEFAULT now(),
  label              text NOT NULL,
  model              text NOT NULL,
  prompt_tokens      integer,
  completion_tokens  integer,
  -- NULL when the model's price is unknown: a guessed cost is worse than none.
  cost_usd           numeric,
  latency_ms         integer NOT NULL,
  outcome            text NOT NULL
                     CHECK (outcome IN ('ok', 'cached', 'timeout', 'http_error', 'invalid_json',
                                        'schema_mismatch', 'refusal', 'unreachable')),
  error              text,
  cache_key          text
);
CREATE INDEX llm_calls_at_idx ON llm_calls (at);
CREATE INDEX llm_calls_label_idx ON llm_calls (label, at);

-- Validated answers by sha256 of (model, system, user, schema name, mode): identical calls are free.
CREATE TABLE llm_cache (
  cache_key   text PRIMARY KEY,
  model       text NOT NULL,
  response    jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
