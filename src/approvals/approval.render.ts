import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { formatMoney } from '../skills/invoices/money.ts';
import { draftBlock } from './approval.draft.ts';
import { type ApprovalRound, type ShownPayment, type ShownReply, tokenRef } from './approval.model.ts';
import { findDraftBlock } from './reply/reply.draft.ts';
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

/**
 * One line, clipped: every value put into the email outside the draft block passes through this, so
 * no value from a thread or an invoice (a display name decoded to contain newlines, an e-invoice's
 * endless number) can forge a marker line or push the flags out of the subject.
 */
const line = (s: string | null | undefined, max = 200): string =>
  (s ?? '').replace(/\s+/g, ' ').trim().slice(0, max);

/** A display name, unless it could pass for an address ("Dana <eve@evil.example>"): then the address. */
const nameOf = (a: { name: string; address: string }): string =>
  a.name && !/[<>@]/.test(a.name) ? line(a.name, 60) : line(a.address, 120);
const who = (r: ShownReply): string => r.to.map(nameOf).join(', ') || 'nobody yet (say who in the To: line)';

/** "Send this reply to Dana Lee" / "Approve ACME GmbH invoice 2024-0042: EUR 1,190.00 due 2024-03-31". */
export function headlineOf(round: Pick<ApprovalRound, 'shown'>): string {
  const s = round.shown;
  if (s.type === 'reply') return `Send this reply to ${who(s)}`;
  // Clipped: an invoice-controlled name must not push the flags out of the subject.
  const vendor = line(s.vendor ?? 'an unknown vendor', 60);
  const number = s.invoiceNumber ? ` invoice ${line(s.invoiceNumber, 40)}` : ' an invoice';
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
    changes: round.changes.map((c) => line(c, 400)),
    flags: round.policy.flags.map((f) => line(f.message, 400)),
    missing: missingOf(s).map((m) => line(m, 400)),
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
      replySubject: line(s.subject, 250),
      replyInReplyTo: s.inReplyTo,
      draftBlock: `${draftBlock(s)}`,
      // The drafting's notes are the reply's "checks": what it noticed and left out.
      checks: s.warnings.map((w) => ({ mark: '! ', message: line(w, 400) })),
      evidence: [],
    };
  }
  return {
    ...base,
    isReply: false,
    isPayment: true,
    action: 'approve this invoice for payment',
    vendor: line(s.vendor ?? '(unknown)', 120),
    amount: s.amount !== null && s.currency ? formatMoney(s.amount, s.currency) : '(unreadable)',
    dueDate: s.dueDate ?? '(none on the invoice)',
    invoiceNumber: line(s.invoiceNumber ?? '(no number)', 80),
    issueDate: s.issueDate,
    account: `${formatIban(s.iban)}${s.bic ? ` (BIC ${s.bic})` : ''}`,
    poNumber: s.poNumber ? line(s.poNumber, 80) : null,
    source: line(ctx.source ?? `document #${s.documentId}`, 200),
    checks: s.checks.map((c) => ({ mark: MARK(c.ok, c.severity), message: line(c.message, 400) })),
    evidence: Object.entries(s.evidence ?? {})
      .filter(([, e]) => e && typeof e.text === 'string' && e.text.trim() !== '')
      .slice(0, 8)
      .map(([field, e]) => ({
        field,
        text: line(e.text, 160),
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
  // The headline gives way, never the flags.
  const subject = `[deskhand] ${headline.slice(0, Math.max(40, 250 - 11 - again.length - flagged.length))}${again}${flagged}`;
  const t = templates();
  const v = view(round, ctx, subject, headline);
  // Plain text is not HTML: no escaping there. The HTML template escapes every value.
  const text = Mustache.render(t.text, v, {}, { escape: (x: unknown) => String(x) }).replace(
    /\n{3,}/g,
    '\n\n',
  );
  const html = Mustache.render(t.html, v);
  // The draft the owner will quote must read back as exactly the draft shown (reply/reply.draft.ts).
  const same = (l: string[]) =>
    l
      .map((x) => x.trimEnd())
      .join('\n')
      .trim();
  const block = findDraftBlock(text);
  if (round.shown.type === 'reply' && (!block || same(block) !== same(draftBlock(round.shown).split('\n'))))
    throw new Error('approval email does not read back its own draft block; refusing to send it');
  return { subject, headline, text, html };
}
