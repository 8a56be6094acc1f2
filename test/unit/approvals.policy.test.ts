import { describe, expect, it } from 'vitest';
import type { ApprovalRound, ShownPayment, ShownReply } from '../../src/approvals/approval.model.ts';
import {
  decidePolicy,
  type PaymentFacts,
  type PolicyDecision,
  type PolicySettings,
} from '../../src/approvals/approval.policy.ts';
import { formatIban, headlineOf, renderApproval } from '../../src/approvals/approval.render.ts';
import { DRAFT_END, DRAFT_START } from '../../src/approvals/reply/reply.markers.ts';
import type { RuleEntry } from '../../src/skills/instructions/instruction.model.ts';
import type { CheckResult, CheckSeverity } from '../../src/skills/invoices/checks.model.ts';

// The approval policy (PRODUCT.md principle 2, DESIGN.md safety model) and the approval email's
// rendering, pure: what runs on its own, what needs one "yes", what always needs a decision.

const ok = (check: string, message = `${check} passed`): CheckResult => ({
  check,
  ok: true,
  severity: 'info',
  message,
});
const failed = (check: string, severity: CheckSeverity, message = `${check} failed`): CheckResult => ({
  check,
  ok: false,
  severity,
  message,
});

/** Every check ACME's ordinary invoice passes. */
const PASSING: CheckResult[] = [
  ok('arithmetic.total'),
  ok('dates.order'),
  ok('iban.checksum'),
  ok('duplicate.number'),
  ok('duplicate.file'),
  ok('duplicate.amount'),
  ok('bank.changed'),
  ok('vendor.new'),
];

/** PASSING with `check` replaced by a failure. */
const failing = (check: string, severity: CheckSeverity): CheckResult[] =>
  PASSING.filter((c) => c.check !== check).concat(failed(check, severity, `${check}: look at this`));

const payment = (o: Partial<PaymentFacts> = {}): { kind: 'payment'; payment: PaymentFacts } => ({
  kind: 'payment',
  payment: {
    vendorName: 'ACME GmbH',
    vendorDomain: 'acme.example',
    total: 1190,
    currency: 'EUR',
    checks: PASSING,
    ...o,
  },
});

const autoAcme: RuleEntry = {
  id: '7',
  rule: {
    kind: 'auto_approve_invoices',
    vendor: 'ACME GmbH',
    vendorDomain: null,
    maxAmount: 10_000,
    currency: 'EUR',
  },
};
const askAcme: RuleEntry = {
  id: '9',
  rule: { kind: 'require_approval', vendor: 'ACME', vendorDomain: null, minAmount: null, currency: null },
};
const settings = (rules: RuleEntry[] = []): PolicySettings => ({ amountThreshold: 5000, rules });
const flagIds = (d: PolicyDecision) => d.flags.map((f) => f.id);

describe('decidePolicy: reply drafts', () => {
  it('mail to a third party needs one "yes", whatever the rules say', () => {
    const d = decidePolicy(
      { kind: 'reply_draft', recipients: ['dana@lumen.example', 'eve@lumen.example'] },
      settings([autoAcme]),
    );
    expect(d).toEqual({
      level: 'one_yes',
      flags: [],
      reasons: ['Mail to a third party (dana@lumen.example, eve@lumen.example) needs your "yes".'],
      ruleId: null,
    });
  });

  it('a draft nobody is known for yet still needs one "yes"', () => {
    const d = decidePolicy({ kind: 'reply_draft', recipients: [] }, settings());
    expect(d.level).toBe('one_yes');
    expect(d.reasons[0]).toContain('nobody yet');
  });
});

describe('decidePolicy: meetings', () => {
  it('a meeting proposal needs one "yes" unless the owner delegated scheduling in the thread', () => {
    const asked = decidePolicy(
      { kind: 'meeting', recipients: ['dana@lumen.example'], delegatedInThread: false },
      settings([autoAcme]),
    );
    expect(asked.level).toBe('one_yes');
    const delegated = decidePolicy(
      { kind: 'meeting', recipients: ['dana@lumen.example'], delegatedInThread: true },
      settings(),
    );
    expect(delegated).toMatchObject({ level: 'auto', flags: [] });
    expect(delegated.reasons[0]).toContain('dana@lumen.example');
  });
});

