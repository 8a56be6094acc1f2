/**
 * The verdict in the owner's words: yes, no, both, a question, a hedge, a condition, or nothing.
 *
 * Owners answer up front ("Yes please send", "NO", "ja, passt", "👍"), so only the first few lines
 * of the new text are read, clause by clause (split at punctuation and at "but"). Where a word
 * counts depends on how ambiguous it is (see `reply.lexicon.ts`): "ok" opens a clause or stands
 * in a short one, "go ahead" may sit anywhere in a short clause, and nothing counts deep inside
 * long prose — a long paragraph without a plain verdict is not one. Idioms and hedges are matched
 * first ("no problem" is a yes, "I don't know" is not a no), then a negator before a yes-phrase
 * ("not ok", "no need to send it"), then neutral idioms ("no rush") and the phrases. A question, a hedge, a condition after "but",
 * or both a yes and a no leave the verdict open: the caller asks again rather than guess.
 * Pure; linear in the length of the text.
 */

import { weekdaysIn } from '../../skills/instructions/instruction.when.ts';
import {
  BUT,
  EMOJI,
  FILLERS,
  IDIOMS,
  NEGATORS,
  NOT_AFTER_SEND,
  PHRASES,
  type Phrase,
  type Sense,
} from './reply.lexicon.ts';

export interface Verdict {
  kind: 'yes' | 'no' | 'both' | 'question' | 'hedge' | 'condition' | 'none';
  /** The clauses that said yes / no / hedged, as the owner wrote them. */
  yes: string[];
  no: string[];
  hedge: string[];
  /** The clause that asked or set a condition, when one did. */
  open: string | null;
}

interface Hit {
  sense: Sense;
  reach: Phrase['reach'];
  start: number;
  length: number;
  idiom: boolean;
}

const byFirstWord = (phrases: Phrase[]): Map<string, Phrase[]> => {
  const map = new Map<string, Phrase[]>();
  for (const p of phrases) {
    const key = p.words[0] ?? '';
    map.set(
      key,
      [...(map.get(key) ?? []), p].sort((a, b) => b.words.length - a.words.length),
    );
  }
  return map;
};
const IDIOM_INDEX = byFirstWord(IDIOMS);
const PHRASE_INDEX = byFirstWord(PHRASES);
const POST_NEGATORS = new Set(['not', 'nicht', 'pas']);
// A time the owner wants it done at ("send it Monday", "after 5pm", "tonight"): not something to do now.
const TIMING =
  /(?<![\p{L}\p{N}])(?:\d{1,2}(?:[:.]\d{2})?\s?(?:am|pm|uhr|h)|tonight|this (?:afternoon|evening)|later today|heute abend|ce soir)(?![\p{L}])/iu;
const TOKEN = /[\p{L}\p{N}]+(?:'\p{L}+)*/gu;
const BEFORE_BUT = new RegExp(`(?<![\\p{L}])(?=(?:${[...BUT].join('|')})(?![\\p{L}]))`, 'iu');

function startsWith(tokens: readonly string[], at: number, words: readonly string[]): boolean {
  return words.every((w, k) => tokens[at + k] === w);
}

function longest(index: Map<string, Phrase[]>, tokens: readonly string[], at: number): Phrase | null {
  for (const p of index.get(tokens[at] ?? '') ?? []) {
    if (!startsWith(tokens, at, p.words)) continue;
    // "send me the PDF first" asks for something; it is not a go-ahead.
    if (p.words[p.words.length - 1] === 'send' && NOT_AFTER_SEND.has(tokens[at + p.words.length] ?? ''))
      continue;
    return p;
  }
  return null;
}

/** "not ok", "don't send it", "nicht einverstanden": a negator, then a yes-phrase, is a no. */
function negatedAt(tokens: readonly string[], at: number): Hit | null {
  for (const neg of NEGATORS) {
    if (!startsWith(tokens, at, neg)) continue;
    const next = at + neg.length;
    const p = longest(PHRASE_INDEX, tokens, next);
    if (p?.sense === 'yes')
      return { sense: 'no', reach: 'free', start: at, length: neg.length + p.words.length, idiom: false };
  }
  return null;
}

const hitOf = (p: Phrase, start: number, idiom: boolean): Hit => ({
  sense: p.sense,
  reach: p.reach,
  start,
  length: p.words.length,
  idiom,
});

/**
 * The phrases in a clause, left to right. At each word: a yes-idiom or a hedge ("no problem",
 * "not sure"), else a negated yes ("no need to send it"), else a neutral idiom ("no need"), else
 * the longest phrase.
 */
function hitsOf(tokens: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const idiom = longest(IDIOM_INDEX, tokens, i);
    const strong = idiom && idiom.sense !== 'neutral' ? hitOf(idiom, i, true) : null;
    const negated = strong ? null : negatedAt(tokens, i);
    const weak = idiom && !strong && !negated ? hitOf(idiom, i, true) : null;
    const plain = strong || negated || weak ? null : longest(PHRASE_INDEX, tokens, i);
    const found = strong ?? negated ?? weak ?? (plain && hitOf(plain, i, false));
    if (found) {
      // "please do not send", "stop, don't": a yes-phrase right after a no belongs to it.
      const after = found.sense === 'no' ? longest(PHRASE_INDEX, tokens, i + found.length) : null;
      if (after?.sense === 'yes') found.length += after.words.length;
      // "absolutely not", "passt nicht": a negator right after a yes-phrase turns it.
      if (found.sense === 'yes' && !found.idiom && POST_NEGATORS.has(tokens[i + found.length] ?? '')) {
        found.sense = 'no';
        found.length += 1;
      }
      hits.push(found);
      i += found.length;
    } else i++;
  }
  return hits;
}

