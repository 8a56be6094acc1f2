import { stripInvisible } from '../../shared/invisible.ts';

/**
 * "Reply to Dana that we accept the offer" → who (`recipientHint`, matched later against the
 * thread's headers) and what (`instruction`, the owner's own words). Only imperative forms at the
 * start of a sentence count, so "I'll reply to Dana later" or "did you answer Dana?" are not
 * requests. English, with common German, French and Spanish forms. Pure.
 */

export interface ReplyRequest {
  /** A name, first name or address as the owner wrote it; null for "them", "all", "the landlord"… */
  recipientHint: string | null;
  /** The owner's words about what to say; '' when they asked for a reply without saying what. */
  instruction: string;
}

interface Form {
  verb: RegExp;
  /** Words between the name and the instruction ("let Dana *know*", "schreib Dana *zurück*"). */
  after?: RegExp;
  sep: RegExp;
  /** Whether a recipient follows the verb. */
  named: boolean;
}

/** Politeness before the verb: "please", "could you", "bitte", "peux-tu", "por favor"… */
const POLITE =
  /^(?:(?:please|pls|plz|kindly|can you|could you|would you|will you|can u|could u|bitte|kannst du|könntest du|können sie|peux-tu|pouvez-vous|tu peux|vous pouvez|merci de|por favor|porfa|puedes|podrías|podrias)[\s,]+){0,3}/iu;
const EN_SEP =
  /^\s*(?:[,:;–—]\s*)?(?:(?:and\s+)?(?:say|tell\s+(?:them|him|her))\s+(?:that\s+)?|saying\s+(?:that\s+)?|that\s+|with\s+|and\s+)|^\s*[,:;–—]\s*/iu;
