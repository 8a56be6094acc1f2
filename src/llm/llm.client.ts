import OpenAI from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { Clock } from '../shared/clock.ts';
import { type ModelCache, type ModelLedger, modelCacheKey, type ResponseMode } from './llm.cache.ts';
import { classifyModelError, ModelError, rejectsResponseFormat } from './llm.errors.ts';
import type { ModelClient, ModelRequest, ModelResult } from './llm.model.ts';
import { parseAnswer } from './llm.parse.ts';
import { costUsd } from './llm.prices.ts';
import type { LlmCallRecord } from './llm.repository.ts';
import { buildMessages, requestBody } from './llm.request.ts';
import { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './llm.retry.ts';

/** Everything the client needs, built once in the composition root. */
export interface ModelClientOptions {
  apiKey: string;
  /** e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  /** Per request, not per call: a call with retries may take (maxRetries + 1) times as long plus backoff. */
  timeoutMs: number;
  /** Retries after a timeout, connection error, 429 or 5xx. 0 disables them. */
  maxRetries: number;
  ledger: ModelLedger;
  cache: ModelCache;
  clock: Clock;
  /** Default 500 ms base, 20 s cap. */
  backoff?: Partial<BackoffPolicy>;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Weaker modes in the order we fall back to when a server rejects the stronger one. */
const NEXT_MODE: Record<ResponseMode, ResponseMode | undefined> = {
  json_schema: 'json_object',
  json_object: 'text',
  text: undefined,
};

/** Builds the one client for any OpenAI-compatible endpoint. Nothing connects until the first call. */
export function createModelClient(o: ModelClientOptions): ModelClient {
  // The SDK's own retries are off: ours are bounded, logged in the ledger and honour our cap.
  const openai = new OpenAI({ apiKey: o.apiKey, baseURL: o.baseUrl, timeout: o.timeoutMs, maxRetries: 0 });
  const backoff = { ...DEFAULT_BACKOFF, ...o.backoff };
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const nowMs = () => o.clock.now().getTime();
  // Remembered per client: once a server has rejected json_schema, asking again only wastes a request.
  let mode: ResponseMode = 'json_schema';

  const record = (req: ModelRequest<unknown>, r: Partial<LlmCallRecord> & Pick<LlmCallRecord, 'outcome'>) =>
    o.ledger.record({
      label: req.label,
      model: o.model,
      promptTokens: null,
      completionTokens: null,
      costUsd: null,
      latencyMs: 0,
      error: null,
      cacheKey: null,
      at: o.clock.now(),
      ...r,
    });

  async function complete<T>(req: ModelRequest<T>): Promise<ModelResult<T>> {
    const started = nowMs();
    const keyFor = (m: ResponseMode) => modelCacheKey({ ...req, model: o.model, mode: m });
    const hit = await fromCache(req, keyFor(mode));
    if (hit !== undefined) {
      const latencyMs = nowMs() - started;
      await record(req, {
        outcome: 'cached',
        promptTokens: 0,
        completionTokens: 0,
        costUsd: 0,
        latencyMs,
        cacheKey: keyFor(mode),
      });
      return { value: hit, cached: true, usage: { prompt: 0, completion: 0 }, latencyMs };
    }
    const usage = { prompt: 0, completion: 0 };
    let messages = buildMessages(req, mode);
    let retries = 0;
    let reasked = false;
    for (;;) {
      const sentMode = mode;
      const t0 = nowMs();
      let completion: ChatCompletion;
      try {
        completion = await openai.chat.completions.create(requestBody(o.model, req, messages, sentMode), {
          timeout: o.timeoutMs,
          maxRetries: 0,
        });
      } catch (raw) {
        const latencyMs = nowMs() - t0;
        const weaker = NEXT_MODE[sentMode];
        if (weaker && rejectsResponseFormat(raw)) {
          await record(req, {
            outcome: 'http_error',
            latencyMs,
            error: `server rejected ${sentMode}; using ${weaker}`,
          });
          mode = weaker;
          messages = buildMessages(req, mode);
          continue;
        }
        const err = classifyModelError(raw, o.baseUrl, o.clock.now());
        await record(req, { outcome: err.code, latencyMs, error: err.message });
        if (err.retryable && retries < o.maxRetries) {
          await sleep(retryDelayMs(retries++, err.retryAfterMs, backoff, o.random));
          continue;
        }
        throw retries > 0 ? withAttempts(err, retries + 1) : err;
      }
      const latencyMs = nowMs() - t0;
      const prompt = completion.usage?.prompt_tokens ?? null;
      const completionTokens = completion.usage?.completion_tokens ?? null;
      usage.prompt += prompt ?? 0;
      usage.completion += completionTokens ?? 0;
      const spent = {
        latencyMs,
        promptTokens: prompt,
        completionTokens,
        costUsd: costUsd(o.model, { prompt: prompt ?? 0, completion: completionTokens ?? 0 }),
      };
      const text = completion.choices[0]?.message.content ?? '';
      let value: T;
      try {
        value = interpret(completion, req);
      } catch (err) {
        if (!(err instanceof ModelError)) throw err;
        await record(req, { ...spent, outcome: err.code, error: err.message });
        // One re-ask, showing the model its answer and what was wrong: cheap, and fixes most slips.
        if (!reasked && (err.code === 'invalid_json' || err.code === 'schema_mismatch')) {
          reasked = true;
          messages = [
            ...messages,
            { role: 'assistant', content: text },
            { role: 'user', content: reask(err, req) },
          ];
          continue;
        }
        throw err;
      }
      const cacheKey = keyFor(sentMode);
      await record(req, { ...spent, outcome: 'ok', cacheKey });
      await o.cache.put(cacheKey, o.model, value);
      return { value, cached: false, usage, latencyMs: nowMs() - started };
    }
  }

  /** A cached answer that still passes the schema; an entry the schema has outgrown is a miss. */
  async function fromCache<T>(req: ModelRequest<T>, key: string): Promise<T | undefined> {
    const cached = await o.cache.get(key);
    if (cached === undefined) return undefined;
    const parsed = req.schema.safeParse(cached);
    return parsed.success ? parsed.data : undefined;
  }

  return { model: o.model, complete };
}

/** Refusal, or the parsed and validated answer. Throws ModelError. */
function interpret<T>(completion: ChatCompletion, req: ModelRequest<T>): T {
  const choice = completion.choices[0];
  const refusal = choice?.message.refusal;
  if (refusal || choice?.finish_reason === 'content_filter') {
    throw new ModelError('refusal', `model refused to answer ${req.label}: ${refusal || 'content filter'}`, {
      context: { label: req.label },
    });
  }
  return parseAnswer(choice?.message.content ?? '', req.schema, req.schemaName);
}

function reask(err: ModelError, req: ModelRequest<unknown>): string {
  return `Your answer was rejected: ${err.message}. Answer again with only one JSON object that matches the ${req.schemaName} schema.`;
}

function withAttempts(err: ModelError, attempts: number): ModelError {
  return new ModelError(err.code, `${err.message} (gave up after ${attempts} attempts)`, {
    retryable: err.retryable,
    ...(err.status === undefined ? {} : { status: err.status }),
    context: { ...err.context, attempts },
    cause: err,
  });
}
