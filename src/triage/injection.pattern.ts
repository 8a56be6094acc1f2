/**
 * Building blocks of the injection rules (injection.rules.ts, injection.directives.ts). The
 * rules run on folded text (injection.fold.ts): accents removed and look-alike letters mapped to
 * Latin, so plain ASCII words with `\b` boundaries are enough.
 */

export interface InjectionRule {
  /** Stable name, recorded in the journal. */
  name: string;
  patterns: RegExp[];
}

/** Case-insensitive, global (for matchAll). */
export const rx = (...parts: string[]): RegExp => new RegExp(parts.join(''), 'gi');

export const any = (...alternatives: string[]): string => `(?:${alternatives.join('|')})`;

/** An e-mail address (bracketed or not), or "this / the following / our new address". */
export const ADDRESS = any(
  String.raw`<?[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}>?`,
  String.raw`(?:this|that|the\s+following|the\s+address\s+below|my|our\s+new|the\s+new)\s+(?:e-?mail\s+)?address`,
);

/** Up to 80 characters within one sentence (lazy). */
export const GAP = String.raw`[^.!?\n]{0,80}?`;

/** Names by which mail addresses an AI system, in the five languages (folded: no accents). */
export const AI_NAMES = any(
  "ai(?![-'])",
  String.raw`a\.i\.`,
  String.raw`(?:ai|virtual|e-?mail|mail|inbox|digital|personal|automated|autonomous)\s+(?:assistant|agent|model|system)`,
  'assistant',
  'deskhand',
  'chatbot',
  'bot',
  'llm',
  String.raw`(?:large\s+)?language\s+model`,
  'chatgpt',
  'gpt',
  'claude',
  'copilot',
  'gemini',
  'ki(?:-assistent)?',
  'ia',
  String.raw`assistant\s+(?:ia|virtuel)`,
  String.raw`asistente(?:\s+virtual)?`,
  'assistent',
  'taalmodel',
  'sprachmodell',
);

/** Where money or mail can be redirected to: an address, or an account. */
export const TARGET = any(
  ADDRESS,
  String.raw`(?:our|the|a|this|my|their)\s+(?:new\s+|updated\s+|other\s+|following\s+)?(?:bank\s+)?account\b`,
  String.raw`[a-z]{2}\d{2}(?:\s?[a-z0-9]{4}){2,7}`,
);
