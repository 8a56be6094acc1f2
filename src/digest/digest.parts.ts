import { DateTime } from 'luxon';
import { oneLine } from '../shared/one-line.ts';
import type { DigestLine } from './digest.model.ts';

/** What the digest's sections share: limits, the journal actions it reads, one-line helpers. */

export const MAX_LINES = 20;

/** Journal actions that are exceptions the owner should see. */
export const EXCEPTION_ACTIONS: Record<string, string> = {
  quarantined: 'Set aside',
  invoice_exception: 'Invoice exception',
  document_unreadable: 'Unreadable document',
  owner_unverified: 'Unverified mail in your name',
  injection_flagged: 'Instructions to me inside mail (not obeyed)',
  approval_refused: 'Answer not applied',
  approval_expired: 'Expired unanswered',
  send_ambiguous: 'Maybe not sent',
  send_refused: 'Not sent',
  meeting_no_slots: 'No free time found',
  meeting_invite_refused: 'Invite not sent',
  rsvp_rejected: 'Calendar reply ignored',
};

/** Journal actions that are work done. */
export const DONE_ACTIONS: Record<string, string> = {
  approval_executed: 'Done as approved',
  approval_not_needed: 'Sent on its own (you asked in the thread)',
  invoice_approved: 'Invoice approved',
  invoice_paid: 'Marked paid',
  meeting_booked: 'Meeting booked',
  meeting_rescheduled: 'Meeting moved',
  meeting_cancelled: 'Meeting cancelled',
  rsvp_recorded: 'Calendar answer',
  rule_recorded: 'Rule noted',
  rule_undone: 'Rule cancelled',
  purchase_orders_imported: 'Purchase orders imported',
};

export const clip = (s: string, n = 160): string => oneLine(s, n);

export function bounded(lines: DigestLine[], total: number): DigestLine[] {
  return total > lines.length ? [...lines, { text: `… and ${total - lines.length} more` }] : lines;
}

export function ago(from: Date, now: Date): string {
  const h = Math.max(0, Math.round((now.getTime() - from.getTime()) / 3_600_000));
  if (h < 1) return 'asked just now';
  if (h < 48) return `asked ${h} hour${h === 1 ? '' : 's'} ago`;
  return `asked ${Math.round(h / 24)} days ago`;
}

export const shortWhen = (d: Date, zone: string) =>
  DateTime.fromJSDate(d, { zone }).toFormat('ccc d LLL, HH:mm');
