import { sentenceIsStanding } from './instruction.detect.ts';
import type { StandingRule } from './instruction.model.ts';
import { parseInvoiceRule } from './instruction.parse.invoices.ts';
import { parseFilingRule, parseIgnoreRule } from './instruction.parse.mail.ts';
import { parseMeetingRule } from './instruction.parse.meetings.ts';
import type { SentenceResult } from './instruction.parse.result.ts';
import { cleanText, type Sentence, splitSentences, squash } from './instruction.text.ts';

/**
 * The deterministic reading of a standing instruction: no model, no I/O. It reads one rule per
 * message — the first sentence that yields one. Further sentences that look like instructions are
 * listed in `ignored` so the confirmation can say they were not recorded (the owner sends them
 * separately), rather than guessing how several rules interact.
 *
 * `text` must be the owner's own new words (the reply text, or the note above a forward), never
 * quoted or forwarded content: rules only come from the owner (DESIGN.md safety model).
 */

export type ParsedInstruction =
  | {
      rule: StandingRule;
      /** The owner's sentence(s) the rule came from, for the confirmation and the journal. */
      words: string;
      method: 'rules';
      /** Other sentences that look like standing instructions and were not recorded. */
      ignored: string[];
    }
  | { rule: null; words: string; reason: string };

/** The reason when no sentence resembles a rule the parser knows (the model may still read it). */
export const NO_RULE_FOUND = 'no rule I can read without help';

// Phrases that say "standing" but carry no content of the rule; removed before the kind parsers run.
const TRIGGERS =
  /\b(?:from now on(?:wards?)?|going forward|moving forward|henceforth|from here on(?: out)?|in (?:the )?future|from today(?: on| onwards?| forward)?|starting (?:today|now)|as of (?:today|now)|from this day (?:on|forward))\b/gi;
const LEAD =
  /^(?:(?:and|also|ok|okay|so|but|please|pls|kindly|hi|hey|then)\b[,:\s]*|(?:can|could|would|will) you\b\s*|i(?:'d| would) like you to\s+|i want you to\s+|you (?:can|may|should|could)\s+|feel free to\s+|go ahead and\s+|make sure (?:to|you)\s+)+/i;
const TRAIL = /(?:[\s,]+(?:please|thanks|thank you|thx|cheers|ok\??))*[\s,.!?:;]*$/i;

/** The sentence without "from now on", "please", "could you" and end punctuation. */
function coreOf(sentence: string): string {
  return squash(sentence.replace(TRIGGERS, ' '))
    .replace(/^[\s,:;–—-]+/, '')
    .replace(LEAD, '')
    .replace(TRAIL, '')
    .replace(/\s+,/g, ',')
    .trim();
}

const PARSERS: Array<(s: string) => SentenceResult | null> = [
  parseInvoiceRule,
  parseMeetingRule,
  parseFilingRule,
  parseIgnoreRule,
];

/** What one sentence says, trying each kind of rule in turn. */
function parseSentence(sentence: string): SentenceResult | null {
  const core = coreOf(sentence);
  if (!core) return null;
  for (const parse of PARSERS) {
    const r = parse(core);
    if (r) return r;
  }
  return null;
}

/** Reads the first standing rule in the owner's text. Pure; never throws. */
export function parseInstruction(text: string): ParsedInstruction {
  const sentences = splitSentences(cleanText(text));
  const results = sentences.map((s) => ({ s, r: parseSentence(s.text) }));
  const hit = results.findIndex((x) => x.r !== null && 'rule' in x.r);
  const found = results[hit];
  if (found?.r && 'rule' in found.r) {
    const ignored = results
      .filter((x, i) => i !== hit && (x.r !== null || sentenceIsStanding(x.s.text)))
      .filter((x) => coreOf(x.s.text) !== '')
      .map((x) => x.s.text);
    return { rule: found.r.rule, words: wordsFor(sentences, hit), method: 'rules', ignored };
  }
  const reasoned = results.find((x) => x.r !== null);
  if (reasoned?.r && 'reason' in reasoned.r) {
    return { rule: null, words: reasoned.s.text, reason: reasoned.r.reason };
  }
  return { rule: null, words: instructionWords(sentences, text), reason: NO_RULE_FOUND };
}

/**
 * The sentence at `index`, with the sentence before it when that one is only a trigger
 * ("From now on:" on its own line above the rule).
 */
function wordsFor(sentences: Sentence[], index: number): string {
  const s = sentences[index];
  if (!s) return '';
  const prev = sentences[index - 1];
  if (prev && coreOf(prev.text) === '' && sentenceIsStanding(prev.text)) return `${prev.text} ${s.text}`;
  return s.text;
}

/** The sentences that look like an instruction, else the text itself (clipped), for a failure. */
export function instructionWords(sentences: Sentence[], text: string): string {
  const standing = sentences.filter((s) => sentenceIsStanding(s.text)).map((s) => s.text);
  const words = standing.length > 0 ? standing.join(' ') : squash(text);
  return words.length > 300 ? `${words.slice(0, 299)}…` : words;
}
