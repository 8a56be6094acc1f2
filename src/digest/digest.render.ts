import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { tokenRef } from '../approvals/approval.model.ts';
import { type DigestContent, isEmpty } from './digest.model.ts';

/**
 * The digest email from `templates/digest.txt` and `.html` (mustache, logic-less): a subject that
 * says how many decisions wait, then the numbered items, exceptions, invoices, meetings, what was
 * done and the numbers. No images, no links, no remote content; every value escaped in the HTML
 * (mustache's default) and one line each in the text. Pure apart from reading the templates once.
 */

const TEMPLATES = fileURLToPath(new URL('../../templates/', import.meta.url));
let cache: { text: string; html: string } | null = null;
function templates(): { text: string; html: string } {
  cache ??= {
    text: readFileSync(`${TEMPLATES}digest.txt`, 'utf8'),
    html: readFileSync(`${TEMPLATES}digest.html`, 'utf8'),
  };
  return cache;
}

export interface RenderedDigest {
  subject: string;
  text: string;
  html: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function digestSubject(c: DigestContent): string {
  const parts: string[] = [];
  if (c.decisions.length) parts.push(plural(c.decisions.length, 'decision', 'decisions'));
  if (c.payments.length) parts.push(plural(c.payments.length, 'payment to make', 'payments to make'));
  if (c.exceptions.length) parts.push(plural(c.exceptions.length, 'exception', 'exceptions'));
  const today = c.meetings.today.length;
  if (today) parts.push(plural(today, 'meeting today', 'meetings today'));
  return `Your digest for ${c.dayText}${parts.length ? ` — ${parts.join(', ')}` : ''}`;
}

export function renderDigest(c: DigestContent, token: string, ownerName: string): RenderedDigest {
  const subject = digestSubject(c);
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  const lines = <T extends { text: string }>(xs: T[]) => xs.map((x) => ({ text: oneLine(x.text) }));
  const first = ownerName.trim().split(/\s+/)[0] || 'there';
  const view = {
    subject,
    headline: `Good morning ${first} — ${c.decisions.length ? `${plural(c.decisions.length, 'thing needs', 'things need')} your decision.` : 'nothing needs your decision.'}`,
    decisions: c.decisions.map((d) => ({ ...d, label: oneLine(d.label), detail: oneLine(d.detail) })),
    payments: c.payments.map((d) => ({ ...d, label: oneLine(d.label), detail: oneLine(d.detail) })),
    hasDecisions: c.decisions.length > 0,
    hasPayments: c.payments.length > 0,
    hasItems: c.decisions.length + c.payments.length > 0,
    exceptions: lines(c.exceptions),
    invoices: {
      received: lines(c.invoices.received),
      dueSoon: lines(c.invoices.dueSoon),
      overdue: lines(c.invoices.overdue),
      openTotals: c.invoices.openTotals.map((t, i, all) => ({ ...t, last: i === all.length - 1 })),
    },
    hasInvoices:
      c.invoices.received.length + c.invoices.dueSoon.length + c.invoices.overdue.length > 0 ||
      c.invoices.openTotals.length > 0,
    meetings: {
      today: lines(c.meetings.today),
      upcoming: lines(c.meetings.upcoming),
      unanswered: lines(c.meetings.unanswered),
    },
    hasMeetings: c.meetings.today.length + c.meetings.upcoming.length + c.meetings.unanswered.length > 0,
    done: lines(c.done),
    hasAnything: !isEmpty(c),
    numbers: c.numbers.map((n) => ({ label: oneLine(n.label), value: oneLine(n.value) })),
    trend: lines(c.trend),
    reference: tokenRef(token),
  };
  const t = templates();
  // The text template is not HTML: render it without escaping (values are single lines).
  const text = Mustache.render(t.text, view, {}, { escape: (s: string) => s })
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
  return { subject, text: `${text}\n`, html: Mustache.render(t.html, view) };
}
