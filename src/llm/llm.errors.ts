import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import type { ModelOutcome } from '../db/llm.tables.ts';
import { DeskhandError } from '../shared/errors.ts';

/** A failed outcome: every ledger outcome except the two successes. */
export type ModelErrorCode = Exclude<ModelOutcome, 'ok' | 'cached'>;

/**
 * A model call that did not produce a valid answer. `code` is the ledger outcome, stable for
 * callers to branch on (e.g. fall back to rules on `refusal` or `unreachable`).
 */
export class ModelError extends DeskhandError {
  override readonly code: ModelErrorCode;
  /** HTTP status when the server answered with an error. */
  readonly status: number | undefined;
  /** Milliseconds the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ModelErrorCode,
    message: string,
    opts: {
      retryable?: boolean;
      status?: number;
      retryAfterMs?: number;
      context?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(code, message, opts);
    this.name = 'ModelError';
    this.code = code;
    this.status = opts.status;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/**
 * Maps anything the openai SDK throws to a ModelError. Retryable: timeouts, connection errors,
 * 429 and 5xx (RFC 9110 §15.6: server-side, may succeed later); every other 4xx is our request's
 * fault and will fail the same way again. Never throws.
 */
export function classifyModelError(err: unknown, baseUrl: string, now: Date): ModelError {
  if (err instanceof ModelError) return err;
  // Timeout is a subclass of the connection error: test it first.
  if (err instanceof APIConnectionTimeoutError) {
    return new ModelError('timeout', `model server at ${baseUrl} did not answer in time`, {
      retryable: true,
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) {
    return new ModelError('unreachable', `model server at ${baseUrl} is unreachable`, {
      retryable: true,
      cause: err,
    });
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    const retryAfterMs = err.headers ? parseRetryAfter(err.headers, now) : undefined;
    return new ModelError(
      'http_error',
      `model server at ${baseUrl} answered HTTP ${status}: ${err.message}`,
      {
        retryable: status === 429 || status >= 500,
        status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
        cause: err,
      },
    );
  }
  const text = err instanceof Error ? err.message : String(err);
  return new ModelError('unreachable', `model server at ${baseUrl} failed: ${text}`, { cause: err });
}

/**
 * The wait a server asked for: `retry-after-ms` (OpenAI's extension) or `Retry-After` as
 * delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Undefined when absent or unparsable.
 */
export function parseRetryAfter(headers: Headers, now: Date): number | undefined {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number.parseFloat(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

/**
 * True when a 400 says the server does not understand the requested `response_format` (many
 * OpenAI-compatible servers lack `json_schema`, some lack `json_object` too).
 */
export function rejectsResponseFormat(err: unknown): boolean {
  if (!(err instanceof APIError) || err.status !== 400) return false;
  const text = `${err.message} ${JSON.stringify(err.error ?? '')} ${err.param ?? ''}`.toLowerCase();
  return text.includes('response_format') || text.includes('json_schema') || text.includes('json_object');
}
