import { describe, expect, it } from 'vitest';
import { amountsIn, findAmountLimit, parseMoney } from '../../src/skills/instructions/instruction.amount.ts';
import { InstructionAnswer, ruleFromAnswer } from '../../src/skills/instructions/instruction.answer.ts';
import { describeRule } from '../../src/skills/instructions/instruction.describe.ts';
import { looksLikeStandingInstruction } from '../../src/skills/instructions/instruction.detect.ts';
import { StandingRule } from '../../src/skills/instructions/instruction.model.ts';
import { parseInstruction } from '../../src/skills/instructions/instruction.parse.ts';
import { buildInstructionPrompt } from '../../src/skills/instructions/instruction.prompt.ts';
import { isUndoReply } from '../../src/skills/instructions/instruction.undo.ts';

const auto = (
  vendor: string | null,
  vendorDomain: string | null,
  maxAmount: number | null,
  currency: string | null,
) => ({
  kind: 'auto_approve_invoices',
  vendor,
  vendorDomain,
  maxAmount,
  currency,
});
const ask = (
  vendor: string | null,
  vendorDomain: string | null,
  minAmount: number | null,
  currency: string | null,
) => ({
  kind: 'require_approval',
  vendor,
  vendorDomain,
  minAmount,
  currency,
});
const file = (
  fromAddress: string | null,
  fromDomain: string | null,
  keyword: string | null,
  folder: string,
) => ({
  kind: 'file_messages',
  fromAddress,
  fromDomain,
  keyword,
  folder,
});
const meet = (days: string[], before: string | null = null, after: string | null = null) => ({
  kind: 'no_meetings',
  days,
  before,
  after,
});

describe('detecting a standing instruction', () => {
  it.each([
    'From now on, approve AWS invoices under $500.',
    'Going forward please file anything from the bank under Statements',
    'In the future, CC me on replies to Contoso.',
    'In future, file receipts under Receipts.',
    'From today on, no meetings before 10am.',
    'Always ask me before paying Contoso.',
    'Please always cc finance on invoice approvals.',
    'Never schedule meetings on weekends.',
    'Whenever an invoice from AWS arrives, approve it if it is under $500.',
    'Any time the bank writes, file it under Statements.',
    'Every time Stripe sends a receipt, file it under Receipts.',
    "I don't take meetings on Fridays.",
    'I don’t take meetings on Fridays.',
    'No meetings on Fridays or before 10am.',
    "Don't schedule anything on Mondays.",
    'auto-approve invoices from aws.amazon.com below 500 USD',
    'approve Hetzner invoices up to €200',
    'Ignore mail from noreply@x.example.',
    'Ab jetzt bitte alle Rechnungen von Hetzner bis 200 € freigeben.',
    'Künftig keine Termine freitags.',
    'In Zukunft Post von der Bank unter Kontoauszüge ablegen.',
    'Désormais, classe les mails de la banque dans Relevés.',
    "À l'avenir, pas de réunions le vendredi.",
    'A partir de ahora, archiva el correo del banco en Extractos.',
    'De ahora en adelante no aceptes reuniones los viernes.',
    'Voortaan geen afspraken op vrijdag.',
    'Vanaf nu alle facturen van AWS onder 500 dollar goedkeuren.',
    'Hi,\n\nthanks for the summary.\n\nFrom now on:\n- approve AWS invoices under $500',
  ])('fires on %j', (text) => {
    expect(looksLikeStandingInstruction(text)).toBe(true);
  });

  it.each([
    'Please pay this invoice.',
    'Reply to Dana that we accept the offer and ask for the contract.',
    'Can you find a time next week with Dana?',
    'Any time next week works for me.',
    'Any time on Tuesday is fine.',
    'Never mind, I sorted it out.',
    'Dana always sends her invoices late.',
    'Please approve the invoice from today.',
    "Don't schedule the call with Dana until I confirm.",
    'Move this email to the Archive folder.',
    'Please file the attached contract under Legal.',
    'Please pay the Hetzner invoices up to €200 today.',
    "Let's meet in the future.",
    'Thanks!',
    '',
  ])('stays quiet on the one-off %j', (text) => {
    expect(looksLikeStandingInstruction(text)).toBe(false);
  });
});

