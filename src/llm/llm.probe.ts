import OpenAI from 'openai';
import type { ModelConfig } from '../config/config.ts';

/**
 * For `deskhand doctor`: does the configured endpoint answer, accept the key, and know the model?
 * Asks `GET /models` (OpenAI, Ollama, vLLM and LM Studio list their models there), which costs
 * nothing; a server without the listing is reported as reachable but unchecked. Throws an
 * Error with a sentence on failure.
 */
export async function probeModelServer(m: ModelConfig, timeoutMs = 10_000): Promise<string> {
  const client = new OpenAI({ apiKey: m.apiKey, baseURL: m.baseUrl, timeout: timeoutMs, maxRetries: 0 });
  try {
    const ids: string[] = [];
    for await (const model of client.models.list()) {
      ids.push(model.id);
      if (ids.length >= 1000) break;
    }
    return ids.includes(m.model)
      ? `ok — ${m.baseUrl} answers and lists ${m.model}`
      : `reachable, but ${m.baseUrl} does not list "${m.model}" (${ids.length} models, e.g. ${ids.slice(0, 3).join(', ') || 'none'}) — check LLM_MODEL`;
  } catch (err) {
    if (err instanceof OpenAI.NotFoundError) {
      return `reachable — ${m.baseUrl} has no /models listing, so "${m.model}" could not be checked`;
    }
    if (err instanceof OpenAI.AuthenticationError || err instanceof OpenAI.PermissionDeniedError) {
      throw new Error(`the server refused the key (HTTP ${err.status}) — check OPENAI_API_KEY`);
    }
    if (err instanceof OpenAI.APIConnectionTimeoutError) {
      throw new Error(`${m.baseUrl} did not answer within ${timeoutMs / 1000} s`);
    }
    if (err instanceof OpenAI.APIConnectionError) {
      throw new Error(`cannot connect to ${m.baseUrl} — is the model server running? (OPENAI_BASE_URL)`);
    }
    if (err instanceof OpenAI.APIError)
      throw new Error(`${m.baseUrl} answered HTTP ${err.status}: ${err.message}`);
    throw err;
  }
}