const DE_SEP = /^\s*[,:]?\s*(?:dass|daß)\s+|^\s*[,:]\s*/iu;
const FR_SEP = /^\s*[,:]?\s*(?:que\s+|qu['’]\s*)|^\s*[,:]\s*/iu;
const ES_SEP = /^\s*[,:]?\s*que\s+|^\s*[,:]\s*/iu;
const END = '(?![\\p{L}-])';

const FORMS: Form[] = [
  {
    verb: /^(?:reply|respond|write\s+back|get\s+back|send\s+(?:a|an)\s+(?:reply|answer|response))\s+to\s+/iu,
    sep: EN_SEP,
    named: true,
  },
  { verb: /^answer\s+/iu, sep: EN_SEP, named: true },
  { verb: /^(?:tell|inform)\s+/iu, sep: EN_SEP, named: true },
  { verb: /^let\s+/iu, after: new RegExp(`^\\s+know${END}`, 'iu'), sep: EN_SEP, named: true },
  { verb: new RegExp(`^(?:reply|respond|answer|write\\s+back)${END}`, 'iu'), sep: EN_SEP, named: false },
  { verb: /^(?:antworte|antwortet|antworten\s+sie)\s+(?:bitte\s+)?/iu, sep: DE_SEP, named: true },
  { verb: /^(?:sag|sage|sagt|sagen\s+sie)\s+(?:bitte\s+)?/iu, sep: DE_SEP, named: true },
  {
    verb: /^(?:schreib|schreibe|schreibt|schreiben\s+sie)\s+(?:bitte\s+)?/iu,
    after: new RegExp(`^\\s+zurück${END}`, 'iu'),
    sep: DE_SEP,
    named: true,
  },
  { verb: new RegExp(`^(?:antworte|antworten\\s+sie)${END}`, 'iu'), sep: DE_SEP, named: false },
  { verb: /^(?:réponds|répondez|reponds|repondez|dis|dites)\s+à\s+/iu, sep: FR_SEP, named: true },
  {
    verb: new RegExp(`^(?:réponds|répondez|reponds|repondez)(?:-(?:leur|lui))?${END}`, 'iu'),
    sep: FR_SEP,
    named: false,
  },
  {
    verb: /^(?:responde|responda|contesta|conteste|dile|diles|dígale|digale)\s+a\s+/iu,
    sep: ES_SEP,
    named: true,
  },
  {
    verb: new RegExp(
      `^(?:respóndele|respondele|respóndeles|contéstale|contestale|responde|contesta)${END}`,
      'iu',
    ),
    sep: ES_SEP,
    named: false,
  },
];

/** Whoever these name, the owner did not ask to reply to a third party ("let me know", "tell us"). */
const SELF = new RegExp(`^(?:me|us|myself|you|mich|mir|uns|moi|nous|vous|mí|nosotros)${END}`, 'iu');
const PRONOUN = new RegExp(
  `^(?:them|him|her|all|everyone|everybody|it|this(?:\\s+(?:e-?mail|mail|message|thread|one))?|ihm|ihr|ihnen|allen|eux|lui|elle|elles|tous|él|ella|ellos|ellas|todos)${END}`,
  'iu',
);
const ROLE = new RegExp(`^(?:the|this|that)\\s+[\\p{L}-]+${END}`, 'iu');
const EMAIL = /^<?([^\s@<>,;:()]+@[^\s@<>,;:()]+)>?/u;
const CAPS = /^\p{Lu}[\p{L}\p{M}'’-]*(?:\s+\p{Lu}[\p{L}\p{M}'’-]*){0,2}/u;
const WORD = /^\p{L}[\p{L}\p{M}'’-]*/u;
/** Capitalised words that start the instruction rather than continue a name ("tell Dana We accept"). */
const NOT_NAME = new Set(
  'i we our you yes no ok okay please thanks thank sorry sure unfortunately happy great the it this that they let wir ja nein nous oui non sí si'.split(
    ' ',
  ),
);
const SIGN_OFF =
  /^(?:thanks|thank you|thx|cheers|best|regards|kind regards|best regards|danke|viele grüße|grüße|gruß|merci|cordialement|gracias|saludos)(?![\p{L}])/iu;
const MAX_TEXT = 4000;

/** The recipient and the words of a request to reply, or null when the text asks for no reply. */
export function parseReplyRequest(ownerText: string): ReplyRequest | null {
  const text = stripInvisible(ownerText.slice(0, MAX_TEXT)).text.replace(/\r\n?/g, '\n');
  for (const start of sentenceStarts(text)) {
    const s = text.slice(start).replace(POLITE, '');
    for (const form of FORMS) {
      const verb = form.verb.exec(s);
      if (!verb) continue;
      const rest = s.slice(verb[0].length);
      const found = form.named ? named(rest, form) : unnamed(rest, form);
      if (found) return found;
    }
  }
  return null;
}

function unnamed(rest: string, form: Form): ReplyRequest | null {
  const sep = form.sep.exec(rest);
  return sep ? { recipientHint: null, instruction: instructionFrom(rest.slice(sep[0].length)) } : null;
}

interface Candidate {
  hint: string | null;
  length: number;
  /** Usable without an explicit separator ("tell Dana we accept"); lower-case words and roles are not. */
  bare: boolean;
}

function named(rest: string, form: Form): ReplyRequest | null {
  if (SELF.test(rest)) return null;
  const all = candidates(rest);
  for (const c of all) {
    const after = afterName(rest.slice(c.length), form);
    const sep = after === null ? null : form.sep.exec(after);
    if (after !== null && sep) {
      return { recipientHint: c.hint, instruction: instructionFrom(after.slice(sep[0].length)) };
    }
  }
  for (const c of all) {
    const after = c.bare ? afterName(rest.slice(c.length), form) : null;
    if (after === null) continue;
    if (/^\s*[.!?]*\s*(?:\n\s*\n|$)/u.test(after)) return { recipientHint: c.hint, instruction: '' };
    if (/^\s+\S/u.test(after)) return { recipientHint: c.hint, instruction: instructionFrom(after) };
  }
  return null;
}

function afterName(after: string, form: Form): string | null {
  if (!form.after) return after;
  const m = form.after.exec(after);
  return m ? after.slice(m[0].length) : null;
}

/** Ways to read the start of `rest` as a recipient, most specific first. */
function candidates(rest: string): Candidate[] {
  const out: Candidate[] = [];
  const pronoun = PRONOUN.exec(rest);
  if (pronoun) out.push({ hint: null, length: pronoun[0].length, bare: true });
  const email = EMAIL.exec(rest);
  if (email?.[1]) {
    const address = email[1].replace(/[.]+$/, '');
    const length = email[0].endsWith('>')
      ? email[0].length
      : address.length + (email[0].startsWith('<') ? 1 : 0);
    out.push({ hint: address, length, bare: true });
  }
  const caps = CAPS.exec(rest);
  if (caps) {
    const words = [...caps[0].matchAll(/\S+/g)].map((m) => ({ word: m[0], end: m.index + m[0].length }));
    const stop = words.findIndex((w) => NOT_NAME.has(w.word.toLowerCase()));
    const kept = stop < 0 ? words : words.slice(0, stop);
    for (let n = kept.length; n >= 1; n--) {
      out.push({
        hint: kept
          .slice(0, n)
          .map((w) => w.word)
          .join(' '),
        length: kept[n - 1]?.end ?? 0,
        bare: true,
      });
    }
  }
  const role = ROLE.exec(rest);
  if (role) out.push({ hint: null, length: role[0].length, bare: false });
  const word = WORD.exec(rest);
  if (word) out.push({ hint: word[0], length: word[0].length, bare: false });
  return out;
}

/** Where a sentence or clause may start: the text's start, after . ! ? ; : , and after line breaks. */
function sentenceStarts(text: string): number[] {
  const starts = [text.length - text.trimStart().length];
  for (const m of text.matchAll(/[.!?;:,]\s+|\n\s*/g)) starts.push(m.index + m[0].length);
  return [...new Set(starts)].sort((a, b) => a - b);
}

/** The instruction: to the end of the paragraph, without a trailing sign-off or wrapping quotes. */
function instructionFrom(s: string): string {
  const paragraph = s.split(/\n[ \t]*\n/u)[0] ?? '';
  const lines = paragraph.split('\n').map((l) => l.trim());
  const last = lines.length - 1;
  if (last >= 1 && SIGN_OFF.test(lines[last - 1] ?? '') && (lines[last] ?? '').split(/\s+/).length <= 3) {
    lines.splice(last - 1);
  }
  while (lines.length > 1 && SIGN_OFF.test(lines.at(-1) ?? '')) lines.pop();
  const words = lines
    .join(' ')
    .replace(/\s+/g, ' ')
    .replace(
      /(?<=[.!?])\s+(?:thanks|thank you|thx|cheers|danke|merci|gracias)(?![\p{L}])[^.!?]*[.!?]*$/iu,
      '',
    )
    .trim();
  const quoted = /^["“„«‘']\s*(.*?)\s*["”“»’']([.!?]?)$/u.exec(words);
  return quoted ? `${quoted[1]}${quoted[2]}`.trim() : words;
}
