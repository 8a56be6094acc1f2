import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ApprovalAnswer, readApprovalReply } from '../../src/approvals/reply/reply.read.ts';
import { parseMessage } from '../../src/ingest/parse.ts';

/**
 * Hand-written replies in the styles of real clients (Gmail, Outlook, Apple Mail, iPhone, Samsung,
 * Thunderbird, German Outlook, HTML-only), run through parseMessage so that `replyText` and `text`
 * are what production sees. Sources and licence: test/fixtures/approval-replies/README.md.
 */

interface Case {
  file: string;
  style: string;
  approval: 'reply' | 'payment';
  expected: Pick<ApprovalAnswer, 'decision' | 'editedDraft'> & {
    corrections: Array<{ field: string; value: string | number }>;
  };
}
interface Cases {
  timeZone: string;
  approvals: Record<Case['approval'], { draft: string | null; acceptsCorrections: boolean }>;
  cases: Case[];
}

const DIR = join(import.meta.dirname, '..', 'fixtures', 'approval-replies');
const spec = JSON.parse(readFileSync(join(DIR, 'cases.json'), 'utf8')) as Cases;
const day = new Intl.DateTimeFormat('en-CA', { timeZone: spec.timeZone });

async function read(c: Case): Promise<ApprovalAnswer> {
  const msg = await parseMessage(readFileSync(join(DIR, c.file)));
  const approval = spec.approvals[c.approval];
  return readApprovalReply({
    replyText: msg.replyText,
    fullText: msg.text,
    draft: approval.draft,
    acceptsCorrections: approval.acceptsCorrections,
    today: day.format(msg.date ?? new Date(0)),
  });
}

describe('approval replies in real client styles', () => {
  it('every fixture file has an expectation', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.eml'));
    expect(files.sort()).toEqual(spec.cases.map((c) => c.file).sort());
  });

  it.each(spec.cases.map((c) => [`${c.style} (${c.file})`, c] as const))(
    '%s is read as expected',
    async (_name, c) => {
      const answer = await read(c);
      expect({
        decision: answer.decision,
        editedDraft: answer.editedDraft,
        corrections: answer.corrections.map(({ field, value }) => ({ field, value })),
      }).toEqual(c.expected);
      expect(answer.method).toBe('rules');
      expect(answer.reason).toMatch(/^(read as (YES|NO)|unclear)/);
    },
  );

  it('the reason quotes the owner\'s words ("Yes please send" from the Gmail top-post)', async () => {
    const c = spec.cases.find((x) => x.file === 'gmail-top-post-yes.eml')!;
    expect((await read(c)).reason).toBe('read as YES: "Yes please send"');
  });

  it('quoted payment fields and the "total: 1200.00" example in the quoted approval are never corrections', async () => {
    const c = spec.cases.find((x) => x.file === 'gmail-french-payment-no.eml')!;
    expect((await read(c)).corrections).toEqual([]);
  });
});
