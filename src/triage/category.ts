import type { NormalizedMessage } from '../ingest/message.model.ts';
import { classifyAttachment } from './attachments.ts';
import type { AutomaticFacts } from './automatic-mail.ts';
import { billAttachmentRule, billWordsRule, documentAttachmentRule } from './category.documents.ts';
import { type Decision, decision } from './decision.ts';
import { IMPERATIVE_START, MEETING_PHRASES, REQUEST_PHRASES } from './keywords.ts';
import { spamVerdict } from './spam.ts';
import { bodyOf, newTextOf, subjectsOf, withoutUrls } from './text.ts';
import type { Category } from './triage.model.ts';

/** What every category rule reads, computed once. */
export type { CategoryInput } from './category.input.ts';

import type { CategoryInput } from './category.input.ts';

export type CategoryRule = (input: CategoryInput) => Decision<Category> | null;

/**
 * The rules in order; the first that answers wins. Machine mail comes first so that an
 * auto-reply saying "yes, can you…?" is never a request, then the spam filter's verdict, then
 * documents (the attachment is the thing to act on), then meetings and requests.
 */
const RULES: readonly CategoryRule[] = [
  bounceRule,
  autoReplyRule,
  spamRule,
  massMailRule,
  ownMailRule,
  billAttachmentRule,
  calendarRule,
  documentAttachmentRule,
  billWordsRule,
  meetingRule,
  requestRule,
];

export function decideCategory(msg: NormalizedMessage, auto: AutomaticFacts): Decision<Category> {
  const input: CategoryInput = {
    msg,
    auto,
    attachments: msg.attachments.map(classifyAttachment),
    subjects: subjectsOf(msg),
    body: bodyOf(msg),
    newText: newTextOf(msg),
  };
  for (const rule of RULES) {
    const result = rule(input);
    if (result !== null) return result;
  }
  return decision('fyi', 0.3, 'nothing more specific matched: for information');
}

function bounceRule({ auto }: CategoryInput): Decision<Category> | null {
  return auto.kind === 'bounce' ? decision('bounce', auto.confidence, ...auto.reasons) : null;
}

function autoReplyRule({ auto }: CategoryInput): Decision<Category> | null {
  return auto.kind === 'auto_reply' ? decision('auto_reply', auto.confidence, ...auto.reasons) : null;
}

function spamRule({ msg }: CategoryInput): Decision<Category> | null {
  const verdict = spamVerdict(msg.headers);
  return verdict === null ? null : decision('spam', 0.95, `spam filter verdict ${verdict}`);
}

/** Lists and bulk mail are newsletters, unless a vendor's billing system sends its bill as a list. */
function massMailRule(input: CategoryInput): Decision<Category> | null {
  if (!input.auto.massMail) return null;
  const bill = billAttachmentRule(input);
  if (bill !== null) return { ...bill, reasons: [...input.auto.reasons, ...bill.reasons] };
  return decision('newsletter', input.auto.confidence, ...input.auto.reasons);
}

function ownMailRule({ auto }: CategoryInput): Decision<Category> | null {
  return auto.ownMail ? decision('fyi', 0.9, ...auto.reasons, 'our own mail is never acted on') : null;
}

function calendarRule({ attachments }: CategoryInput): Decision<Category> | null {
  const ics = attachments.find((a) => a.kind === 'calendar');
  return ics === undefined ? null : decision('meeting', 0.95, `attachment ${ics.name} ${ics.why}`);
}

function meetingRule({ subjects, body }: CategoryInput): Decision<Category> | null {
  const match = MEETING_PHRASES.exec(`${subjects}\n${body}`);
  return match === null ? null : decision('meeting', 0.6, `mentions "${match[0]}": about meeting`);
}

/** Asks directed at the reader. A machine has no one to answer, so automatic mail is never a request. */
function requestRule({ auto, newText, msg }: CategoryInput): Decision<Category> | null {
  const text = withoutUrls(`${newText}\n${msg.forwarded?.text ?? ''}`);
  const question = /\?(\s|$)/.test(text);
  const phrase = REQUEST_PHRASES.exec(text)?.[0];
  const imperative = IMPERATIVE_START.exec(text)?.[3];
  if (!question && phrase === undefined && imperative === undefined) return null;
  if (auto.automatic) return decision('fyi', 0.5, 'asks something, but machine-sent: nothing to answer');
  const why = question
    ? 'asks a question'
    : phrase !== undefined
      ? `asks: "${phrase}"`
      : `says "${imperative}…"`;
  return decision('request', question || phrase !== undefined ? 0.6 : 0.55, `${why}: a request`);
}