describe('decidePolicy: payments', () => {
  it('an ordinary invoice without rules needs one "yes"', () => {
    const d = decidePolicy(payment(), settings());
    expect(d).toEqual({
      level: 'one_yes',
      flags: [],
      reasons: ['Approving an invoice for payment needs your "yes".'],
      ruleId: null,
    });
  });

  it.each([
    ['bank.changed', 'high', 'bank details changed'],
    ['duplicate.number', 'warn', 'possible duplicate'],
    ['duplicate.file', 'warn', 'possible duplicate'],
    ['duplicate.amount', 'warn', 'possible duplicate'],
    ['vendor.new', 'warn', 'first invoice from a new vendor'],
  ] as const)(
    'a failed %s check (%s) needs a decision, and an auto-approval rule cannot relax it',
    (check, severity, label) => {
      for (const rules of [[], [autoAcme]]) {
        const d = decidePolicy(payment({ checks: failing(check, severity) }), settings(rules));
        expect(d.level).toBe('decision');
        expect(d.flags).toEqual([{ id: check, label, message: `${check}: look at this` }]);
        expect(d.ruleId).toBeNull();
        expect(d.reasons.join(' ')).toMatch(/no standing rule can approve it/);
      }
    },
  );

  it('even an info-severity failure of a hard check needs a decision', () => {
    const d = decidePolicy(payment({ checks: failing('bank.changed', 'info') }), settings([autoAcme]));
    expect(d.level).toBe('decision');
    expect(flagIds(d)).toEqual(['bank.changed']);
  });

  it('any failed check of high severity needs a decision, with a generic label', () => {
    const checks = [...PASSING, failed('arithmetic.lines', 'high', 'Lines do not add up.')];
    const d = decidePolicy(payment({ checks }), settings([autoAcme]));
    expect(d.level).toBe('decision');
    expect(d.flags).toEqual([
      { id: 'arithmetic.lines', label: 'a check failed', message: 'Lines do not add up.' },
    ]);
  });

  it('an amount above the threshold needs a decision, even when a rule would approve up to more', () => {
    const d = decidePolicy(payment({ total: 5000.01 }), settings([autoAcme]));
    expect(d.level).toBe('decision');
    expect(d.flags).toEqual([
      {
        id: 'amount.threshold',
        label: 'large amount',
        message: 'The amount is above EUR 5,000.00, the limit for approval without a closer look.',
      },
    ]);
    expect(d.ruleId).toBeNull();
  });

  it('the threshold is exclusive, and a large credit note counts by its size', () => {
    expect(decidePolicy(payment({ total: 5000 }), settings()).level).toBe('one_yes');
    expect(flagIds(decidePolicy(payment({ total: -6000 }), settings()))).toEqual(['amount.threshold']);
  });

  it('every flag is listed, in check order, then the threshold', () => {
    const checks = [
      ...PASSING.filter((c) => c.check !== 'bank.changed' && c.check !== 'duplicate.number'),
      failed('bank.changed', 'high'),
      failed('duplicate.number', 'warn'),
    ];
    const d = decidePolicy(payment({ checks, total: 9000 }), settings([autoAcme]));
    expect(flagIds(d)).toEqual(['bank.changed', 'duplicate.number', 'amount.threshold']);
  });

  it('an auto-approval rule with every check passing lets it run on its own', () => {
    const d = decidePolicy(payment(), settings([autoAcme]));
    expect(d).toEqual({
      level: 'auto',
      flags: [],
      reasons: ['Approved on its own by your standing rule #7; every check passed.'],
      ruleId: '7',
    });
  });

  it('an auto-approval rule that does not cover the invoice changes nothing', () => {
    const other: RuleEntry = {
      ...autoAcme,
      rule: { ...autoAcme.rule, vendor: 'Globex' } as RuleEntry['rule'],
    };
    expect(decidePolicy(payment(), settings([other])).level).toBe('one_yes');
    const usd = decidePolicy(payment({ currency: 'USD' }), settings([autoAcme]));
    expect(usd.level).toBe('one_yes');
  });

  it('an auto-approval rule yields to a failed warn check: one "yes", and the reason says why', () => {
    const checks = [...PASSING, failed('amount.outlier', 'warn', 'Unusually high for ACME GmbH.')];
    const d = decidePolicy(payment({ checks }), settings([autoAcme]));
    expect(d.level).toBe('one_yes');
    expect(d.flags).toEqual([]);
    expect(d.ruleId).toBeNull();
    expect(d.reasons).toEqual([
      'Approving an invoice for payment needs your "yes".',
      'Your standing rule #7 would approve it, but 1 check(s) did not pass or could not be made.',
    ]);
  });

  it('an auto-approval rule never approves an unknown total or currency on its own', () => {
    const byName: RuleEntry = {
      id: '8',
      rule: {
        kind: 'auto_approve_invoices',
        vendor: 'ACME GmbH',
        vendorDomain: null,
        maxAmount: null,
        currency: null,
      },
    };
    expect(decidePolicy(payment({ total: null }), settings([byName])).level).toBe('one_yes');
    expect(decidePolicy(payment({ currency: null }), settings([byName])).level).toBe('one_yes');
  });

  it('a require_approval rule makes it a decision, and wins over an auto-approval rule', () => {
    const d = decidePolicy(payment(), settings([autoAcme, askAcme]));
    expect(d.level).toBe('decision');
    expect(d.flags).toEqual([
      {
        id: 'rule.require_approval',
        label: 'your rule asks for it',
        message: 'Your standing rule #9 says to always ask you about this.',
      },
    ]);
    expect(d.ruleId).toBe('9');
  });

  it('a require_approval rule for amounts applies only from its minimum', () => {
    const large: RuleEntry = {
      id: '10',
      rule: { kind: 'require_approval', vendor: null, vendorDomain: null, minAmount: 1000, currency: 'EUR' },
    };
    expect(decidePolicy(payment({ total: 999.99 }), settings([large])).level).toBe('one_yes');
    expect(decidePolicy(payment({ total: 1000 }), settings([large])).level).toBe('decision');
  });
});

