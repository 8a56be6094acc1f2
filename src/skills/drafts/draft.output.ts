import { invisibleCount, stripInvisible } from '../../shared/invisible.ts';
import { type SanitizedText, sanitizeOutboundText } from '../../shared/outbound-text.ts';
import type { DraftContext, ThreadMessage } from './draft.model.ts';
import type { DraftAnswer } from './draft.prompt.ts';

/**
 * The model's answer made fit to become a reply body (RELIABILITY 20): invisible Unicode out,
 * length bounded, then `sanitizeOutboundText` — no image, no HTML, no link that was not in the
 * thread. What went is returned for the journal. An address the body mentions that appears
 * nowhere in the thread is flagged: it is never a recipient (those come from headers), but the
 * owner should see that the model wrote it. Pure.
 */

const MAX_BODY = 20_000;
const MAX_QUESTION = 200;

export interface ModelDraftBody {
  body: string;
  warnings: string[];
  removed: SanitizedText['removed'];
}

export function modelDraftBody(
  answer: DraftAnswer,
  allowedUrls: readonly string[],
  thread: readonly ThreadMessage[],
  ctx: DraftContext,
): ModelDraftBody {
  const warnings: string[] = [];
  const visible = stripInvisible(answer.body);
  if (invisibleCount(visible) > 0) {
    warnings.push(`removed ${invisibleCount(visible)} invisible characters from the model's draft`);
  }
  if (visible.text.length > MAX_BODY) warnings.push(`the model's draft was cut to ${MAX_BODY} characters`);
  const clean = sanitizeOutboundText(visible.text.slice(0, MAX_BODY), allowedUrls);
  if (clean.removed.length > 0) warnings.push(`removed from the model's draft: ${summarize(clean.removed)}`);
  const known = knownAddresses(thread, ctx);
  for (const address of addressesIn(clean.text)) {
    if (!known.has(address)) {
      warnings.push(`the draft mentions ${address}, which is not in this thread; it is not a recipient`);
    }
  }
  for (const q of answer.openQuestions) {
    const text = stripInvisible(q).text.replace(/\s+/g, ' ').trim();
    if (text)
      warnings.push(
        `open question: ${text.length > MAX_QUESTION ? `${text.slice(0, MAX_QUESTION - 1)}…` : text}`,
      );
  }
  return { body: clean.text, warnings, removed: clean.removed };
}

function summarize(removed: SanitizedText['removed']): string {
  const count = (kind: string) => removed.filter((r) => r.kind === kind).length;
  const parts = [
    [count('image'), 'image'],
    [count('link'), 'link'],
    [count('html'), 'HTML tag'],
  ] as const;
  return parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}${n === 1 ? '' : 's'}`)
    .join(', ');
}

/** Every address in the thread's headers and texts, and the owner's and the assistant's. */
function knownAddresses(thread: readonly ThreadMessage[], ctx: DraftContext): Set<string> {
  const known = new Set([ctx.owner.email.toLowerCase(), ctx.assistant.email.toLowerCase()]);
  for (const m of thread) {
    for (const a of [...(m.from ? [m.from] : []), ...m.replyTo, ...m.to, ...m.cc])
      known.add(a.address.toLowerCase());
    for (const a of addressesIn(m.text)) known.add(a);
  }
  return known;
}

/** Addresses written in text; split into tokens first so the scan stays linear. */
function addressesIn(text: string): string[] {
  const out: string[] = [];
  for (const token of text.split(/[\s<>()[\]"',;]+/)) {
    const t = token.replace(/^mailto:/i, '').replace(/[.:!?]+$/, '');
    if (/^[^@\s]+@[^@\s]+\.[a-z]{2,63}$/i.test(t)) out.push(t.toLowerCase());
  }
  return out;
}
