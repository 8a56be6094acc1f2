import { z } from 'zod';
import { RULE_KINDS, type StandingRule, WEEKDAYS } from './instruction.model.ts';
import { checked } from './instruction.parse.result.ts';
import { normalizeAddress, normalizeDomain } from './instruction.sender.ts';
import { parseClock } from './instruction.when.ts';

/**
 * What the model answers when the rules could not read an instruction. One flat object, because
 * OpenAI strict structured output accepts neither optional properties nor a top-level union: every
 * field is present, and fields the kind does not use are null. No regex or range constraints here
 * (not every server enforces them); `ruleFromAnswer` validates against the stored schema instead.
 */
export const InstructionAnswer = z.object({
  /** False when the text states no standing rule, or one that fits none of the kinds. */
  understood: z.boolean(),
  kind: z.enum(RULE_KINDS).nullable(),
  vendor: z.string().nullable(),
  vendorDomain: z.string().nullable(),
  maxAmount: z.number().nullable(),
  minAmount: z.number().nullable(),
  currency: z.string().nullable(),
  fromAddress: z.string().nullable(),
  fromDomain: z.string().nullable(),
  keyword: z.string().nullable(),
  /** Where the keyword is looked for: the sender ("from the bank"), the subject, or either. */
  keywordIn: z.enum(['sender', 'subject', 'sender_or_subject']).nullable(),
  folder: z.string().nullable(),
  days: z.array(z.enum(WEEKDAYS)),
  before: z.string().nullable(),
  after: z.string().nullable(),
  /** The owner's words the rule was taken from, copied exactly. */
  quote: z.string(),
  /** Why not understood; null when understood. */
  reason: z.string().nullable(),
});
export type InstructionAnswer = z.infer<typeof InstructionAnswer>;

/** The name the schema travels under (letters, digits, `_`, `-`). */
export const INSTRUCTION_SCHEMA_NAME = 'StandingInstruction';

const text = (v: string | null): string | null => (v === null || v.trim() === '' ? null : v.trim());
const domain = (v: string | null): string | null => (text(v) === null ? null : (normalizeDomain(v!) ?? v));
const address = (v: string | null): string | null => (text(v) === null ? null : (normalizeAddress(v!) ?? v));
const currency = (v: string | null): string | null => text(v)?.toUpperCase() ?? null;
const clock = (v: string | null): string | null => (text(v) === null ? null : (parseClock(v!) ?? v));

/**
 * The model's answer as a StandingRule, in normal form, or why it is not one. Fields the kind
 * does not use are dropped. Does not check evidence: see `instruction.evidence.ts`.
 */
export function ruleFromAnswer(a: InstructionAnswer): { rule: StandingRule } | { reason: string } {
  if (!a.understood || a.kind === null) {
    // The model's own sentence goes to the owner only; bounded so a rambling answer stays a sentence.
    return { reason: text(a.reason)?.slice(0, 300) ?? 'the model did not find a standing rule in the text' };
  }
  switch (a.kind) {
    case 'auto_approve_invoices':
      return checked({
        kind: a.kind,
        vendor: text(a.vendor),
        vendorDomain: domain(a.vendorDomain),
        maxAmount: a.maxAmount,
        currency: currency(a.currency),
      });
    case 'require_approval':
      return checked({
        kind: a.kind,
        vendor: text(a.vendor),
        vendorDomain: domain(a.vendorDomain),
        minAmount: a.minAmount,
        currency: currency(a.currency),
      });
    case 'file_messages':
      return checked({
        kind: a.kind,
        fromAddress: address(a.fromAddress),
        fromDomain: domain(a.fromDomain),
        keyword: text(a.keyword),
        keywordIn: text(a.keyword) ? (a.keywordIn ?? 'sender_or_subject') : null,
        folder: text(a.folder) ?? '',
      });
    case 'no_meetings':
      return checked({
        kind: a.kind,
        days: WEEKDAYS.filter((d) => a.days.includes(d)),
        before: clock(a.before),
        after: clock(a.after),
      });
    case 'ignore_sender':
      return checked({ kind: a.kind, fromAddress: address(a.fromAddress), fromDomain: domain(a.fromDomain) });
  }
}
