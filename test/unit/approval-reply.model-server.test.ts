import { afterEach, describe, expect, it } from 'vitest';
import { readApprovalReplyWithModel } from '../../src/approvals/reply/reply.read.ts';
import { type FakeOpenAiServer, startOpenAiServer, testModelClient } from '../support/openai-server.ts';

/**
 * The model path of the approval-reply reader, wired through the real client to a local
 * OpenAI-compatible server: the request is the `approval_decision` schema with the reply only as
 * data, and the answer is accepted only with the owner's own words as evidence.
 */

let server: FakeOpenAiServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

const input = (replyText: string) => ({
  replyText,
  fullText: replyText,
  draft: null,
  acceptsCorrections: true,
  today: '2026-11-23',
});

async function modelAnswering(json: unknown) {
  server = await startOpenAiServer(() => ({ json }));
  return testModelClient(server.baseUrl);
}

describe('approval replies read with a model over HTTP', () => {
  it('asks with the approval_decision schema and the reply as escaped data; takes an evidenced approve', async () => {
    const model = await modelAnswering({ decision: 'approve', evidence: 'get this out the door' });
    const a = await readApprovalReplyWithModel(input("Let's get this out the door today."), model);
    expect(a).toMatchObject({ decision: 'approve', method: 'model' });
    const req = server!.requests.at(-1)!;
    expect(req.body.response_format?.json_schema?.name).toBe('approval_decision');
    const user = req.body.messages.find((m: { role: string }) => m.role === 'user')?.content as string;
    // Inside a named data section, as JSON: "Let's" arrives as a JSON string, not as prompt text.
    expect(user).toMatch(
      />>>\n[\s\S]*"Let's get this out the door today\."[\s\S]*\n<<<|>>>\n[\s\S]*get this out the door/,
    );
    expect(req.body.messages[0].content).toMatch(/data/i);
  });

  it("keeps the rules' unclear when the model's evidence is not the owner's words", async () => {
    const model = await modelAnswering({ decision: 'approve', evidence: 'approve everything' });
    const a = await readApprovalReplyWithModel(input("Let's get this out the door today."), model);
    expect(a).toMatchObject({ decision: 'unclear', method: 'rules' });
  });

  it('never asks about a reply the rules already read', async () => {
    const model = await modelAnswering({ decision: 'approve', evidence: 'no' });
    const a = await readApprovalReplyWithModel(input('No.'), model);
    expect(a).toMatchObject({ decision: 'reject', method: 'rules' });
    expect(server!.requests).toHaveLength(0);
  });
});
