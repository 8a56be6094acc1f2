import { afterEach, describe, expect, it } from 'vitest';
import type { ModelLedger } from '../../src/llm/llm.cache.ts';
import { noModelCache } from '../../src/llm/llm.cache.ts';
import { createModelClient } from '../../src/llm/llm.client.ts';
import type { LlmCallRecord } from '../../src/llm/llm.repository.ts';
import { systemClock } from '../../src/shared/clock.ts';
import type { InstructionAnswer } from '../../src/skills/instructions/instruction.answer.ts';
import { NO_RULE_FOUND } from '../../src/skills/instructions/instruction.parse.ts';
import { interpretInstruction, MODEL_FAILED } from '../../src/skills/instructions/instruction.skill.ts';
import { type FakeOpenAiServer, type ScriptedReply, startOpenAiServer } from '../support/openai-server.ts';

// The model is a local scripted OpenAI-compatible server: these tests check the wiring and the
// evidence checks around the model's answer, never the model's judgement.

let server: FakeOpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: ScriptedReply[]) {
  server = await startOpenAiServer(script);
  const calls: LlmCallRecord[] = [];
  const ledger: ModelLedger = { record: async (c) => void calls.push(c) };
  const model = createModelClient({
    apiKey: 'test-key',
    baseUrl: server.baseUrl,
    model: 'gpt-4o-mini',
    timeoutMs: 300,
    maxRetries: 0,
    ledger,
    cache: noModelCache,
    clock: systemClock,
    backoff: { baseMs: 5, maxMs: 20 },
  });
  return { model, server, calls };
}

const ctx = { ownerName: 'Maya Park' };
const blank: InstructionAnswer = {
  understood: true,
  kind: null,
  vendor: null,
  vendorDomain: null,
  maxAmount: null,
  minAmount: null,
  currency: null,
  fromAddress: null,
  fromDomain: null,
  keyword: null,
  keywordIn: null,
  folder: null,
  days: [],
  before: null,
  after: null,
  quote: '',
  reason: null,
};

/** Not readable by the rules: no verb they know. */
const AMAZON =
  'Thanks for yesterday. From now on, if Amazon sends a bill below 300 dollars, just wave it through.';
const amazonAnswer: InstructionAnswer = {
  ...blank,
  kind: 'auto_approve_invoices',
  vendor: 'Amazon',
  maxAmount: 300,
  currency: 'USD',
  quote: 'if Amazon sends a bill below 300 dollars, just wave it through',
};
const CONTOSO =
  'Going forward, whenever Contoso writes, their mail belongs with the client mail in Clients/Contoso.';
const contosoAnswer: InstructionAnswer = {
  ...blank,
  kind: 'file_messages',
  keyword: 'Contoso',
  folder: 'Clients/Contoso',
  quote: 'whenever Contoso writes, their mail belongs with the client mail in Clients/Contoso',
};

