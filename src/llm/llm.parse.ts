import type { z } from 'zod';
import { ModelError } from './llm.errors.ts';

/**
 * Finds the JSON object in a model's text: the whole text, else the inside of a ```json fence,
 * else the first balanced {...} block (servers without structured output wrap answers in prose).
 * Returns undefined when there is none. Pure; never throws.
 */
export function extractJson(text: string): unknown | undefined {
  const candidates = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence?.[1]) candidates.push(fence[1].trim());
  const block = firstObjectBlock(text);
  if (block) candidates.push(block);
  for (const c of candidates) {
    try {
      return JSON.parse(c);
    } catch {
      // Not this candidate; try the next.
    }
  }
  return undefined;
}

/** The first balanced {...} in text, aware of strings and escapes so braces in values don't count. */
function firstObjectBlock(text: string): string | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return undefined;
}

/**
 * Parses and validates a model's answer. Throws ModelError `invalid_json` or `schema_mismatch`
 * with a message fit to show the model on a re-ask.
 */
export function parseAnswer<T>(text: string, schema: z.ZodType<T>, schemaName: string): T {
  const json = extractJson(text);
  if (json === undefined) {
    throw new ModelError('invalid_json', `model returned text that is not JSON: ${preview(text)}`, {
      context: { preview: preview(text) },
    });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new ModelError(
      'schema_mismatch',
      `model returned JSON that does not match the ${schemaName} schema: ${issues}`,
      { context: { issues: result.error.issues.slice(0, 5) } },
    );
  }
  return result.data;
}

function preview(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 120)}…` : JSON.stringify(one);
}
