import { describe, expect, it } from 'vitest';
import {
  approvalOverride,
  approvalRelaxedFor,
  approvalTightenedFor,
  fileFolderFor,
  type InvoiceFacts,
  meetingAllowed,
  senderIgnoredBy,
} from '../../src/skills/instructions/instruction.match.ts';
import { type RuleEntry, StandingRule } from '../../src/skills/instructions/instruction.model.ts';
import { parseInstruction } from '../../src/skills/instructions/instruction.parse.ts';

const entry = (id: string, rule: unknown): RuleEntry => ({ id, rule: StandingRule.parse(rule) });
const from = (address: string, name = '') => ({ name, address });

describe('filing by the owner’s rules', () => {
  const rules = [
    entry('bank', {
      kind: 'file_messages',
      fromAddress: null,
      fromDomain: null,
      keyword: 'bank',
      folder: 'Statements',
    }),
    entry('stripe', {
      kind: 'file_messages',
      fromAddress: null,
      fromDomain: 'stripe.com',
      keyword: null,
      folder: 'Receipts',
    }),
    entry('billing', {
      kind: 'file_messages',
      fromAddress: 'billing@x.example',
      fromDomain: null,
      keyword: null,
      folder: 'Billing',
    }),
    entry('meet', { kind: 'no_meetings', days: ['fri'], before: null, after: null }),
  ];

  it.each<[string, { from: { name: string; address: string } | null; subject: string }, string | null]>([
    [
      'a sender named "Northwind Bank"',
      { from: from('alerts@northwind.example', 'Northwind Bank'), subject: 'Hi' },
      'bank',
    ],
    ['a sender address at bank.example', { from: from('alerts@bank.example'), subject: 'Hi' }, 'bank'],
    ['a subject mentioning the bank', { from: null, subject: 'Your BANK statement for March' }, 'bank'],
    ['"mybank.example" (not the whole word)', { from: from('a@mybank.example'), subject: 'Hi' }, null],
    ['"Banking news" (a longer word)', { from: from('news@paper.example'), subject: 'Banking news' }, null],
    [
      'a subdomain of stripe.com',
      { from: from('receipts@mail.stripe.com', 'Stripe'), subject: 'Receipt' },
      'stripe',
    ],
    ['a look-alike domain', { from: from('receipts@notstripe.com'), subject: 'Receipt' }, null],
    ['the address with a +detail', { from: from('billing+march@x.example'), subject: 'Invoice' }, 'billing'],
    ['another address at the same domain', { from: from('sales@x.example'), subject: 'Offer' }, null],
  ])('%s', (_name, msg, ruleId) => {
    const hit = fileFolderFor(rules, msg);
    expect(hit?.ruleId ?? null).toBe(ruleId);
  });

  it('"anything from the bank" looks at the sender only: a colleague\'s "bank holiday" subject stays put', () => {
    const parsed = parseInstruction('From now on, file anything from the bank under Statements.');
    if (!parsed.rule) throw new Error(parsed.reason);
    expect(parsed.rule).toMatchObject({ keyword: 'bank', keywordIn: 'sender' });
    const only = [{ id: 'r', rule: parsed.rule }];
    expect(
      fileFolderFor(only, { from: from('tom@northwind.example', 'Tom'), subject: 'Bank holiday rota' }),
    ).toBeNull();
    expect(
      fileFolderFor(only, { from: from('alerts@harbour.example', 'Harbour Bank'), subject: 'Hi' })?.ruleId,
    ).toBe('r');
  });

  it('returns the first matching rule in the order given, with its folder', () => {
    const msg = { from: from('statements@bank.stripe.com', 'Stripe Bank'), subject: 'x' };
    expect(fileFolderFor(rules, msg)).toEqual({ folder: 'Statements', ruleId: 'bank' });
    expect(fileFolderFor([...rules].reverse(), msg)).toEqual({ folder: 'Receipts', ruleId: 'stripe' });
  });

  it('needs every criterion of a rule to match', () => {
    const both = [
      entry('r', {
        kind: 'file_messages',
        fromAddress: null,
        fromDomain: 'stripe.com',
        keyword: 'payout',
        folder: 'P',
      }),
    ];
    expect(fileFolderFor(both, { from: from('a@stripe.com'), subject: 'Your payout' })?.ruleId).toBe('r');
    expect(fileFolderFor(both, { from: from('a@stripe.com'), subject: 'Your receipt' })).toBeNull();
    expect(fileFolderFor(both, { from: from('a@bank.example'), subject: 'Your payout' })).toBeNull();
  });
});

