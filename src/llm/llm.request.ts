import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { ResponseMode } from './llm.cache.ts';
import type { ModelRequest } from './llm.model.ts';

/** Without json_schema support, the schema travels in the prompt instead. */
export function buildMessages(req: ModelRequest<unknown>, mode: ResponseMode): ChatCompletionMessageParam[] {
  const system =
    mode === 'json_schema'
      ? req.system
      : `${req.system}\n\nAnswer with one JSON object and nothing else. It must match this JSON Schema ` +
        `(${req.schemaName}):\n${JSON.stringify(jsonSchemaOf(req.schema))}`;
  return [
    { role: 'system', content: system },
    { role: 'user', content: req.user },
  ];
}

/** The chat-completions request body for a mode. Pure. */
export function requestBody(
  model: string,
  req: ModelRequest<unknown>,
  messages: ChatCompletionMessageParam[],
  mode: ResponseMode,
) {
  const base = { model, messages, stream: false as const };
  if (mode === 'json_schema') {
    const json_schema = { name: req.schemaName, schema: jsonSchemaOf(req.schema), strict: true };
    return { ...base, response_format: { type: 'json_schema' as const, json_schema } };
  }
  if (mode === 'json_object') return { ...base, response_format: { type: 'json_object' as const } };
  return base;
}

const schemaCache = new WeakMap<z.ZodType, Record<string, unknown>>();

/** zod → JSON Schema, once per schema object (it is walked on every request otherwise). */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  let json = schemaCache.get(schema);
  if (!json) {
    json = z.toJSONSchema(schema) as Record<string, unknown>;
    schemaCache.set(schema, json);
  }
  return json;
}