/** Whether a hit counts where it stands in its clause (see the lexicon for the reaches). */
function counts(hit: Hit, tokens: readonly string[]): boolean {
  const lead = tokens.findIndex((t) => !FILLERS.has(t));
  const size = tokens.filter((t) => !FILLERS.has(t)).length;
  const atLead = lead < 0 || hit.start <= lead;
  switch (hit.reach) {
    case 'any':
      return true;
    case 'free':
      return atLead || size <= 8;
    case 'lead':
      return atLead || size <= 3;
    case 'solo': {
      const own = tokens.slice(hit.start, hit.start + hit.length).filter((t) => !FILLERS.has(t)).length;
      return atLead && size === own;
    }
  }
}

/** Lower-case words, apostrophes plain, emoji verdicts as words. */
export function tokensOf(text: string): string[] {
  let t = text
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC\u0060\u00B4]/g, "'")
    .replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F\uFE0E]/gu, '');
  for (const [re, word] of EMOJI) t = t.replace(re, word);
  return t.match(TOKEN) ?? [];
}

interface Clause {
  text: string;
  question: boolean;
}

/** Clauses at punctuation, dashes and line ends, and before "but"; `question` when a "?" ends one. */
function clausesOf(text: string): Clause[] {
  const out: Clause[] = [];
  const sep = /[!?…;\n]+|[.,:]+(?=\s|$)|\s[-–—]+(?=\s|$)/gu;
  let from = 0;
  const push = (end: number, after: string) => {
    const piece = text.slice(from, end);
    const parts = piece.split(BEFORE_BUT);
    parts.forEach((p, k) => {
      const question = k === parts.length - 1 && after.includes('?');
      if (p.trim()) out.push({ text: `${p.trim()}${question ? '?' : ''}`, question });
    });
  };
  for (const m of text.matchAll(sep)) {
    push(m.index, m[0]);
    from = m.index + m[0].length;
  }
  push(text.length, '');
  return out;
}

/** The verdict of `text` (the owner's first lines, or a model's evidence). */
export function readVerdict(text: string): Verdict {
  const v: Verdict = { kind: 'none', yes: [], no: [], hedge: [], open: null };
  let question: string | null = null;
  let condition: string | null = null;
  // "invoice no. 42", "Nr. 7": a number sign, not a verdict (and its dot ends no clause).
  const numbered = text.replace(/(?<![\p{L}])(?:no|nr|nº|n°)\.?\s*(?=#?\d)/giu, 'number ');
  for (const clause of clausesOf(numbered)) {
    const tokens = tokensOf(clause.text);
    const hits = hitsOf(tokens).filter((h) => counts(h, tokens));
    const senses = new Set(hits.map((h) => h.sense));
    if (senses.has('yes')) v.yes.push(clause.text);
    if (senses.has('no')) v.no.push(clause.text);
    if (senses.has('hedge')) v.hedge.push(clause.text);
    const onlyIdioms = hits.length > 0 && hits.every((h) => h.idiom && h.sense === 'yes');
    if (clause.question && !onlyIdioms) question ??= clause.text;
    if (senses.has('yes') && (weekdaysIn(clause.text).length > 0 || TIMING.test(clause.text)))
      condition ??= clause.text;
    if (BUT.has(tokens[0] ?? '') && !senses.has('yes') && !senses.has('no')) {
      const covered = new Set(hits.flatMap((h) => Array.from({ length: h.length }, (_, k) => h.start + k)));
      if (tokens.some((t, k) => k > 0 && !covered.has(k) && !FILLERS.has(t))) condition ??= clause.text;
    }
  }
  if (v.hedge.length > 0) v.kind = 'hedge';
  else if (condition !== null) [v.kind, v.open] = ['condition', condition];
  else if (question !== null) [v.kind, v.open] = ['question', question];
  else if (v.yes.length > 0 && v.no.length > 0) v.kind = 'both';
  else if (v.yes.length > 0) v.kind = 'yes';
  else if (v.no.length > 0) v.kind = 'no';
  return v;
}
