import type { Address } from '../../ingest/message.model.ts';
import { withoutDetail } from '../../triage/address.ts';
import type { RuleEntry, RuleKind, RuleOf } from './instruction.model.ts';
import { containsWord } from './instruction.text.ts';
import { domainMatches, vendorMatches } from './instruction.vendor.ts';
import { minutesOf } from './instruction.when.ts';
import { localTime, weekdayOfDayNumber } from './instruction.zone.ts';

/**
 * What the owner's standing rules say about one message, meeting or invoice: the pure matchers
 * triage, scheduling and the approval policy call. Callers pass only active rules, in the order
 * they should win (the first match is returned). Pure.
 */

/** The invoice facts an approval rule looks at; null where extraction did not find them. */
export interface InvoiceFacts {
  vendorName: string | null;
  vendorDomain: string | null;
  total: number | null;
  currency: string | null;
}

function of<K extends RuleKind>(rules: RuleEntry[], kind: K): Array<{ id: string; rule: RuleOf<K> }> {
  return rules.filter((r): r is { id: string; rule: RuleOf<K> } => r.rule.kind === kind);
}

function senderDomain(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}

/** True when `from` is the rule's address (ignoring a `+detail`, RFC 5233) or in its domain. */
function senderMatches(from: Address | null, address: string | null, domain: string | null): boolean {
  if (!from) return false;
  if (address !== null && withoutDetail(from.address) !== withoutDetail(address)) return false;
  if (domain !== null && !domainMatches(senderDomain(from.address.toLowerCase()), domain)) return false;
  return true;
}

/**
 * The folder the first matching filing rule names. Every criterion the rule sets must match; the
 * keyword is a whole word or phrase in the sender's name or address, the subject, or either
 * (`keywordIn`): "anything from the bank" never catches a colleague's "bank holiday" subject.
 */
export function fileFolderFor(
  rules: RuleEntry[],
  msg: { from: Address | null; subject: string },
): { folder: string; ruleId: string } | null {
  for (const { id, rule } of of(rules, 'file_messages')) {
    if (
      (rule.fromAddress !== null || rule.fromDomain !== null) &&
      !senderMatches(msg.from, rule.fromAddress, rule.fromDomain)
    ) {
      continue;
    }
    if (rule.keyword !== null) {
      const where = rule.keywordIn ?? 'sender_or_subject';
      const fields = [
        ...(where === 'subject' ? [] : [msg.from?.name ?? '', msg.from?.address ?? '']),
        ...(where === 'sender' ? [] : [msg.subject]),
      ];
      if (!fields.some((f) => containsWord(f, rule.keyword!))) continue;
    }
    return { folder: rule.folder, ruleId: id };
  }
  return null;
}

/** The first ignore rule that covers this sender (no drafts, treat as FYI), or null. */
export function senderIgnoredBy(rules: RuleEntry[], from: Address | null): { ruleId: string } | null {
  const hit = of(rules, 'ignore_sender').find(({ rule }) =>
    senderMatches(from, rule.fromAddress, rule.fromDomain),
  );
  return hit ? { ruleId: hit.id } : null;
}

/**
 * Whether a meeting from `start` to `end` respects every no-meetings rule, in the owner's
 * `timeZone` (IANA). A meeting touching a blocked day in that zone is refused, as is one starting
 * before `before` or ending after `after` (a meeting running past midnight ends "after" any time).
 * Throws RangeError on an unknown zone: a wrong zone must not silently allow meetings.
 */
export function meetingAllowed(
  rules: RuleEntry[],
  start: Date,
  end: Date,
  timeZone: string,
): { allowed: boolean; ruleId: string | null } {
  const from = localTime(start, timeZone);
  // The last instant inside the meeting: one ending at 00:00 does not touch the next day.
  const last = localTime(new Date(Math.max(start.getTime(), end.getTime() - 1)), timeZone);
  const endMinutes = last.minutes + 1 + (last.dayNumber - from.dayNumber) * 1440;
  for (const { id, rule } of of(rules, 'no_meetings')) {
    for (let day = from.dayNumber; day <= last.dayNumber; day++) {
      if (rule.days.includes(weekdayOfDayNumber(day))) return { allowed: false, ruleId: id };
    }
    if (rule.before !== null && from.minutes < minutesOf(rule.before)) return { allowed: false, ruleId: id };
    if (rule.after !== null && endMinutes > minutesOf(rule.after)) return { allowed: false, ruleId: id };
  }
  return { allowed: true, ruleId: null };
}

