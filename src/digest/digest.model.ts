/**
 * The daily digest as data: what the owner must decide (numbered, so a reply "approve 1 3,
 * reject 2" or "paid 4" acts on them), what went wrong, the invoices and meetings of the coming
 * days, what was done since the last digest, and the numbers. Built from the database
 * (digest.build.ts), rendered by digest.render.ts, sent once per day by digest.send.ts.
 */

export interface DigestItem {
  number: number;
  kind: 'approval' | 'payment';
  /** approvals.id for 'approval', invoices.id for 'payment'. */
  ref: string;
  /** One line: "Send this reply to Dana Lee", "Pay ACME GmbH EUR 1,190.00 (due 31 Mar)". */
  label: string;
  /** Flags, age and expiry: "needs a decision: bank details changed · asked 2 days ago · expires Thu 19 Mar, 10:00". */
  detail: string;
  /** Flagged rounds ('decision' level) are never decided by "approve all": only by their number. */
  flagged: boolean;
}

export interface DigestLine {
  text: string;
}

export interface CurrencyTotal {
  currency: string;
  amount: string;
}

export interface DigestNumber {
  label: string;
  value: string;
}

export interface DigestContent {
  /** The owner's calendar day it is for, YYYY-MM-DD. */
  day: string;
  /** "Tuesday 17 March 2026", in the owner's zone. */
  dayText: string;
  /** Since when "new" and "done" are counted (the previous digest, or 24 hours). */
  since: string;
  decisions: DigestItem[];
  payments: DigestItem[];
  exceptions: DigestLine[];
  invoices: {
    received: DigestLine[];
    dueSoon: DigestLine[];
    overdue: DigestLine[];
    openTotals: CurrencyTotal[];
  };
  meetings: {
    today: DigestLine[];
    upcoming: DigestLine[];
    unanswered: DigestLine[];
  };
  done: DigestLine[];
  numbers: DigestNumber[];
  /** The week's trend, one line per day or week, oldest first (empty when metrics are not available). */
  trend: DigestLine[];
  /** The last journal entry read: where the next digest's "done" and "exceptions" start. */
  journalMark: string;
}

/** Whether the digest has anything to say beyond the numbers. */
export function isEmpty(c: DigestContent): boolean {
  return (
    c.decisions.length === 0 &&
    c.payments.length === 0 &&
    c.exceptions.length === 0 &&
    c.invoices.received.length === 0 &&
    c.invoices.dueSoon.length === 0 &&
    c.invoices.overdue.length === 0 &&
    c.meetings.today.length === 0 &&
    c.meetings.upcoming.length === 0 &&
    c.meetings.unanswered.length === 0 &&
    c.done.length === 0
  );
}
