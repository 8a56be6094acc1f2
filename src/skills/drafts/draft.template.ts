import type { Address } from '../../ingest/message.model.ts';
import { stripInvisible } from '../../shared/invisible.ts';
import { type SanitizedText, sanitizeOutboundText } from '../../shared/outbound-text.ts';
import type { DraftContext, DraftRequest, ThreadMessage } from './draft.model.ts';
import { firstName, greetingName } from './draft.names.ts';

/**
 * The draft written without a model: it says what the owner asked, in their words, and marks
 * every spot that needs the owner's judgement with a `[[…]]` placeholder. A draft that still
 * holds a placeholder must not be sent (`findPlaceholders`), so a template draft always goes
 * back through the owner's hands. Pure.
 */

export const CHECK_WORDING = '[[deskhand: check the wording — drafted without a model]]';
const PLACEHOLDER = /\[\[[^[\]\n]{1,500}\]\]/g;
const MAX_QUESTIONS = 3;
const MAX_QUOTE = 200;
const GREETING =
  /^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|liebe|lieber|bonjour|hola)(?:\s+[^\s,]+){0,3},?$/iu;

export interface TemplateDraft {
  body: string;
  placeholders: string[];
  removed: SanitizedText['removed'];
}

/** Every `[[…]]` placeholder in a body, in order, each once. */
export function findPlaceholders(body: string): string[] {
  return [...new Set(body.match(PLACEHOLDER) ?? [])];
}

/** The no-model draft for `req`, greeting `to` and answering `answered`. */
export function templateDraft(
  req: DraftRequest,
  ctx: DraftContext,
  to: Address[],
  answered: ThreadMessage | null,
  allowedUrls: readonly string[],
): TemplateDraft {
  const removed: SanitizedText['removed'] = [];
  const safe = (text: string) => {
    const s = sanitizeOutboundText(text, allowedUrls);
    removed.push(...s.removed);
    return s.text;
  };
  const middle =
    req.trigger === 'owner_request'
      ? ownerWords(req.instruction, safe)
      : [
          'Thanks for your message.',
          ...questionsOf(answered).map((q) => `[[your answer to: "${unbracket(safe(q))}"]]`),
        ];
  const signature = firstName(ctx.owner.name) || ctx.owner.name.trim();
  const body = [greeting(to), ...middle, signature ? `Best,\n${signature}` : 'Best,'].join('\n\n');
  return { body, placeholders: findPlaceholders(body), removed };
}

function ownerWords(instruction: string | null, safe: (t: string) => string): string[] {
  const words = asOwnersSentence(safe(instruction ?? ''));
  return words === '' ? ['[[your answer: what should this reply say?]]'] : [words, CHECK_WORDING];
}

/** "we accept the offer" → "We accept the offer.": capitalised, ending in punctuation. */
export function asOwnersSentence(instruction: string): string {
  const text = instruction.replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  const capitalised = text.charAt(0).toLocaleUpperCase() + text.slice(1);
  return /[.!?…:;)"”»]$/u.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** Brackets out, so quoted text can neither end a placeholder nor fake one. */
function unbracket(text: string): string {
  return text.replace(/[[\]]/g, '');
}

function greeting(to: Address[]): string {
  const names = to.map(greetingName);
  if (names.length === 0 || names.some((n) => n === '')) return to.length > 1 ? 'Hi all,' : 'Hello,';
  return names.length === 1 ? `Hi ${names[0]},` : `Hi ${names.slice(0, -1).join(', ')} and ${names.at(-1)},`;
}

/**
 * What the answered message asks: its questions (sentences ending in "?"), else its first
 * sentence (greetings and quoted lines skipped).
 */
function questionsOf(m: ThreadMessage | null): string[] {
  const text = stripInvisible(m ? m.replyText.trim() || m.text : '').text.slice(0, 5000);
  const sentences = text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '' && !/^>/.test(s) && !GREETING.test(s));
  const questions = sentences.filter((s) => s.endsWith('?')).slice(0, MAX_QUESTIONS);
  const chosen = questions.length > 0 ? questions : sentences.slice(0, 1);
  if (chosen.length === 0) return [m?.subject.trim() || 'their message'];
  return chosen.map((s) => (s.length > MAX_QUOTE ? `${s.slice(0, MAX_QUOTE - 1)}…` : s).replace(/"/g, "'"));
}