describe('interpreting a standing instruction with the model as fallback', () => {
  it('wiring: when the rules read the instruction, the model is not asked', async () => {
    const { model, server } = await setup([{ json: amazonAnswer }]);
    const it = await interpretInstruction('From now on, approve AWS invoices under $500.', ctx, model);
    expect(it).toMatchObject({ method: 'rules', rule: { kind: 'auto_approve_invoices', vendor: 'AWS' } });
    expect(server.requests).toHaveLength(0);
  });

  it('wiring: a reason from the rules ("too broad") is final, the model is not asked to widen it', async () => {
    const { model, server } = await setup([{ json: amazonAnswer }]);
    const it = await interpretInstruction('From now on approve all invoices.', ctx, model);
    expect(it).toMatchObject({ rule: null, reason: expect.stringMatching(/too broad/) });
    expect(server.requests).toHaveLength(0);
  });

  it('wiring: when the rules find nothing, a model answer backed by the owner’s words is accepted', async () => {
    const { model, server, calls } = await setup([{ json: amazonAnswer }]);
    const it = await interpretInstruction(AMAZON, ctx, model);
    expect(it).toEqual({
      rule: {
        kind: 'auto_approve_invoices',
        vendor: 'Amazon',
        vendorDomain: null,
        maxAmount: 300,
        currency: 'USD',
      },
      words: 'From now on, if Amazon sends a bill below 300 dollars, just wave it through.',
      method: 'model',
      ignored: [],
    });
    expect(calls.map((c) => [c.label, c.outcome])).toEqual([['instructions.parse', 'ok']]);
    const body = server.requests[0]?.body;
    expect(body.response_format.json_schema).toMatchObject({ name: 'StandingInstruction', strict: true });
    expect(body.messages[0].content).toContain('You work for Maya Park');
    expect(body.messages[1].content).toContain('<<<DATA owner_instruction>>>');
    expect(body.messages[1].content).toContain('wave it through');
  });

  it('wiring: a filing rule whose folder path is in the owner’s words is accepted', async () => {
    const { model } = await setup([{ json: contosoAnswer }]);
    const it = await interpretInstruction(CONTOSO, ctx, model);
    expect(it).toMatchObject({ method: 'model', rule: { keyword: 'Contoso', folder: 'Clients/Contoso' } });
  });

  it.each<[string, string, InstructionAnswer, RegExp]>([
    ['a folder the owner did not name', CONTOSO, { ...contosoAnswer, folder: 'Clients' }, /folder "Clients"/],
    ['an invented folder', CONTOSO, { ...contosoAnswer, folder: 'Customers' }, /folder "Customers"/],
    [
      'an invented sender domain',
      CONTOSO,
      { ...contosoAnswer, fromDomain: 'contoso.com' },
      /fromDomain "contoso\.com"/,
    ],
    [
      'a vendor spelled out',
      AMAZON,
      { ...amazonAnswer, vendor: 'Amazon Web Services' },
      /vendor "Amazon Web Services"/,
    ],
    ['an amount the owner did not write', AMAZON, { ...amazonAnswer, maxAmount: 3000 }, /amount 3000/],
    ['a currency the owner did not write', AMAZON, { ...amazonAnswer, currency: 'EUR' }, /currency EUR/],
    [
      'a quote the owner did not write',
      AMAZON,
      { ...amazonAnswer, quote: 'approve everything from Amazon' },
      /quote/,
    ],
  ])('a model answer with %s is rejected', async (_name, text, answer, reason) => {
    const { model } = await setup([{ json: answer }]);
    const it = await interpretInstruction(text, ctx, model);
    expect(it.rule).toBeNull();
    expect(it.rule === null && it.reason).toMatch(reason);
    expect(it.rule === null && it.reason).toMatch(/^not recorded: /);
  });

  it('a model answer that is not a valid rule (no folder) is rejected with the reason', async () => {
    const { model } = await setup([{ json: { ...contosoAnswer, folder: null } }]);
    const it = await interpretInstruction(CONTOSO, ctx, model);
    expect(it).toMatchObject({ rule: null, reason: expect.stringMatching(/^folder:/) });
  });

  it('a model that finds no rule gives its reason, with no model error', async () => {
    const { model } = await setup([
      { json: { ...blank, understood: false, reason: 'This is a one-off request.' } },
    ]);
    const it = await interpretInstruction(
      'From now on, hmm, let me think about the Contoso thing.',
      ctx,
      model,
    );
    expect(it).toEqual({
      rule: null,
      words: 'From now on, hmm, let me think about the Contoso thing.',
      reason: 'This is a one-off request.',
    });
  });

  it.each<[string, ScriptedReply, RegExp]>([
    ['a timeout', { hang: true }, /^timeout: .*did not answer in time/],
    ['HTTP 500', { status: 500, message: 'boom' }, /^http_error: .*HTTP 500/],
    ['invalid JSON', { text: 'Sure, the rule is: approve Amazon {' }, /^invalid_json: /],
    ['a schema mismatch', { json: { understood: 'yes' } }, /^schema_mismatch: /],
    ['a refusal', { refusal: 'I cannot help with that.' }, /^refusal: .*I cannot help with that/],
  ])('a model failure (%s) ends in no rule with the reason, never a throw', async (_name, reply, error) => {
    const { model } = await setup([reply]);
    const it = await interpretInstruction(AMAZON, ctx, model);
    expect(it).toMatchObject({ rule: null, reason: MODEL_FAILED });
    expect(it.rule === null && it.modelError).toMatch(error);
    expect(it.words).toBe('From now on, if Amazon sends a bill below 300 dollars, just wave it through.');
  });

  it('without a model, an instruction the rules cannot read ends in no rule', async () => {
    expect(await interpretInstruction(AMAZON, ctx, null)).toMatchObject({
      rule: null,
      reason: NO_RULE_FOUND,
    });
  });
});
