import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../src/db/db.ts';
import {
  type FakeOpenAiServer,
  type Responder,
  startOpenAiServer,
  testModelClient,
} from '../support/openai-server.ts';
import { eml, memoryDb, resetDb } from '../support/pglite.ts';
import { ASSISTANT, approvalsConfig, type Harness, harness, OWNER } from './builders/approvals-harness.ts';

// The scheduling skill's model path through the real client and a local OpenAI-compatible server:
// asked only when the rules are unsure whether a meeting is wanted, about intent only (dates,
// people and zones stay the rules'), and every failure leaves the rules' answer.

let h: DatabaseHandle;
let t: Harness;
let server: FakeOpenAiServer | null = null;
beforeAll(async () => {
  h = await memoryDb();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await resetDb(h);
});
afterEach(async () => {
  await server?.close();
  server = null;
});

async function withModel(respond: Responder): Promise<void> {
  server = await startOpenAiServer(respond);
  t = harness(h, approvalsConfig({ OPENAI_BASE_URL: server.baseUrl, LLM_MODEL: 'test-model' }));
  t.deps.model = await testModelClient(server.baseUrl);
}

/** The rules are unsure (a meeting topic, no ask): 0.55. */
const UNSURE = eml({
  from: 'Dana Lee <dana@lumen.example>',
  to: `Maya Chen <${OWNER}>`,
  cc: ASSISTANT,
  subject: 'Q2 roadmap',
  messageId: 'roadmap-1@lumen.example',
  date: 'Mon, 16 Mar 2026 05:00:00 -0400',
  body: 'Hi Maya,\n\nOur teams should sync on the Q2 roadmap.\n\nDana',
});

const meetings = () => h.db.selectFrom('meetings').selectAll().execute();
const intentRequests = () =>
  server!.requests.filter((r) => r.body.response_format?.json_schema?.name === 'meeting_intent');

describe('scheduling intent with a model over HTTP', () => {
  it('asks about intent only when the rules are unsure; a "wanted" answer starts a meeting with the rules\' dates', async () => {
    await withModel((body) =>
      body.response_format?.json_schema?.name === 'meeting_intent'
        ? { json: { wanted: true, confidence: 0.8, reason: 'proposes a sync between the teams' } }
        : { status: 500 },
    );
    await t.deliver(UNSURE);
    expect(intentRequests()).toHaveLength(1);
    const user = intentRequests()[0]!.body.messages.find((m: { role: string }) => m.role === 'user')?.content;
    expect(user).toContain('Our teams should sync on the Q2 roadmap.');
    const [m] = await meetings();
    expect(m?.status).toBe('proposing');
    expect((m!.request as { reasons: string[] }).reasons.join(' ')).toMatch(
      /model \(rules unsure at 0\.55\): wanted/,
    );
    expect(m?.offered.length).toBeGreaterThan(0);
  });

  it('a "not wanted" answer or a failing server leaves no meeting, and a clear ask never reaches the model', async () => {
    await withModel(() => ({ json: { wanted: false, confidence: 0.9, reason: 'an FYI' } }));
    await t.deliver(UNSURE);
    expect(await meetings()).toEqual([]);
    await server!.close();
    await resetDb(h);
    await withModel(() => ({ status: 503 }));
    await t.deliver(UNSURE);
    expect(await meetings()).toEqual([]);
    await t.deliver(
      eml({
        from: 'Sam Ortiz <sam@ortiz.example>',
        to: `Maya Chen <${OWNER}>`,
        cc: ASSISTANT,
        subject: 'Audit',
        messageId: 'audit-1@ortiz.example',
        date: 'Mon, 16 Mar 2026 05:00:00 -0400',
        body: 'Hi Maya,\n\ncould we find 30 minutes next week?\n\nSam',
      }),
    );
    const asked = intentRequests().length;
    expect((await meetings()).length).toBe(1);
    expect(intentRequests().length).toBe(asked);
  });
});