describe('parsing a standing instruction with rules', () => {
  it.each<[string, object]>([
    // The three examples from the issue.
    ['From now on, approve AWS invoices under $500.', auto('AWS', null, 500, 'USD')],
    ['From now on, file anything from the bank under Statements.', file(null, null, 'bank', 'Statements')],
    ["From now on, I don't take meetings on Fridays.", meet(['fri'])],
    // Approval variants.
    ['auto-approve invoices from aws.amazon.com below 500 USD', auto(null, 'aws.amazon.com', 500, 'USD')],
    ['approve Hetzner invoices up to €200', auto('Hetzner', null, 200, 'EUR')],
    [
      'Going forward, approve invoices from Hetzner up to 1.000,00 EUR without asking me.',
      auto('Hetzner', null, 1000, 'EUR'),
    ],
    ['From now on pay AWS bills of $500 or less.', auto('AWS', null, 500, 'USD')],
    ['From now on approve Stripe invoices below £1,250.50', auto('Stripe', null, 1250.5, 'GBP')],
    ['From now on approve invoices from billing@hetzner.com under 5k', auto(null, 'hetzner.com', 5000, null)],
    ['From now on you can approve any invoice under 50 EUR', auto(null, null, 50, 'EUR')],
    ['From now on, approve all invoices under $50 from any vendor.', auto(null, null, 50, 'USD')],
    ['From now on, approve invoices from AWS.', auto('AWS', null, null, null)],
    ['Always ask me before paying Contoso.', ask('Contoso', null, null, null)],
    ['From now on: ask me before approving any invoice over €1,000', ask(null, null, 1000, 'EUR')],
    [
      'In future, never approve invoices from contoso.com without asking me',
      ask(null, 'contoso.com', null, null),
    ],
    ['Going forward, invoices from Contoso always need my approval.', ask('Contoso', null, null, null)],
    ["From now on don't pay anything over 2.500 USD without asking me", ask(null, null, 2500, 'USD')],
    // Filing variants.
    ['put anything from the bank into Statements', file(null, null, 'bank', 'Statements')],
    ['move everything from @stripe.com into Receipts', file(null, 'stripe.com', null, 'Receipts')],
    [
      'file all mail from billing@x.example in Statements',
      file('billing@x.example', null, null, 'Statements'),
    ],
    [
      'From now on file everything from stripe.com in the Receipts folder.',
      file(null, 'stripe.com', null, 'Receipts'),
    ],
    ['From now on, file bank mail under Finance/Statements.', file(null, null, 'bank', 'Finance/Statements')],
    [
      'Going forward, put everything with "receipt" in the subject under Receipts',
      file(null, null, 'receipt', 'Receipts'),
    ],
    [
      'From now on, file anything from Deutsche Bank under "Bank Statements".',
      file(null, null, 'Deutsche Bank', 'Bank Statements'),
    ],
    ['From now on, anything from the bank goes into Statements.', file(null, null, 'bank', 'Statements')],
    // Meeting variants.
    ['no meetings on Fridays or before 10am', meet(['fri'], '10:00')],
    ['never schedule meetings on weekends', meet(['sat', 'sun'])],
    ["From now on, don't book anything on Mondays or Wednesdays.", meet(['mon', 'wed'])],
    ['From now on, no calls after 5', meet([], null, '17:00')],
    ['Going forward no meetings before 9:30 or after 17:00', meet([], '09:30', '17:00')],
    ['Please keep Fridays free from now on.', meet(['fri'])],
    ['Ab jetzt keine Termine freitags.', meet(['fri'])],
    // Ignoring a sender.
    [
      'ignore mail from noreply@x.example',
      { kind: 'ignore_sender', fromAddress: 'noreply@x.example', fromDomain: null },
    ],
    [
      "From now on, don't draft replies to anyone at newsletters.example",
      { kind: 'ignore_sender', fromAddress: null, fromDomain: 'newsletters.example' },
    ],
  ])('%j', (text, rule) => {
    const parsed = parseInstruction(text);
    expect(parsed).toMatchObject({ rule, method: 'rules' });
    expect(StandingRule.safeParse(parsed.rule).success).toBe(true);
  });

  it('keeps the owner’s sentence as the words, with a trigger line above it', () => {
    const parsed = parseInstruction('Hi,\n\nFrom now on:\n- approve AWS invoices under $500\n\nThanks, Maya');
    expect(parsed).toMatchObject({ words: 'From now on: approve AWS invoices under $500', ignored: [] });
  });

  it('records the first of several rules and lists the others as not recorded', () => {
    const parsed = parseInstruction(
      'From now on:\n- approve AWS invoices under $500\n- file anything from the bank under Statements\n- no meetings on Fridays',
    );
    expect(parsed.rule).toMatchObject({ kind: 'auto_approve_invoices' });
    expect(parsed.rule && parsed.ignored).toEqual([
      'file anything from the bank under Statements',
      'no meetings on Fridays',
    ]);
  });

  it.each([
    ['From now on approve all invoices.', /too broad/],
    ['No meetings on Friday afternoons please.', /not times on particular days/],
    ['From now on, no meetings on Fridays before 10am.', /not times on particular days/],
    ['From now on ignore mail from Bob.', /address or a domain/],
    ['From now on approve invoices over $500.', /upper limit/],
  ])('explains what it will not record: %j', (text, reason) => {
    const parsed = parseInstruction(text);
    expect(parsed.rule).toBeNull();
    expect(parsed.rule === null && parsed.reason).toMatch(reason);
  });

  it.each([
    'Please pay this invoice.',
    'Please approve the invoices from Hetzner.',
    'Please pay the Hetzner invoices up to €200 today.',
    'Move this email to Archive.',
    'Can you find a time next week?',
  ])('finds no rule in the one-off %j', (text) => {
    expect(parseInstruction(text)).toMatchObject({ rule: null, reason: 'no rule I can read without help' });
  });
});

