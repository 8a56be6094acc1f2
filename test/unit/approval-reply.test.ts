import { describe, expect, it } from 'vitest';
import { DRAFT_END, DRAFT_START } from '../../src/approvals/reply/reply.markers.ts';
import {
  type ApprovalAnswer,
  type ReplyInput,
  readApprovalReply,
  readApprovalReplyWithModel,
} from '../../src/approvals/reply/reply.read.ts';
import { ModelError } from '../../src/llm/llm.errors.ts';
import type { ModelClient, ModelRequest, ModelResult } from '../../src/llm/llm.model.ts';
import { DATA_OPEN } from '../../src/llm/llm.prompt.ts';

/** 2024-03-27 is a Wednesday. */
const TODAY = '2024-03-27';
const DRAFT =
  'Hi Dana,\n\nThanks for your message. We can deliver the chairs on Friday, as discussed.\n\nBest,\nMaya';

function input(replyText: string, over: Partial<ReplyInput> = {}): ReplyInput {
  return { replyText, fullText: replyText, draft: null, acceptsCorrections: true, today: TODAY, ...over };
}
const read = (text: string, over: Partial<ReplyInput> = {}): ApprovalAnswer =>
  readApprovalReply(input(text, over));
const decisionOf = (text: string): ApprovalAnswer['decision'] => read(text).decision;
const fields = (a: ApprovalAnswer) => a.corrections.map(({ field, value }) => ({ field, value }));
const block = (body: string, prefix = ''): string =>
  [DRAFT_START, ...body.split('\n'), DRAFT_END].map((l) => `${prefix}${l}`.trimEnd()).join('\n');

describe('the verdict', () => {
  it.each([
    'yes',
    'Y',
    'yep',
    'Yeah!',
    'yup',
    'ok',
    'OK.',
    'okay',
    'k',
    'approve',
    'Approved',
    'go ahead',
    'Go for it!',
    'send it',
    'Send',
    'do it',
    'please do',
    'Confirmed',
    'confirm',
    'sure',
    'Sounds good',
    'Looks good 👍',
    'LGTM',
    'fine',
    '👍',
    '👍🏽',
    '✅',
    '✔️',
    'ja',
    'Jawohl',
    'passt',
    'Einverstanden',
    'oui',
    "D'accord",
    'sí',
    'si',
    'vale',
    'claro',
    'da',
    'sim',
    'tak',
    'ja graag',
    'prima',
    'no problem',
    'No worries!',
    'not a problem',
    'why not?',
    'Yes please send',
    'ja, passt',
    'Yes please, thanks!',
    'Hi deskhand,\n\nyes, go ahead',
    "That's fine by me",
    'Send it, no changes needed',
    'No need to change anything, send it',
  ])('%j is a yes', (text) => {
    expect(decisionOf(text)).toBe('approve');
  });

  it.each([
    'no',
    'NO',
    'n',
    'nope',
    'nah',
    "don't",
    "Don't send it",
    'do not send',
    'please do not send',
    'dont',
    'reject',
    'Rejected',
    'decline',
    'cancel',
    'stop',
    'hold',
    'hold off',
    'Wait',
    'not now',
    'never',
    '👎',
    '❌',
    'nein',
    'Nicht senden',
    'non',
    'non merci',
    'pas maintenant',
    "pas d'accord",
    'no gracias',
    'nee',
    'niet',
    'not ok',
    'Nicht einverstanden',
    "I'll handle it myself",
    'No, thank you.',
    'No need to send it',
    'Absolutely not',
    'passt nicht',
  ])('%j is a no', (text) => {
    expect(decisionOf(text)).toBe('reject');
  });

  it.each([
    ["I don't know", 'hesitates'],
    ['yes?', 'asks a question'],
    ['should we?', 'asks a question'],
    ['Yes… actually no', 'both yes'],
    ['ok so no', 'both yes'],
    ['maybe', 'hesitates'],
    ['Not sure, let me think about it.', 'hesitates'],
    ['Yes but change the greeting to Dear Ms Lee', 'condition'],
    ['Send it on Monday please', 'condition or a time'],
    ['Yes, send it after 5pm', 'condition or a time'],
    ['Send me the PDF first', 'no plain yes or no'],
    ['Thanks!', 'no plain yes or no'],
    [
      'I had a look at the wording and I think it is fine overall although I would rather talk to Dana on the phone before we commit to a date',
      'no plain yes or no',
    ],
  ])('%j is unclear (the reason says it %s)', (text, why) => {
    const a = read(text);
    expect(a.decision).toBe('unclear');
    expect(a.reason).toContain(why);
  });

  it('says how it read the reply in one sentence quoting the owner', () => {
    expect(read('Go ahead').reason).toBe('read as YES: "Go ahead"');
    expect(read('NO').reason).toBe('read as NO: "NO"');
    expect(read('').reason).toBe('unclear: no yes or no in the reply');
  });

  it('reads only the first lines: a yes on the fourth line does not decide', () => {
    const text =
      'Thanks for drafting this.\nI was in meetings all day.\nThe wording is friendly.\nYes, send it.';
    expect(decisionOf(text)).toBe('unclear');
    expect(decisionOf('Hi Dana,\n\nYes, send it.\n\nThe wording is friendly.')).toBe('approve');
  });

  it('never takes the verdict from quoted text', () => {
    const full = 'Yes\n\nOn Mon, 25 Mar 2024 at 10:42, deskhand <a@b.example> wrote:\n> NO   to drop it';
    expect(read('Yes', { fullText: full }).decision).toBe('approve');
    expect(read('', { fullText: '> YES  to send it\n> NO   to drop it' }).decision).toBe('unclear');
  });

  it('"no." before a number is a number sign, not a no', () => {
    expect(read('Yes, invoice no. 42 is the right one', { acceptsCorrections: false }).decision).toBe(
      'approve',
    );
    expect(read('invoice no 42 is fine', { acceptsCorrections: false }).decision).toBe('unclear');
  });

  it('a draft pasted into the reply is not read for the verdict', () => {
    const text = `Send this version\n\n${block('No, we cannot deliver on Friday.\nMonday works.')}`;
    const a = read(text, { draft: DRAFT, acceptsCorrections: false });
    expect(a.decision).toBe('approve');
    expect(a.editedDraft).toBe('No, we cannot deliver on Friday.\nMonday works.');
  });
});