// ── the approval email ─────────────────────────────────────────────────────────────────────────

const IBAN = 'DE89370400440532013000';

function shownPayment(o: Partial<ShownPayment> = {}): ShownPayment {
  return {
    type: 'payment',
    invoiceId: '1',
    documentId: '1',
    vendorId: '1',
    vendor: 'ACME GmbH',
    invoiceNumber: '2024-0042',
    issueDate: '2024-03-01',
    dueDate: '2024-03-31',
    currency: 'EUR',
    amount: 1190,
    subtotal: 1000,
    tax: 190,
    iban: IBAN,
    bic: 'COBADEFFXXX',
    poNumber: null,
    checks: [
      ok('arithmetic.total', 'Subtotal EUR 1,000.00 + tax EUR 190.00 = total EUR 1,190.00.'),
      {
        check: 'amount.outlier',
        ok: null,
        severity: 'info',
        message: 'Too few earlier invoices to compare.',
      },
      failed('dates.overdue', 'info', 'Already due.'),
      failed('bank.changed', 'high', 'The IBAN differs from the one ACME GmbH used before.'),
    ],
    exceptions: [],
    evidence: {
      total: { text: 'Total   EUR\n1.190,00', page: 1, confidence: 0.9 },
      iban: { text: 'IBAN DE89 3704 0044 0532 0130 00', page: 2 },
      vendor: { text: '   ' },
    },
    ...o,
  };
}

