import type { RuleOf, StandingRule, Weekday } from './instruction.model.ts';

/**
 * A rule as deskhand understood it, in one plain English sentence, for the confirmation mail, the
 * digest and the journal. The owner reads this to decide whether to reply "undo", so it states
 * limits exactly and says what still asks. Pure.
 */

/** The hard limits an auto-approval never relaxes (DESIGN.md safety model; approvals issue). */
export const HARD_LIMITS_NOTE =
  'bank-detail changes, possible duplicates and first invoices from a new vendor still ask';

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Mondays',
  tue: 'Tuesdays',
  wed: 'Wednesdays',
  thu: 'Thursdays',
  fri: 'Fridays',
  sat: 'Saturdays',
  sun: 'Sundays',
};

const amountFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "USD 500.00", or "500.00 in any currency" when the owner named none. */
export function formatMoney(value: number, currency: string | null): string {
  return currency
    ? `${currency} ${amountFormat.format(value)}`
    : `${amountFormat.format(value)} in any currency`;
}

/** "a, b or c" / "a, b and c". */
function list(items: string[], last: 'or' | 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`;
}

function vendorPhrase(vendor: string | null, domain: string | null): string {
  if (vendor && domain) return `from ${vendor} (${domain})`;
  if (vendor) return `from ${vendor}`;
  if (domain) return `from ${domain}`;
  return 'from any vendor';
}

function autoApprove(r: RuleOf<'auto_approve_invoices'>): string {
  const limit = r.maxAmount === null ? 'of any amount' : `up to ${formatMoney(r.maxAmount, r.currency)}`;
  return `Approve invoices ${vendorPhrase(r.vendor, r.vendorDomain)} ${limit} without asking me (${HARD_LIMITS_NOTE}).`;
}

function requireApproval(r: RuleOf<'require_approval'>): string {
  const parts = [`Always ask me before approving invoices ${vendorPhrase(r.vendor, r.vendorDomain)}`];
  if (r.minAmount !== null) parts.push(`of ${formatMoney(r.minAmount, r.currency)} or more`);
  else if (r.currency) parts.push(`in ${r.currency}`);
  return `${parts.join(' ')}.`;
}

function fileMessages(r: RuleOf<'file_messages'>): string {
  const who: string[] = [];
  if (r.fromAddress) who.push(`from ${r.fromAddress}`);
  if (r.fromDomain) who.push(`from ${r.fromDomain}`);
  const where = { sender: 'sender', subject: 'subject', sender_or_subject: 'sender or subject' }[
    r.keywordIn ?? 'sender_or_subject'
  ];
  const mention = r.keyword ? `whose ${where} mentions “${r.keyword}”` : '';
  const what = ['mail', ...who, mention].filter(Boolean).join(' ');
  return `File ${what} in the folder ${r.folder}.`;
}

function noMeetings(r: RuleOf<'no_meetings'>): string {
  const limits: string[] = [];
  if (r.days.length > 0)
    limits.push(
      `on ${list(
        r.days.map((d) => DAY_NAMES[d]),
        'or',
      )}`,
    );
  if (r.before) limits.push(`starting before ${r.before}`);
  if (r.after) limits.push(`ending after ${r.after}`);
  return `Never propose meetings ${list(limits, 'or')}.`;
}

function ignoreSender(r: RuleOf<'ignore_sender'>): string {
  const who = list(
    [r.fromAddress, r.fromDomain].filter((x): x is string => x !== null),
    'or',
  );
  return `Never draft replies to mail from ${who}, and treat it as FYI.`;
}

/** One sentence saying what the rule does. */
export function describeRule(rule: StandingRule): string {
  switch (rule.kind) {
    case 'auto_approve_invoices':
      return autoApprove(rule);
    case 'require_approval':
      return requireApproval(rule);
    case 'file_messages':
      return fileMessages(rule);
    case 'no_meetings':
      return noMeetings(rule);
    case 'ignore_sender':
      return ignoreSender(rule);
  }
}