describe('the edited draft', () => {
  const edited =
    'Hi Dana,\n\nThanks for your message. We can deliver the chairs on Monday,\nas discussed.\n\nBest,\nMaya';
  const reply = (replyText: string, fullText: string, over: Partial<ReplyInput> = {}) =>
    readApprovalReply({
      replyText,
      fullText,
      draft: DRAFT,
      acceptsCorrections: false,
      today: TODAY,
      ...over,
    });

  it('an edit inside the "> " quote, with no verdict, is a yes with the owner\'s text and line breaks', () => {
    const a = reply('', `On Mon, deskhand wrote:\n> Send this?\n>\n${block(edited, '> ')}\n>\n> reference`);
    expect(a.decision).toBe('approve');
    expect(a.editedDraft).toBe(edited);
    expect(a.reason).toBe('read as YES: the draft between the markers was edited, with no yes or no');
  });

  it('removes one quote level consistently: ">> " and "> > " blocks', () => {
    expect(reply('ok', `> On …\n${block(edited, '>> ')}`).editedDraft).toBe(edited);
    expect(reply('ok', block(edited, '> > ')).editedDraft).toBe(edited);
  });

  it('a re-wrapped or re-spaced but unchanged draft is no edit', () => {
    const rewrapped =
      'Hi Dana,\n\nThanks for your message. We can deliver\nthe chairs on Friday, as   discussed.\n\n\n\nBest,\nMaya';
    const a = reply('Yes', `Yes\n\n${block(rewrapped, '> ')}`);
    expect(a).toMatchObject({ decision: 'approve', editedDraft: null });
    expect(reply('', block(DRAFT.replace(/'/g, '’'))).editedDraft).toBeNull();
  });

  it('the first (top-most) marker pair wins: a copy above the quoted original', () => {
    const full = `Use this:\n${block(edited)}\n\nOn …, deskhand wrote:\n${block(DRAFT, '> ')}`;
    expect(reply('Use this:', full).editedDraft).toBe(edited);
    const unchangedCopy = `${block(DRAFT)}\n\n${block(edited, '> ')}`;
    expect(reply('', unchangedCopy).editedDraft).toBeNull();
  });

  it('an edit with an explicit no is a no (the edited text is still reported)', () => {
    const a = reply('No, drop it', `No, drop it\n\n${block(edited, '> ')}`);
    expect(a.decision).toBe('reject');
    expect(a.editedDraft).toBe(edited);
  });

  it('an edit with a question is unclear', () => {
    expect(reply('Is this better?', `Is this better?\n${block(edited, '> ')}`).decision).toBe('unclear');
  });

  it('an emptied block or a block without its end marker is no edit', () => {
    const emptied = reply('', `${DRAFT_START}\n\n${DRAFT_END}`);
    expect(emptied).toMatchObject({ decision: 'unclear', editedDraft: null });
    expect(emptied.reason).toContain('empty');
    expect(reply('', `${DRAFT_START}\n${edited}`).editedDraft).toBeNull();
  });

  it('a payment approval (draft null) has no edited draft', () => {
    expect(reply('yes', block(edited), { draft: null }).editedDraft).toBeNull();
  });
});

describe('field corrections', () => {
  it.each([
    ['total: 1200.00', { field: 'total', value: 1200 }],
    ['amount 120', { field: 'total', value: 120 }],
    ['Total = EUR 1.200,00', { field: 'total', value: 1200 }],
    ['Betrag: 1.190,00 €', { field: 'total', value: 1190 }],
    ['montant: 1 200,00', { field: 'total', value: 1200 }],
    ['subtotal 1000', { field: 'subtotal', value: 1000 }],
    ['tax: 190', { field: 'tax', value: 190 }],
    ['currency: usd', { field: 'currency', value: 'USD' }],
    ['due: 2024-04-15', { field: 'dueDate', value: '2024-04-15' }],
    ['due date 15.04.2024', { field: 'dueDate', value: '2024-04-15' }],
    ['due Friday', { field: 'dueDate', value: '2024-03-29' }],
    ['due Wednesday', { field: 'dueDate', value: '2024-04-03' }],
    ['due 31.3.', { field: 'dueDate', value: '2024-03-31' }],
    ['fällig am 15.4.', { field: 'dueDate', value: '2024-04-15' }],
    ['due April 15', { field: 'dueDate', value: '2024-04-15' }],
    ['issue date: 2024-03-01', { field: 'issueDate', value: '2024-03-01' }],
    ['invoice number: 2024-0043', { field: 'invoiceNumber', value: '2024-0043' }],
    ['Rechnungsnummer: RE-17', { field: 'invoiceNumber', value: 'RE-17' }],
    ['iban: DE89 3704 0044 0532 0130 00', { field: 'iban', value: 'DE89370400440532013000' }],
    ['BIC: COBADEFFXXX', { field: 'bic', value: 'COBADEFFXXX' }],
    ['po: PO-123', { field: 'poNumber', value: 'PO-123' }],
    ['vendor: ACME GmbH', { field: 'vendor', value: 'ACME GmbH' }],
  ])('%j is read as a correction, and alone it is unclear', (text, correction) => {
    const a = read(text);
    expect(fields(a)).toEqual([correction]);
    expect(a.decision).toBe('unclear');
    expect(a.reason).toContain('no yes or no');
  });

  it('"yes, but amount 120 and due Friday" is a yes with two corrections', () => {
    const a = read('yes, but amount 120 and due Friday');
    expect(a.decision).toBe('approve');
    expect(a.corrections).toEqual([
      { field: 'total', value: 120, words: 'amount 120' },
      { field: 'dueDate', value: '2024-03-29', words: 'due Friday' },
    ]);
    expect(a.reason).toBe('read as YES: "yes", with corrections: total 120, due date 2024-03-29');
  });

  it('corrections under a verdict line, and with a no', () => {
    const lines = 'Yes\ntotal: EUR 1.200,00\ndue: 2024-04-15\niban: DE89 3704 0044 0532 0130 00';
    const a = read(lines);
    expect(a.decision).toBe('approve');
    expect(fields(a).map((c) => c.field)).toEqual(['total', 'dueDate', 'iban']);
    expect(a.reason).toContain('IBAN DE…3000');
    expect(read('No. total: 1200').decision).toBe('reject');
    expect(fields(read('No. total: 1200'))).toEqual([{ field: 'total', value: 1200 }]);
  });

  it.each([
    ['yes, due next Friday', 'due date "next Friday" is ambiguous'],
    ['yes, due 04/05/2024', 'due date "04/05/2024" is ambiguous'],
    ['yes, due: whenever', 'due date "whenever" was not understood'],
    ['yes\niban: DE89 3704 0044 0532 0130 01', 'is not a valid IBAN'],
    ['yes\ntotal: 120\ntotal: 130', 'total was given twice'],
  ])('%j leaves the value out and says so', (text, said) => {
    const a = read(text);
    expect(a.decision).toBe('approve');
    expect(a.corrections).toEqual([]);
    expect(a.reason).toContain(said);
  });

  it('prose, questions and draft approvals yield no corrections', () => {
    expect(fields(read('the amount looks right, yes'))).toEqual([]);
    expect(fields(read('Is the total 1200?'))).toEqual([]);
    expect(fields(read('the invoice 2024-0099 is right, yes'))).toEqual([]);
    expect(read('yes, total: 1200', { acceptsCorrections: false }).corrections).toEqual([]);
  });
});

describe('with a model', () => {
  function fakeModel(answer: { decision: string; evidence: string } | Error) {
    const calls: ModelRequest<unknown>[] = [];
    const model: ModelClient = {
      model: 'fake',
      async complete<T>(req: ModelRequest<T>): Promise<ModelResult<T>> {
        calls.push(req as ModelRequest<unknown>);
        if (answer instanceof Error) throw answer;
        return {
          value: req.schema.parse(answer),
          cached: false,
          usage: { prompt: 1, completion: 1 },
          latencyMs: 1,
        };
      },
    };
    return { model, calls };
  }
  const unclearText = "Let's get this out the door today.";

  it('asks when the rules are unclear, and takes an approve whose evidence is in the reply', async () => {
    const { model, calls } = fakeModel({ decision: 'approve', evidence: 'get this out the door' });
    const a = await readApprovalReplyWithModel(input(unclearText), model);
    expect(a).toMatchObject({ decision: 'approve', method: 'model', corrections: [], editedDraft: null });
    expect(a.reason).toBe('read as YES by the model: "get this out the door"');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ label: 'approval.reply', schemaName: 'approval_decision' });
    expect(calls[0]?.user.startsWith(`${DATA_OPEN} owner_reply>>>`)).toBe(true);
    expect(calls[0]?.system).toContain('never instructions');
  });

  it('is not asked to settle a hedge: "hmm, maybe go ahead" is asked back, not turned into a yes', async () => {
    const { model, calls } = fakeModel({ decision: 'approve', evidence: 'yes, go ahead' });
    const a = await readApprovalReplyWithModel(input('Hmm, yes, go ahead'), model);
    expect(a).toMatchObject({ decision: 'unclear', method: 'rules' });
    expect(calls).toHaveLength(0);
  });

  it('keeps unclear when the evidence is not in the reply', async () => {
    const { model } = fakeModel({ decision: 'approve', evidence: 'yes, pay it' });
    const a = await readApprovalReplyWithModel(input(unclearText), model);
    expect(a).toMatchObject({ decision: 'unclear', method: 'rules' });
    expect(a.reason).toContain('not in the reply');
  });

  it('falls back to the rules when the model fails', async () => {
    const { model } = fakeModel(new ModelError('timeout', 'model server did not answer in time'));
    const a = await readApprovalReplyWithModel(input(unclearText), model);
    expect(a).toMatchObject({ decision: 'unclear', method: 'rules' });
    expect(a.reason).toContain('the model failed (timeout: model server did not answer in time)');
  });

  it('is not asked when the rules decided, found corrections, an edit, a question or a contradiction', async () => {
    const { model, calls } = fakeModel({ decision: 'approve', evidence: 'yes' });
    expect((await readApprovalReplyWithModel(input('yes'), model)).decision).toBe('approve');
    expect((await readApprovalReplyWithModel(input('yes?'), model)).decision).toBe('unclear');
    expect((await readApprovalReplyWithModel(input('Yes. Actually no.'), model)).decision).toBe('unclear');
    expect((await readApprovalReplyWithModel(input('total: 1200'), model)).decision).toBe('unclear');
    const full = block('Hi Dana, Monday then.', '> ');
    await readApprovalReplyWithModel(input('', { fullText: full, draft: DRAFT }), model);
    expect(calls).toHaveLength(0);
    expect((await readApprovalReplyWithModel(input(unclearText), null)).method).toBe('rules');
  });
});

describe('robustness', () => {
  it('never throws, whatever it is given', () => {
    const bad = { replyText: null, fullText: undefined, draft: 42, acceptsCorrections: true, today: 'soon' };
    expect(readApprovalReply(bad as unknown as ReplyInput).decision).toBe('unclear');
    expect(read('due Friday', { today: 'not a date' }).corrections).toEqual([]);
  });

  it('reads very long input quickly (input is clipped, time is linear)', () => {
    const quoted = `${'> no no no 1.200,00 total: due Friday iban: DE89 '.repeat(20_000)}\n`;
    const started = performance.now();
    const a = read('amount due 1 '.repeat(50_000), {
      fullText: `${DRAFT_START}\n${quoted.repeat(3)}`,
      draft: DRAFT,
    });
    expect(['approve', 'reject', 'unclear']).toContain(a.decision);
    expect(a.editedDraft).toBeNull();
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
