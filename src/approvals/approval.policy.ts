import { approvalOverride } from '../skills/instructions/instruction.match.ts';
import type { RuleEntry } from '../skills/instructions/instruction.model.ts';
import type { CheckResult } from '../skills/invoices/checks.model.ts';
import { formatMoney } from '../skills/invoices/money.ts';

/**
 * Policy by risk (PRODUCT.md principle 2): what runs on its own, what needs one "yes", and what
 * always needs the owner's decision. Pure; the decision and its reasons are journaled.
 *
 * - Triage, filing, extraction and mail to the owner never reach this: they run on their own.
 * - Mail to a third party (a reply draft, later meeting proposals) needs one "yes".
 * - Approving an invoice for payment needs one "yes"; a standing rule ("approve AWS invoices
 *   under $500") may make it run on its own, a rule ("always ask me about X") may flag it.
 * - Hard limits no rule relaxes: changed bank details, a possible duplicate, an amount above the
 *   threshold, a vendor's first invoice, and any failed check of high severity are flagged and
 *   always need a decision. An auto-approval rule also yields to any failed check at all.
 */

export type PolicyLevel = 'auto' | 'one_yes' | 'decision';

export interface PolicyFlag {
  /** The check or limit that raised it: "bank.changed", "amount.threshold", "rule.require_approval"… */
  id: string;
  /** A few words for the subject line: "bank details changed". */
  label: string;
  message: string;
}

const LABELS: Record<string, string> = {
  'bank.changed': 'bank details changed',
  'duplicate.number': 'possible duplicate',
  'duplicate.file': 'possible duplicate',
  'duplicate.amount': 'possible duplicate',
  'vendor.new': 'first invoice from a new vendor',
  'amount.threshold': 'large amount',
  'rule.require_approval': 'your rule asks for it',
};
const flag = (id: string, message: string): PolicyFlag => ({
  id,
  label: LABELS[id] ?? 'a check failed',
  message,
});

export interface PolicyDecision {
  level: PolicyLevel;
  /** Why the owner must decide (empty unless level is 'decision'). */
  flags: PolicyFlag[];
  /** One sentence per reason, in order. */
  reasons: string[];
  /** The standing rule that relaxed or tightened the default, if any. */
  ruleId: string | null;
}

export interface PaymentFacts {
  vendorName: string | null;
  vendorDomain: string | null;
  total: number | null;
  currency: string | null;
  checks: CheckResult[];
}

export type PolicyInput =
  | { kind: 'reply_draft'; recipients: string[] }
  | { kind: 'payment'; payment: PaymentFacts }
  /**
   * Meeting proposals and invites (scheduling): mail to third parties, so one "yes" — unless the
   * owner delegated scheduling in this very thread ("Maya's assistant will find us a time"), or a
   * standing rule allows the meeting; a rule that forbids it (no meetings on Fridays) is applied
   * when slots are chosen, not here.
   */
  | { kind: 'meeting'; recipients: string[]; delegatedInThread: boolean };

export interface PolicySettings {
  /** APPROVAL_AMOUNT_THRESHOLD: above this a payment always needs a decision. */
  amountThreshold: number;
  /** Active standing rules (newest first). */
  rules: RuleEntry[];
}

/** Checks whose failure always needs the owner's decision, whatever the rules say. */
const HARD_CHECKS = new Set([
  'bank.changed',
  'duplicate.number',
  'duplicate.file',
  'duplicate.amount',
  'vendor.new',
]);

export function decidePolicy(input: PolicyInput, settings: PolicySettings): PolicyDecision {
  if (input.kind === 'reply_draft') {
    const who = input.recipients.join(', ') || 'nobody yet';
    return {
      level: 'one_yes',
      flags: [],
      reasons: [`Mail to a third party (${who}) needs your "yes".`],
      ruleId: null,
    };
  }
  if (input.kind === 'meeting') {
    const who = input.recipients.join(', ') || 'nobody yet';
    return input.delegatedInThread
      ? {
          level: 'auto',
          flags: [],
          reasons: [`You asked me to find a time in this thread, so I write to ${who} on my own.`],
          ruleId: null,
        }
      : {
          level: 'one_yes',
          flags: [],
          reasons: [`Meeting mail to a third party (${who}) needs your "yes".`],
          ruleId: null,
        };
  }
  return paymentPolicy(input.payment, settings);
}

function paymentPolicy(p: PaymentFacts, s: PolicySettings): PolicyDecision {
  const flags: PolicyFlag[] = [];
  for (const c of p.checks) {
    if (c.ok !== false) continue;
    if (HARD_CHECKS.has(c.check) || c.severity === 'high') flags.push(flag(c.check, c.message));
  }
  if (p.total !== null && Math.abs(p.total) > s.amountThreshold) {
    const limit = p.currency ? formatMoney(s.amountThreshold, p.currency) : String(s.amountThreshold);
    flags.push(
      flag('amount.threshold', `The amount is above ${limit}, the limit for approval without a closer look.`),
    );
  }
  const override = approvalOverride(s.rules, {
    vendorName: p.vendorName,
    vendorDomain: p.vendorDomain,
    total: p.total,
    currency: p.currency,
  });
  if (override?.effect === 'ask') {
    flags.push(
      flag(
        'rule.require_approval',
        `Your standing rule #${override.ruleId} says to always ask you about this.`,
      ),
    );
  }
  if (flags.length > 0) {
    return {
      level: 'decision',
      flags,
      reasons: ['Flagged: this needs your decision, and no standing rule can approve it on its own.'],
      ruleId: override?.effect === 'ask' ? override.ruleId : null,
    };
  }
  // "Every check passed": a hard check that could not be made (no invoice number to compare, no
  // IBAN) is not a pass either.
  const warnings = p.checks.filter((c) => c.ok === false || (c.ok === null && HARD_CHECKS.has(c.check)));
  if (override?.effect === 'auto' && warnings.length === 0 && p.total !== null && p.currency !== null) {
    return {
      level: 'auto',
      flags: [],
      reasons: [`Approved on its own by your standing rule #${override.ruleId}; every check passed.`],
      ruleId: override.ruleId,
    };
  }
  const reasons = ['Approving an invoice for payment needs your "yes".'];
  if (override?.effect === 'auto') {
    reasons.push(
      `Your standing rule #${override.ruleId} would approve it, but ${warnings.length} check(s) did not pass or could not be made.`,
    );
  }
  return { level: 'one_yes', flags: [], reasons, ruleId: null };
}
