import { z } from 'zod';

/**
 * A standing instruction the owner gave by mail ("from now on …"), as a structured rule. Rules
 * only ever come from the owner's authenticated mail (DESIGN.md safety model); this module only
 * describes their shape. Every field is nullable rather than optional so the same shapes work with
 * OpenAI strict structured output, which requires every property.
 *
 * Normal forms (the parser and `ruleFromAnswer` produce them, matchers rely on them): domains and
 * addresses lower-case without a leading `@`, currencies ISO 4217 upper-case, times `HH:MM` 24 h.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const RULE_KINDS = [
  'auto_approve_invoices',
  'require_approval',
  'file_messages',
  'no_meetings',
  'ignore_sender',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const Domain = z.string().regex(/^(?:[a-z0-9-]+\.)+[a-z0-9-]{2,}$/, 'a lower-case domain without @');
const EmailAddress = z.string().regex(/^[^\s@]+@(?:[a-z0-9-]+\.)+[a-z0-9-]{2,}$/, 'a lower-case address');
const Currency = z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code');
const Amount = z.number().finite().nonnegative();
const Time = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');
const Name = z.string().trim().min(1).max(100);

/**
 * Relaxes the approval policy for matching invoices. It never relaxes the hard limits: changed bank
 * details, possible duplicates and a first invoice from a new vendor always ask. At least one of
 * vendor, vendorDomain or maxAmount must be set — "approve every invoice" is not a rule we record.
 * `maxAmount` is inclusive ("up to"); a null `currency` with an amount means "in any currency".
 */
export const AutoApproveInvoicesRule = z
  .object({
    kind: z.literal('auto_approve_invoices'),
    vendor: Name.nullable(),
    vendorDomain: Domain.nullable(),
    maxAmount: Amount.nullable(),
    currency: Currency.nullable(),
  })
  .refine((r) => r.vendor !== null || r.vendorDomain !== null || r.maxAmount !== null, {
    message: 'an auto-approval needs a vendor, a domain or an upper limit',
  });

/** Tightens the approval policy: matching invoices always ask. `minAmount` is inclusive. */
export const RequireApprovalRule = z
  .object({
    kind: z.literal('require_approval'),
    vendor: Name.nullable(),
    vendorDomain: Domain.nullable(),
    minAmount: Amount.nullable(),
    currency: Currency.nullable(),
  })
  .refine(
    (r) => r.vendor !== null || r.vendorDomain !== null || r.minAmount !== null || r.currency !== null,
    { message: 'a stricter approval needs a vendor, a domain or an amount' },
  );

/**
 * Files matching mail into an IMAP folder. Every criterion that is set must match; `keyword` is a
 * whole word or phrase looked for where `keywordIn` says: the sender's name and address ("anything
 * from the bank"), the subject ("with 'receipt' in the subject"), or either.
 */
export const FileMessagesRule = z
  .object({
    kind: z.literal('file_messages'),
    fromAddress: EmailAddress.nullable(),
    fromDomain: Domain.nullable(),
    keyword: Name.nullable(),
    keywordIn: z.enum(['sender', 'subject', 'sender_or_subject']).nullable().default(null),
    folder: Name,
  })
  .refine((r) => r.fromAddress !== null || r.fromDomain !== null || r.keyword !== null, {
    message: 'a filing rule needs a sender, a domain or a keyword',
  });

/**
 * Times the owner does not take meetings, in the owner's time zone. `days` are blocked whole;
 * `before`/`after` apply on every day (a meeting may not start before `before` nor end after `after`).
 */
export const NoMeetingsRule = z
  .object({
    kind: z.literal('no_meetings'),
    days: z.array(z.enum(WEEKDAYS)),
    before: Time.nullable(),
    after: Time.nullable(),
  })
  .refine((r) => r.days.length > 0 || r.before !== null || r.after !== null, {
    message: 'a meeting rule needs days or times',
  });

/** Mail from this sender is never answered with a draft and is treated as FYI. */
export const IgnoreSenderRule = z
  .object({
    kind: z.literal('ignore_sender'),
    fromAddress: EmailAddress.nullable(),
    fromDomain: Domain.nullable(),
  })
  .refine((r) => r.fromAddress !== null || r.fromDomain !== null, {
    message: 'an ignore rule needs an address or a domain',
  });

/** The stored form of a standing instruction; parse stored JSON with it before use. */
export const StandingRule = z.discriminatedUnion('kind', [
  AutoApproveInvoicesRule,
  RequireApprovalRule,
  FileMessagesRule,
  NoMeetingsRule,
  IgnoreSenderRule,
]);
export type StandingRule = z.infer<typeof StandingRule>;
export type RuleOf<K extends RuleKind> = Extract<StandingRule, { kind: K }>;

/** A stored rule as the matchers see it: the caller passes only active (not undone) rules. */
export interface RuleEntry {
  id: string;
  rule: StandingRule;
}