const sameCurrency = (a: string | null, b: string | null) =>
  a !== null && b !== null && a.toUpperCase() === b.toUpperCase();

/**
 * The invoice is the rule's vendor: every identity the rule names that the invoice also states
 * must match, and at least one must — a matching name from a different domain is not the vendor.
 */
function isVendor(vendor: string | null, domain: string | null, inv: InvoiceFacts): boolean {
  const checks: boolean[] = [];
  if (vendor !== null && inv.vendorName) checks.push(vendorMatches(vendor, inv.vendorName));
  if (domain !== null && inv.vendorDomain) checks.push(domainMatches(inv.vendorDomain, domain));
  return checks.length > 0 && checks.every(Boolean);
}

/** Relaxing needs certainty: an unknown total, currency or vendor never matches. */
function relaxes(rule: RuleOf<'auto_approve_invoices'>, inv: InvoiceFacts): boolean {
  if (
    (rule.vendor !== null || rule.vendorDomain !== null) &&
    !isVendor(rule.vendor, rule.vendorDomain, inv)
  ) {
    return false;
  }
  if (rule.currency !== null && !sameCurrency(rule.currency, inv.currency)) return false;
  if (rule.maxAmount !== null && (inv.total === null || inv.total > rule.maxAmount)) return false;
  return true;
}

/**
 * Tightening errs toward asking: a vendor named either way matches, and an amount that cannot be
 * compared (unknown total, unknown or other currency) counts as reaching the limit.
 */
function tightens(rule: RuleOf<'require_approval'>, inv: InvoiceFacts): boolean {
  if (rule.vendor !== null || rule.vendorDomain !== null) {
    const known = Boolean(inv.vendorName) || Boolean(inv.vendorDomain);
    const named =
      (rule.vendor !== null && inv.vendorName !== null && vendorMatches(rule.vendor, inv.vendorName)) ||
      (rule.vendorDomain !== null &&
        inv.vendorDomain !== null &&
        domainMatches(inv.vendorDomain, rule.vendorDomain));
    if (known && !named) return false;
  }
  if (rule.minAmount !== null) {
    const comparable =
      inv.total !== null && (rule.currency === null || sameCurrency(rule.currency, inv.currency));
    return !comparable || inv.total! >= rule.minAmount;
  }
  if (rule.currency !== null) return inv.currency === null || sameCurrency(rule.currency, inv.currency);
  return true;
}

/**
 * The first auto-approval rule covering this invoice. It relaxes only the ordinary "needs one yes";
 * the approval policy still asks for bank-detail changes, duplicates and first invoices, and a
 * tightening rule wins over it (see `approvalOverride`).
 */
export function approvalRelaxedFor(rules: RuleEntry[], invoice: InvoiceFacts): { ruleId: string } | null {
  const hit = of(rules, 'auto_approve_invoices').find(({ rule }) => relaxes(rule, invoice));
  return hit ? { ruleId: hit.id } : null;
}

/** The first rule that says this invoice always needs the owner's decision. */
export function approvalTightenedFor(rules: RuleEntry[], invoice: InvoiceFacts): { ruleId: string } | null {
  const hit = of(rules, 'require_approval').find(({ rule }) => tightens(rule, invoice));
  return hit ? { ruleId: hit.id } : null;
}

/** What the owner's rules say about approving this invoice; asking wins over approving. */
export function approvalOverride(
  rules: RuleEntry[],
  invoice: InvoiceFacts,
): { effect: 'ask' | 'auto'; ruleId: string } | null {
  const ask = approvalTightenedFor(rules, invoice);
  if (ask) return { effect: 'ask', ruleId: ask.ruleId };
  const auto = approvalRelaxedFor(rules, invoice);
  return auto ? { effect: 'auto', ruleId: auto.ruleId } : null;
}
