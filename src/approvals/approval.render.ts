import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { formatMoney } from '../skills/invoices/money.ts';
import { draftBlock } from './approval.draft.ts';
import { type ApprovalRound, type ShownPayment, type ShownReply, tokenRef } from './approval.model.ts';
import { DRAFT_END, DRAFT_START } from './reply/reply.markers.ts';

/**
 * The approval email, from `templates/approval.txt` and `.html` (mustache, logic-less): the subject
 * and first line say what will happen; then what changed, the flags, what is missing; how to
 * answer; the draft between the markers or the payment's fields; the checks and the evidence.
 * The HTML has no images, no links and no remote content; every value is escaped. Pure apart from
 * reading the two templates once.
 */

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));
let cache: { text: string; html: string } | null = null;
function templates(): { text: string; html: string } {
  cache ??= {
    text: readFileSync(`${TEMPLATES}approval.txt`, 'utf8'),
    html: readFileSync(`${TEMPLATES}approval.html`, 'utf8'),
  };
  return cache;
}

export interface RenderedApproval {
  subject: string;
  /** The first line of the text: what will happen. */
  headline: string;
  text: string;
  html: string;
}

export interface RenderContext {
  timeZone: string;
  /** The document's file name, for a payment. */
  source?: string | null;
}

/** A display name, unless it could pass for an address ("Dana <eve@evil.example>"): then the address. */
const nameOf = (a: { name: string; address: string }): string =>
  a.name && !/[<>@]/.test(a.name) ? a.name.slice(0, 60) : a.address;
const who = (r: ShownReply): string => r.to.map(nameOf).join(', ') || 'nobody yet (say who in the To: line)';

/** "Send this reply to Dana Lee" / "Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31". */
export function headlineOf(round: Pick<ApprovalRound, 'shown'>): string {
  const s = round.shown;
  if (s.type === 'reply') return `Send this reply to ${who(s)}`;
  // Clipped: an invoice-controlled name must not push the flags out of the subject.
  const vendor = (s.vendor ?? 'an unknown vendor').replace(/\s+/g, ' ').slice(0, 60);
  const number = s.invoiceNumber ? ` invoice ${s.invoiceNumber}` : ' an invoice';
  const amount = s.amount !== null && s.currency ? formatMoney(s.amount, s.currency) : 'amount unreadable';
  const due = s.dueDate ? ` due ${s.dueDate}` : '';
  return `Approve ${vendor}${number}: ${amount}${due}`;
}

export function formatIban(iban: string | null): string {
  return iban ? iban.replace(/(.{4})(?=.)/g, '$1 ') : '(none on the invoice)';
}

export function formatWhen(d: Date, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
  return `${f.format(d)} (${timeZone})`;
}

function missingOf(s: ShownReply | ShownPayment): string[] {
  if (s.type === 'reply') {
    const out: string[] = [];
    if (s.unresolvedRecipient)
      out.push(`who "${s.unresolvedRecipient}" is: write the address in the To: line`);
    else if (s.to.length === 0) out.push('a recipient: write the address in the To: line');
    for (const p of s.placeholders) out.push(`your words for ${p} in the draft`);
    return out;
  }
  const out: string[] = [];
  if (s.amount === null) out.push('the total: reply with "total: 1234.56"');
  if (s.currency === null) out.push('the currency: reply with "currency: EUR"');
  if (s.vendor === null) out.push('the vendor: reply with "vendor: Name"');
  return out;
}

const MARK = (ok: boolean | null, severity: string): string =>
  ok === true ? 'ok' : ok === null ? '--' : severity === 'high' ? '!!' : '! ';

function view(round: ApprovalRound, ctx: RenderContext, subject: string, headline: string) {
  const s = round.shown;
  const base = {
    subject,
    headline,
    changes: round.changes,
    flags: round.policy.flags.map((f) => f.message),
    missing: missingOf(s),
    reasons: round.policy.reasons,
    expires: formatWhen(round.expiresAt, ctx.timeZone),
    reference: tokenRef(round.token),
    round: round.round,
    draftStart: DRAFT_START,
    draftEnd: DRAFT_END,
  };
  if (s.type === 'reply') {
    return {
      ...base,
      isReply: true,
      isPayment: false,
      action: `send this reply to ${who(s)}`,
      replySubject: s.subject,
      replyInReplyTo: s.inReplyTo,
      draftBlock: `${draftBlock(s)}`,
      // The drafting's notes are the reply's "checks": what it noticed and left out.
      checks: s.warnings.map((w) => ({ mark: '! ', message: w })),
      evidence: [],
    };
  }
  return {
    ...base,
    isReply: false,
    isPayment: true,
    action: 'approve this invoice for payment',
    vendor: s.vendor ?? '(unknown)',
    amount: s.amount !== null && s.currency ? formatMoney(s.amount, s.currency) : '(unreadable)',
    dueDate: s.dueDate ?? '(none on the invoice)',
    invoiceNumber: s.invoiceNumber ?? '(no number)',
    issueDate: s.issueDate,
    account: `${formatIban(s.iban)}${s.bic ? ` (BIC ${s.bic})` : ''}`,
    poNumber: s.poNumber,
    source: ctx.source ?? `document #${s.documentId}`,
    checks: s.checks.map((c) => ({ mark: MARK(c.ok, c.severity), message: c.message })),
    evidence: Object.entries(s.evidence ?? {})
      .filter(([, e]) => e && typeof e.text === 'string' && e.text.trim() !== '')
      .slice(0, 8)
      .map(([field, e]) => ({
        field,
        text: e.text.replace(/\s+/g, ' ').slice(0, 160),
        page: e.page ?? null,
      })),
  };
}

/** Subject, text and HTML of one approval round. */
export function renderApproval(round: ApprovalRound, ctx: RenderContext): RenderedApproval {
  const headline = headlineOf(round);
  const flagged =
    round.policy.flags.length > 0
      ? ` — decision needed: ${[...new Set(round.policy.flags.map((f) => f.label))].join(', ')}`
      : '';
  const again = round.round > 1 ? ' (changed)' : '';
  const subject = `[deskhand] ${headline}${again}${flagged}`.slice(0, 250);
  const t = templates();
  const v = view(round, ctx, subject, headline);
  // Plain text is not HTML: no escaping there. The HTML template escapes every value.
  const text = Mustache.render(t.text, v, {}, { escape: (x: unknown) => String(x) }).replace(
    /\n{3,}/g,
    '\n\n',
  );
  const html = Mustache.render(t.html, v);
  return { subject, headline, text, html };
}