function shownReply(o: Partial<ShownReply> = {}): ShownReply {
  return {
    type: 'reply',
    to: [{ name: 'Dana Lee', address: 'dana@lumen.example' }],
    cc: [],
    subject: 'Re: Offer',
    body: 'Hi Dana,\n\nWe accept.\n\nBest,\nMaya',
    inReplyTo: 'offer-1@lumen.example',
    references: ['offer-1@lumen.example'],
    method: 'template',
    allowedUrls: [],
    placeholders: [],
    unresolvedRecipient: null,
    warnings: [],
    ...o,
  };
}

function round(shown: ShownPayment | ShownReply, policy: PolicyDecision, o: Partial<ApprovalRound> = {}) {
  return {
    id: '1',
    proposalId: '1',
    round: 1,
    token: 'k0vibyvcz14xqzuq6utqaw',
    level: policy.level === 'decision' ? 'decision' : 'one_yes',
    policy,
    shown,
    changes: [],
    expiresAt: new Date('2026-03-23T09:00:00Z'),
    ...o,
  } satisfies ApprovalRound;
}

const ctx = { timeZone: 'Europe/Berlin', source: 'invoice-2024-0042.pdf' };

describe('renderApproval', () => {
  const flagged = decidePolicy(payment({ checks: failing('bank.changed', 'high') }), settings());

  it('a flagged payment: subject names the flag; the text shows the full IBAN in groups of 4, check marks and evidence', () => {
    const r = renderApproval(round(shownPayment(), flagged), ctx);
    expect(r.subject).toBe(
      '[deskhand] Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31 — decision needed: bank details changed',
    );
    expect(r.headline).toBe('Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31');
    expect(r.text.split('\n')[0]).toBe(r.headline);
    expect(r.text).toContain('Account:  DE89 3704 0044 0532 0130 00 (BIC COBADEFFXXX)');
    expect(r.text).toContain('Payee:    ACME GmbH');
    expect(r.text).toContain('Amount:   EUR 1,190.00');
    expect(r.text).toContain('Document: invoice-2024-0042.pdf');
    expect(r.text).toContain('NEEDS YOUR DECISION:\n  ! bank.changed: look at this');
    expect(r.text).toContain('  [ok] Subtotal EUR 1,000.00 + tax EUR 190.00 = total EUR 1,190.00.');
    expect(r.text).toContain('  [--] Too few earlier invoices to compare.');
    expect(r.text).toContain('  [! ] Already due.');
    expect(r.text).toContain('  [!!] The IBAN differs from the one ACME GmbH used before.');
    expect(r.text).toContain('Where I read it:\n');
    expect(r.text).toContain('  total: "Total EUR 1.190,00" (page 1)');
    expect(r.text).toContain('  iban: "IBAN DE89 3704 0044 0532 0130 00" (page 2)');
    expect(r.text).not.toMatch(/^ {2}vendor:/m);
    expect(r.text).toContain('Approval reference: dh-a-k0vibyvcz14xqzuq6utqaw (round 1)');
    expect(r.text).toContain('This request expires on Mon, 23 Mar 2026, 10:00 (Europe/Berlin).');
    expect(r.html).toContain('DE89 3704 0044 0532 0130 00');
    expect(r.html).toContain('[!!] The IBAN differs');
  });

  it('formatIban groups by 4 and says when there is none', () => {
    expect(formatIban(IBAN)).toBe('DE89 3704 0044 0532 0130 00');
    expect(formatIban('NL91ABNA0417164300')).toBe('NL91 ABNA 0417 1643 00');
    expect(formatIban(null)).toBe('(none on the invoice)');
  });

  it('an unflagged payment has no "decision needed" in its subject, and a later round says "(changed)" with the changes', () => {
    const plain = decidePolicy(payment(), settings());
    const r = renderApproval(
      round(shownPayment({ amount: 1200 }), plain, {
        round: 2,
        changes: ['Total: EUR 1,190.00 → EUR 1,200.00'],
      }),
      ctx,
    );
    expect(r.subject).toBe(
      '[deskhand] Approve ACME GmbH invoice 2024-0042: EUR 1,200.00 due 2024-03-31 (changed)',
    );
    expect(r.text).toContain('Changed since your last answer:\n  * Total: EUR 1,190.00 → EUR 1,200.00');
    expect(r.text).toContain('(round 2)');
  });

  it('a payment without a total asks for it', () => {
    const r = renderApproval(round(shownPayment({ amount: null }), decidePolicy(payment(), settings())), ctx);
    expect(r.headline).toBe('Approve ACME GmbH invoice 2024-0042: amount unreadable due 2024-03-31');
    expect(r.text).toContain('Before I can do this, I need:\n  - the total: reply with "total: 1234.56"');
  });

  it('a reply: the draft between the markers, the YES/NO instructions, the reference', () => {
    const shown = shownReply({
      cc: [{ name: '', address: 'eve@lumen.example' }],
      placeholders: ['[[deskhand: the date]]'],
      body: 'Hi Dana,\n\nWe start on [[deskhand: the date]].\n\nMaya',
    });
    const r = renderApproval(
      round(shown, decidePolicy({ kind: 'reply_draft', recipients: [] }, settings())),
      ctx,
    );
    expect(r.subject).toBe('[deskhand] Send this reply to Dana Lee');
    expect(headlineOf({ shown })).toBe('Send this reply to Dana Lee');
    const start = r.text.indexOf(DRAFT_START);
    const end = r.text.indexOf(DRAFT_END);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    expect(r.text.slice(start + DRAFT_START.length, end)).toBe(
      '\nTo: Dana Lee <dana@lumen.example>\nCc: eve@lumen.example\n\nHi Dana,\n\nWe start on [[deskhand: the date]].\n\nMaya\n',
    );
    expect(r.text).toContain('YES  to send this reply to Dana Lee exactly as shown');
    expect(r.text).toContain('NO   to drop it');
    expect(r.text).toContain('your words for [[deskhand: the date]] in the draft');
    expect(r.text).toContain('Approval reference: dh-a-k0vibyvcz14xqzuq6utqaw');
    // The HTML shows the same block, escaped.
    expect(r.html).toContain('To: Dana Lee &lt;dana@lumen.example&gt;');
  });

  it('a reply with no recipient says who is missing', () => {
    const shown = shownReply({ to: [], unresolvedRecipient: 'Jonas' });
    const r = renderApproval(
      round(shown, decidePolicy({ kind: 'reply_draft', recipients: [] }, settings())),
      ctx,
    );
    expect(r.subject).toBe('[deskhand] Send this reply to nobody yet (say who in the To: line)');
    expect(r.text).toContain('who "Jonas" is: write the address in the To: line');
  });

  it('the HTML carries no links, images or remote content, and escapes every value', () => {
    const hostile =
      '<img src="http://evil.example/t.png"><a href="http://evil.example/x">pay</a><script>x()</script>';
    const shown = shownPayment({
      vendor: hostile,
      invoiceNumber: hostile,
      evidence: { total: { text: hostile, page: 1 } },
      checks: [failed('bank.changed', 'high', hostile)],
    });
    const r = renderApproval(round(shown, flagged), { timeZone: 'UTC', source: hostile });
    for (const bad of ['<a ', '<img', 'src=', 'href=', '<script', 'http://evil', '<link', 'url(']) {
      expect(r.html).not.toContain(bad);
    }
    expect(r.html).toContain('&lt;script&gt;');
    const reply = renderApproval(
      round(
        shownReply({ to: [{ name: hostile, address: 'dana@lumen.example' }], body: hostile }),
        decidePolicy({ kind: 'reply_draft', recipients: [] }, settings()),
      ),
      ctx,
    );
    for (const bad of ['<a ', '<img', 'src=', '<script']) expect(reply.html).not.toContain(bad);
    // The plain text is not HTML: shown as written.
    expect(reply.text).toContain(hostile);
  });
});
