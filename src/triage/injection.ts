/**
 * Prompt-injection detection for third-party mail (RELIABILITY.md item 19, OWASP LLM01):
 * instructions addressed to the assistant or its model rather than to the owner. A finding never
 * changes what deskhand does with the mail — mail is data either way — it is journaled and shown,
 * so the owner sees that somebody tried.
 *
 * Input: the subject and visible text with invisible characters removed, and `hidden`, the ASCII
 * that was smuggled in Unicode tag characters (src/shared/invisible.ts). Hidden text with letters
 * in it is a finding of its own ('hidden-text'): no legitimate sender writes to a reader who
 * cannot see it. The hidden text is scanned with every rule as well. Pure, never throws.
 */

import { ACTION_RULES } from './injection.directives.ts';
import { foldText, originalSlice } from './injection.fold.ts';
import type { InjectionRule } from './injection.pattern.ts';
import { MODEL_RULES } from './injection.rules.ts';

export interface InjectionFinding {
  rule: string;
  phrase: string;
  hidden: boolean;
}

const RULES: readonly InjectionRule[] = [...MODEL_RULES, ...ACTION_RULES];

/**
 * Regexes over a huge body cost time for nothing: an injection aimed at a model sits where the
 * model reads, and no prompt shows it more than this (src/llm clips far earlier).
 */
const MAX_CHARS = 200_000;
const MAX_PHRASE = 160;

/** Trims the context a pattern needed (a sentence break before a vocative) and caps the length. */
function cleanPhrase(phrase: string): string {
  const trimmed = phrase
    .replace(/^[\s.!?;:,>-]+/, '')
    .trim()
    .replace(/\s+/g, ' ');
  return trimmed.length > MAX_PHRASE ? `${trimmed.slice(0, MAX_PHRASE - 1).trimEnd()}…` : trimmed;
}

function scan(text: string, hidden: boolean, out: InjectionFinding[]): void {
  const clipped = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const f = foldText(clipped);
  for (const rule of RULES) {
    for (const pattern of rule.patterns) {
      for (const m of f.folded.matchAll(pattern)) {
        const phrase = cleanPhrase(originalSlice(clipped, f, m.index, m.index + m[0].length));
        if (phrase !== '') out.push({ rule: rule.name, phrase, hidden });
      }
    }
  }
}

/** One finding per phrase and rule; a phrase inside a longer one of the same rule adds nothing. */
function unique(findings: InjectionFinding[]): InjectionFinding[] {
  const key = (x: InjectionFinding) => `${x.rule}\u0000${x.hidden}`;
  const seen = new Set<string>();
  return findings.filter((x) => {
    const phrase = x.phrase.toLowerCase();
    const id = `${key(x)}\u0000${phrase}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return !findings.some(
      (y) =>
        y !== x &&
        key(y) === key(x) &&
        y.phrase.length > x.phrase.length &&
        y.phrase.toLowerCase().includes(phrase),
    );
  });
}

/** Instructions addressed to the assistant/model inside third-party mail. Pure, never throws. */
export function detectInjection(input: {
  subject: string;
  text: string;
  hidden: string;
}): InjectionFinding[] {
  const findings: InjectionFinding[] = [];
  try {
    const hidden = input.hidden ?? '';
    if (/\p{L}/u.test(hidden))
      findings.push({ rule: 'hidden-text', phrase: cleanPhrase(hidden), hidden: true });
    scan(input.subject ?? '', false, findings);
    scan(input.text ?? '', false, findings);
    scan(hidden, true, findings);
  } catch {
    // A rule must never take triage down; what was found so far still counts.
  }
  return unique(findings);
}