describe('reading amounts', () => {
  it.each<[string, number, string | null]>([
    ['$500', 500, 'USD'],
    ['500 USD', 500, 'USD'],
    ['USD 500', 500, 'USD'],
    ['€1,000', 1000, 'EUR'],
    ['1.000,00 EUR', 1000, 'EUR'],
    ['1,000.50 EUR', 1000.5, 'EUR'],
    ['2 500 CHF', 2500, 'CHF'],
    ['200€', 200, 'EUR'],
    ['200 euros', 200, 'EUR'],
    ['£75.5', 75.5, 'GBP'],
    ['5k', 5000, null],
    ['500', 500, null],
  ])('%j is %d %s', (text, value, currency) => {
    expect(parseMoney(text)).toEqual({ value, currency });
  });

  it('finds limits and their direction', () => {
    expect(findAmountLimit('invoices under $500 from AWS')).toMatchObject({ value: 500, bound: 'max' });
    expect(findAmountLimit('anything over 1.000,00 EUR')).toMatchObject({ value: 1000, bound: 'min' });
    expect(findAmountLimit('bills of $500 or less')).toMatchObject({ value: 500, bound: 'max' });
    expect(findAmountLimit('invoices of $500')).toBeNull();
    expect(amountsIn('up to €200 and then $1,000')).toEqual([
      { value: 200, currency: 'EUR' },
      { value: 1000, currency: 'USD' },
    ]);
  });
});

describe('describing a rule', () => {
  it.each<[object, string]>([
    [
      auto('AWS', null, 500, 'USD'),
      'Approve invoices from AWS up to USD 500.00 without asking me (bank-detail changes, possible duplicates and first invoices from a new vendor still ask).',
    ],
    [
      auto(null, 'aws.amazon.com', 1000, null),
      'Approve invoices from aws.amazon.com up to 1,000.00 in any currency without asking me (bank-detail changes, possible duplicates and first invoices from a new vendor still ask).',
    ],
    [ask('Contoso', null, null, null), 'Always ask me before approving invoices from Contoso.'],
    [
      ask(null, null, 1000, 'EUR'),
      'Always ask me before approving invoices from any vendor of EUR 1,000.00 or more.',
    ],
    [
      { ...file(null, null, 'bank', 'Statements'), keywordIn: 'sender' },
      'File mail whose sender mentions “bank” in the folder Statements.',
    ],
    [
      file('billing@x.example', null, null, 'Statements'),
      'File mail from billing@x.example in the folder Statements.',
    ],
    [meet(['fri']), 'Never propose meetings on Fridays.'],
    [
      meet(['sat', 'sun'], '10:00'),
      'Never propose meetings on Saturdays or Sundays or starting before 10:00.',
    ],
    [meet([], '09:30', '17:00'), 'Never propose meetings starting before 09:30 or ending after 17:00.'],
    [
      { kind: 'ignore_sender', fromAddress: 'noreply@x.example', fromDomain: null },
      'Never draft replies to mail from noreply@x.example, and treat it as FYI.',
    ],
  ])('%j', (rule, sentence) => {
    expect(describeRule(StandingRule.parse(rule))).toBe(sentence);
  });
});

describe('recognising "undo"', () => {
  it.each([
    'undo',
    'Undo.',
    'undo that',
    'Please undo',
    'Undo that, please!',
    'revert',
    'Cancel that rule.',
    'Scratch that',
    'Rückgängig',
    'Bitte rückgängig machen',
    'annuler',
    'Undo\n\nThanks,\nMaya',
    'Undo\nSent from my iPhone',
  ])('%j undoes', (reply) => {
    expect(isUndoReply(reply)).toBe(true);
  });

  it.each([
    "Don't undo",
    'do not undo that',
    'undo? no, keep it',
    'Undo\nActually no, keep it.',
    'I was going to say undo, but the rule is fine, and can you also look at the AWS invoice from Tuesday?',
    'Thanks, that looks right.',
    '',
  ])('%j does not', (reply) => {
    expect(isUndoReply(reply)).toBe(false);
  });
});

describe('the model fallback, without a model', () => {
  it('puts the owner’s words in a data section the system prompt explains', () => {
    const p = buildInstructionPrompt('From now on, treat <b>Contoso</b> specially', 'Maya Park');
    expect(p.system).toContain('You work for Maya Park');
    expect(p.system).toContain('owner_instruction');
    expect(p.user).toMatch(/^<<<DATA owner_instruction>>>\n/);
    expect(p.user).not.toContain('<b>');
  });

  it('converts a flat answer to a rule in normal form and drops fields the kind does not use', () => {
    const answer = InstructionAnswer.parse({
      understood: true,
      kind: 'file_messages',
      vendor: 'ignored',
      vendorDomain: null,
      maxAmount: 5,
      minAmount: null,
      currency: null,
      fromAddress: null,
      fromDomain: '@Stripe.COM',
      keyword: null,
      keywordIn: null,
      folder: ' Receipts ',
      days: ['fri'],
      before: null,
      after: null,
      quote: 'stripe',
      reason: null,
    });
    expect(ruleFromAnswer(answer)).toEqual({
      rule: { ...file(null, 'stripe.com', null, 'Receipts'), keywordIn: null },
    });
  });
});
