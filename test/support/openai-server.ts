import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the fake model server. */
export type ScriptedReply =
  /** A completion whose content is this value as JSON. */
  | { json: unknown; usage?: { prompt: number; completion: number } }
  /** A completion whose content is this exact text (malformed JSON, fenced JSON, prose). */
  | { text: string; usage?: { prompt: number; completion: number } }
  /** A structured-output refusal (`message.refusal`). */
  | { refusal: string }
  /** An HTTP error with an OpenAI-shaped error body. */
  | { status: number; message?: string; headers?: Record<string, string> }
  /** Never answers: the client must time out. */
  | { hang: true };

/**
 * Answers by request instead of by position: e.g. by `body.response_format.json_schema.name` or
 * by what the prompt says, for end-to-end runs where several skills call the model in any order.
 */
// biome-ignore lint/suspicious/noExplicitAny: the request body is whatever the client sent.
export type Responder = (body: any) => ScriptedReply;

/** What the server received, for assertions on prompts and response_format. */
export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  // biome-ignore lint/suspicious/noExplicitAny: the request body is whatever the client sent.
  body: any;
}

export interface FakeOpenAiServer {
  /** e.g. `http://127.0.0.1:43121/v1`, for the client's baseUrl. */
  baseUrl: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A local server speaking the OpenAI chat-completions protocol (`POST /v1/chat/completions`) on a
 * random free loopback port. Each request takes the next scripted reply; the last one repeats.
 * With `supportsJsonSchema: false` it answers 400 to `response_format.type === 'json_schema'`
 * like servers that lack structured output, before consuming the script.
 */
export async function startOpenAiServer(
  script: ScriptedReply[] | Responder,
  opts: {
    supportsJsonSchema?: boolean /** Served at GET /v1/models; absent: 404 like servers without a listing. */;
    models?: string[];
  } = {},
): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  let next = 0;
  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : null;
    requests.push({ path: req.url ?? '', headers: req.headers, body });
    if (req.method === 'GET' && req.url === '/v1/models' && opts.models) {
      return sendJson(res, 200, {
        object: 'list',
        data: opts.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' })),
      });
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      return sendJson(res, 404, {
        error: { message: `no route ${req.method} ${req.url}`, type: 'not_found' },
      });
    }
    if (opts.supportsJsonSchema === false && body?.response_format?.type === 'json_schema') {
      return sendJson(res, 400, {
        error: {
          message: "Invalid value for 'response_format': json_schema is not supported by this server",
          type: 'invalid_request_error',
          param: 'response_format',
        },
      });
    }
    const reply = typeof script === 'function' ? script(body) : script[Math.min(next++, script.length - 1)];
    if (!reply) return sendJson(res, 500, { error: { message: 'empty script' } });
    answer(res, reply, body?.model ?? 'unknown', body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        // Hanging requests hold their sockets open; close() alone would wait for them forever.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

// biome-ignore lint/suspicious/noExplicitAny: the request body is whatever the client sent.
function promptText(body: any): string {
  const messages: Array<{ content?: unknown }> = Array.isArray(body?.messages) ? body.messages : [];
  return messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n');
}

// biome-ignore lint/suspicious/noExplicitAny: the request body is whatever the client sent.
function answer(res: ServerResponse, reply: ScriptedReply, model: string, body?: any): void {
  if ('hang' in reply) return;
  if ('status' in reply) {
    sendJson(
      res,
      reply.status,
      { error: { message: reply.message ?? `HTTP ${reply.status}` } },
      reply.headers,
    );
    return;
  }
  const content = 'refusal' in reply ? null : 'json' in reply ? JSON.stringify(reply.json) : reply.text;
  // Without scripted usage, tokens are estimated like a tokenizer would roughly count them
  // (about 4 characters per token), so per-label token figures scale with real prompt sizes.
  const usage =
    'refusal' in reply
      ? { prompt: 10, completion: 2 }
      : (reply.usage ?? {
          prompt: estimateTokens(promptText(body)),
          completion: estimateTokens(content ?? ''),
        });
  const message =
    'refusal' in reply
      ? { role: 'assistant', content: null, refusal: reply.refusal }
      : { role: 'assistant', content, refusal: null };
  sendJson(res, 200, {
    id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message, finish_reason: 'stop', logprobs: null }],
    usage: {
      prompt_tokens: usage.prompt,
      completion_tokens: usage.completion,
      total_tokens: usage.prompt + usage.completion,
    },
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The real model client pointed at a fake server: no retries, a short timeout, no cache or ledger. */
export async function testModelClient(baseUrl: string) {
  const { createModelClient } = await import('../../src/llm/llm.client.ts');
  const { noModelCache } = await import('../../src/llm/llm.cache.ts');
  const { systemClock } = await import('../../src/shared/clock.ts');
  return createModelClient({
    apiKey: 'k',
    baseUrl,
    model: 'test-model',
    timeoutMs: 500,
    maxRetries: 0,
    ledger: { record: async () => undefined },
    cache: noModelCache,
    clock: systemClock,
    backoff: { baseMs: 5, maxMs: 10 },
  });
}