describe('ignored senders', () => {
  const rules = [entry('i', { kind: 'ignore_sender', fromAddress: null, fromDomain: 'newsletters.example' })];
  it('covers the domain and its subdomains, nothing else', () => {
    expect(senderIgnoredBy(rules, from('news@newsletters.example'))).toEqual({ ruleId: 'i' });
    expect(senderIgnoredBy(rules, from('news@eu.newsletters.example'))).toEqual({ ruleId: 'i' });
    expect(senderIgnoredBy(rules, from('dana@customer.example'))).toBeNull();
    expect(senderIgnoredBy(rules, null)).toBeNull();
  });
});

describe('meetings and the owner’s rules, in the owner’s time zone', () => {
  const noFridays = entry('fri', { kind: 'no_meetings', days: ['fri'], before: null, after: null });
  const hours = entry('hours', { kind: 'no_meetings', days: [], before: '10:00', after: '17:00' });
  const at = (iso: string, minutes = 30) =>
    [new Date(iso), new Date(Date.parse(iso) + minutes * 60_000)] as const;

  it('a meeting at 00:30 Friday in Berlin is refused, though it is Thursday in UTC', () => {
    const [s, e] = at('2024-03-07T23:30:00Z');
    expect(meetingAllowed([noFridays], s, e, 'Europe/Berlin')).toEqual({ allowed: false, ruleId: 'fri' });
    expect(meetingAllowed([noFridays], s, e, 'UTC')).toEqual({ allowed: true, ruleId: null });
  });

  it('a meeting at 22:00 Thursday in New York is allowed, though it is Friday in UTC', () => {
    const [s, e] = at('2024-03-08T03:00:00Z');
    expect(meetingAllowed([noFridays], s, e, 'America/New_York')).toEqual({ allowed: true, ruleId: null });
  });

  it('a Thursday meeting running past midnight into Friday is refused; one ending at midnight is not', () => {
    const [s1, e1] = at('2024-03-07T22:30:00Z', 60); // 23:30–00:30 Berlin
    expect(meetingAllowed([noFridays], s1, e1, 'Europe/Berlin').allowed).toBe(false);
    const [s2, e2] = at('2024-03-07T22:00:00Z', 60); // 23:00–00:00 Berlin
    expect(meetingAllowed([noFridays], s2, e2, 'Europe/Berlin').allowed).toBe(true);
  });

  it('earliest start follows the daylight-saving change (Berlin, 31 March 2024)', () => {
    const [winter] = at('2024-03-30T08:30:00Z'); // 09:30 CET
    const [summer] = at('2024-03-31T08:30:00Z'); // 10:30 CEST
    const half = (d: Date) => new Date(d.getTime() + 30 * 60_000);
    expect(meetingAllowed([hours], winter, half(winter), 'Europe/Berlin')).toEqual({
      allowed: false,
      ruleId: 'hours',
    });
    expect(meetingAllowed([hours], summer, half(summer), 'Europe/Berlin').allowed).toBe(true);
  });

  it('latest end: ending at 17:00 is fine, ending at 17:30 is not', () => {
    const [s1, e1] = at('2024-03-05T15:00:00Z', 60); // 16:00–17:00 Berlin
    expect(meetingAllowed([hours], s1, e1, 'Europe/Berlin').allowed).toBe(true);
    const [s2, e2] = at('2024-03-05T15:30:00Z', 60); // 16:30–17:30 Berlin
    expect(meetingAllowed([hours], s2, e2, 'Europe/Berlin')).toEqual({ allowed: false, ruleId: 'hours' });
  });

  it('ignores rules of other kinds and refuses to guess an unknown zone', () => {
    const [s, e] = at('2024-03-08T12:00:00Z');
    const filing = entry('f', {
      kind: 'file_messages',
      fromAddress: null,
      fromDomain: 'a.example',
      keyword: null,
      folder: 'A',
    });
    expect(meetingAllowed([filing], s, e, 'Europe/Berlin')).toEqual({ allowed: true, ruleId: null });
    expect(() => meetingAllowed([noFridays], s, e, 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('approval policy and the owner’s rules', () => {
  const inv = (o: Partial<InvoiceFacts>): InvoiceFacts => ({
    vendorName: 'Amazon Web Services EMEA SARL',
    vendorDomain: 'aws.amazon.com',
    total: 120,
    currency: 'USD',
    ...o,
  });
  const aws = entry('aws', {
    kind: 'auto_approve_invoices',
    vendor: 'AWS',
    vendorDomain: null,
    maxAmount: 500,
    currency: 'USD',
  });

  it.each<[string, Partial<InvoiceFacts>, boolean]>([
    ['AWS by acronym under the limit', {}, true],
    ['exactly the limit (inclusive)', { total: 500 }, true],
    ['a cent over the limit', { total: 500.01 }, false],
    ['another currency', { currency: 'EUR' }, false],
    ['an unknown total', { total: null }, false],
    ['an unknown currency', { currency: null }, false],
    ['another vendor', { vendorName: 'Hetzner Online GmbH', vendorDomain: 'hetzner.com' }, false],
    ['an unknown vendor', { vendorName: null, vendorDomain: null }, false],
  ])('relaxed for %s: %s', (_name, o, relaxed) => {
    expect(approvalRelaxedFor([aws], inv(o)) !== null).toBe(relaxed);
  });

  it('a rule naming vendor and domain does not relax for the same name from another domain', () => {
    const r = entry('h', {
      kind: 'auto_approve_invoices',
      vendor: 'Hetzner',
      vendorDomain: 'hetzner.com',
      maxAmount: 200,
      currency: 'EUR',
    });
    const h = { vendorName: 'Hetzner Online GmbH', total: 100, currency: 'EUR' };
    expect(approvalRelaxedFor([r], inv({ ...h, vendorDomain: 'hetzner.com' }))).toEqual({ ruleId: 'h' });
    expect(approvalRelaxedFor([r], inv({ ...h, vendorDomain: 'your.hetzner.com' }))).toEqual({ ruleId: 'h' });
    expect(approvalRelaxedFor([r], inv({ ...h, vendorDomain: 'hetzner-billing.example' }))).toBeNull();
    expect(approvalRelaxedFor([r], inv({ ...h, vendorDomain: null }))).toEqual({ ruleId: 'h' });
  });

  const contoso = entry('contoso', {
    kind: 'require_approval',
    vendor: 'Contoso',
    vendorDomain: null,
    minAmount: null,
    currency: null,
  });
  const big = entry('big', {
    kind: 'require_approval',
    vendor: null,
    vendorDomain: null,
    minAmount: 1000,
    currency: 'EUR',
  });

  it.each<[string, RuleEntry, Partial<InvoiceFacts>, boolean]>([
    ['Contoso by name', contoso, { vendorName: 'Contoso Ltd.', vendorDomain: null }, true],
    ['another vendor', contoso, { vendorName: 'Fabrikam Inc', vendorDomain: 'fabrikam.example' }, false],
    ['an unknown vendor (errs toward asking)', contoso, { vendorName: null, vendorDomain: null }, true],
    ['EUR 999.99', big, { total: 999.99, currency: 'EUR' }, false],
    ['EUR 1,000.00 (inclusive)', big, { total: 1000, currency: 'EUR' }, true],
    ['an amount in another currency (not comparable)', big, { total: 5, currency: 'USD' }, true],
    ['an unknown total', big, { total: null, currency: 'EUR' }, true],
  ])('tightened for %s', (_name, rule, o, tightened) => {
    expect(approvalTightenedFor([rule], inv(o)) !== null).toBe(tightened);
  });

  it('asking wins over approving when both apply', () => {
    const all = [
      aws,
      entry('aws-ask', {
        kind: 'require_approval',
        vendor: 'AWS',
        vendorDomain: null,
        minAmount: 100,
        currency: 'USD',
      }),
    ];
    expect(approvalOverride(all, inv({ total: 120 }))).toEqual({ effect: 'ask', ruleId: 'aws-ask' });
    expect(approvalOverride(all, inv({ total: 50 }))).toEqual({ effect: 'auto', ruleId: 'aws' });
    expect(approvalOverride(all, inv({ total: 900 }))).toEqual({ effect: 'ask', ruleId: 'aws-ask' });
    expect(approvalOverride([], inv({}))).toBeNull();
  });
});
