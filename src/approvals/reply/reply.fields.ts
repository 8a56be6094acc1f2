/**
 * Field corrections in a payment approval reply: "total: 1200.00", "amount 120", "Total = EUR
 * 1.200,00", "due Friday", "due date 15.04.2024", "iban: DE89 3704 …", "Rechnungsnummer: 2024-0043",
 * alone on a line or inside a sentence ("yes, but amount 120 and due Friday").
 *
 * Each label (`reply.labels.ts`) takes the value that starts right after it (and after ":", "is",
 * "should be", "to" …), read strictly by field: amounts through the instruction amount reader
 * (both decimal conventions), dates through `reply.when.ts`, IBANs only when their check digits are
 * right, currencies only when ISO 4217 knows the code. A label followed by anything else is prose
 * ("the amount looks right") and is passed over — said in the reason only when the owner wrote
 * "label:" and the value could not be read, or the value was a date that could mean two days.
 * A field given twice with different values is left out. Sentences that end with "?" are
 * questions, not corrections. What was read is blanked from the text handed back, so the verdict
 * reader never sees "no" in "invoice no 42". Pure; linear in the length of the text.
 */
import { isValidBIC, isValidIBAN } from 'ibantools';
import { AMOUNT, parseMoney } from '../../skills/instructions/instruction.amount.ts';
import { normalizeIban } from '../../skills/invoices/checks.iban.ts';
import { DATE_LINK_RE, FIELD_NAMES, fieldOfLabel, LABEL_RE, LINK_RE, STRICT_LABELS } from './reply.labels.ts';
import { type CorrectionField, type FieldCorrection, LIMITS } from './reply.model.ts';
import { readDateValue } from './reply.when.ts';

export interface FieldReading {
  corrections: FieldCorrection[];
  /** Values that were not taken, as phrases for the reason ("due date \"next Friday\" is ambiguous"). */
  problems: string[];
  /** The text with every read correction blanked out. */
  rest: string;
}

type Value = { value: string | number; length: number } | { problem: string; length: number } | null;

/** Labels read per sentence: a sentence with more is not a list of corrections an owner typed. */
const MAX_LABELS = 30;
const AMOUNT_AT = new RegExp(`^(?:${AMOUNT})(?![\\p{L}\\p{N}])`, 'iu');
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const CURRENCY_WORDS: Record<string, string> = {
  '€': 'EUR',
  '£': 'GBP',
  euro: 'EUR',
  euros: 'EUR',
  us$: 'USD',
};

function amountValue(v: string): Value {
  const m = AMOUNT_AT.exec(v);
  const money = m ? parseMoney(m[0]) : null;
  return m && money && money.value >= 0 ? { value: money.value, length: m[0].length } : null;
}

function currencyValue(v: string): Value {
  const m = /^(?:([a-z]{3})(?![\p{L}])|(€|£|us\$|euros?)(?![\p{L}]))/iu.exec(v);
  if (!m) return null;
  const code = m[1] ? m[1].toUpperCase() : (CURRENCY_WORDS[(m[2] ?? '').toLowerCase()] ?? '');
  return CURRENCIES.has(code) ? { value: code, length: m[0].length } : null;
}

function referenceValue(v: string): Value {
  const m = /^#?\s*([\p{L}\p{N}](?:[\p{L}\p{N}/._-]*[\p{L}\p{N}])?)/u.exec(v);
  return m?.[1] && /\d/.test(m[1]) && m[1].length <= 40 ? { value: m[1], length: m[0].length } : null;
}

/** The longest run of space-separated chunks that is a valid IBAN ("DE89 3704 0044 0532 0130 00"). */
function ibanValue(v: string): Value {
  const m = /^[a-z]{2}\d{2}(?:\s?[a-z0-9]+){1,12}/iu.exec(v);
  if (!m) return null;
  const chunks = [...m[0].matchAll(/[a-z0-9]+/giu)];
  for (let n = chunks.length; n > 0; n--) {
    const last = chunks[n - 1]!;
    const candidate = normalizeIban(m[0].slice(0, last.index + last[0].length));
    if (candidate && candidate.length <= 34 && isValidIBAN(candidate))
      return { value: candidate, length: last.index + last[0].length };
  }
  const first = /^\S+(?:\s\S{1,4})*/.exec(m[0])?.[0] ?? m[0];
  return { problem: 'is not a valid IBAN', length: first.length };
}

function bicValue(v: string): Value {
  const m = /^([a-z]{6}[a-z0-9]{2}(?:[a-z0-9]{3})?)(?![\p{L}\p{N}])/iu.exec(v);
  if (!m?.[1]) return null;
  const bic = m[1].toUpperCase();
  return isValidBIC(bic)
    ? { value: bic, length: m[0].length }
    : { problem: 'is not a valid BIC', length: m[0].length };
}

function vendorValue(v: string): Value {
  const m = /^["'“„]?([^;\n]{1,100}?)["'”]?\s*[.,!]*\s*$/u.exec(v);
  const name = m?.[1]?.trim();
  return name && /\p{L}/u.test(name) ? { value: name, length: v.trimEnd().length } : null;
}

function readValue(field: CorrectionField, v: string, today: string): Value {
  switch (field) {
    case 'total':
    case 'subtotal':
    case 'tax':
      return amountValue(v);
    case 'currency':
      return currencyValue(v);
    case 'dueDate':
    case 'issueDate': {
      const d = readDateValue(v, today);
      return d && 'iso' in d ? { value: d.iso, length: d.length } : d;
    }
    case 'iban':
      return ibanValue(v);
    case 'bic':
      return bicValue(v);
    case 'vendor':
      return vendorValue(v);
    default:
      return referenceValue(v);
  }
}

interface LabelHit {
  field: CorrectionField;
  label: string;
  start: number;
  end: number;
}

/** A vendor name runs to the end of its sentence, or to another label after ",", ";" or "and". */
function vendorEnd(sentence: string, from: number, hits: LabelHit[]): number {
  for (const h of hits) {
    if (h.start > from && /(?:[,;&]|\band|\bund|\bet|\by)\s*$/iu.test(sentence.slice(from, h.start))) {
      return sentence.slice(0, h.start).replace(/(?:[,;&]|\band|\bund|\bet|\by)\s*$/iu, '').length;
    }
  }
  return sentence.length;
}

/** Corrections in one sentence, and the spans of it that were read (to blank). */
function readSentence(
  sentence: string,
  today: string,
  found: FieldCorrection[],
  problems: string[],
): Array<[number, number]> {
  const hits: LabelHit[] = [];
  for (const m of sentence.matchAll(LABEL_RE)) {
    const field = fieldOfLabel(m[0]);
    if (field) hits.push({ field, label: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
    if (hits.length >= MAX_LABELS) break;
  }
  const spans: Array<[number, number]> = [];
  let skipUntil = 0;
  for (const hit of hits) {
    if (hit.start < skipUntil) continue;
    const dated = hit.field === 'dueDate' || hit.field === 'issueDate';
    const link = (dated ? DATE_LINK_RE : LINK_RE).exec(sentence.slice(hit.end));
    const explicit = Boolean(link?.[1]);
    if (STRICT_LABELS.has(hit.label) && (link?.[0].trim() ?? '') === '') continue;
    const from = hit.end + (link?.[0].length ?? 0);
    // The value runs to the next label after it ("amount 120 and due Friday"); a label word
    // that starts the value ("po: PO-123") is part of it.
    const next = hits.find((h) => h.start > from)?.start ?? sentence.length;
    const to = hit.field === 'vendor' ? vendorEnd(sentence, from, hits) : next;
    const segment = sentence.slice(from, to);
    const read = readValue(hit.field, segment, today);
    const end = read ? from + read.length : to;
    skipUntil = Math.max(skipUntil, hit.field === 'vendor' ? to : end);
    const words = sentence.slice(hit.start, end).trim();
    const value = clipWords(sentence.slice(from, end).trim());
    if (read && 'value' in read) found.push({ field: hit.field, value: read.value, words });
    else if (read) problems.push(`${FIELD_NAMES[hit.field]} "${value}" ${read.problem}`);
    else if (explicit && segment.trim())
      problems.push(`${FIELD_NAMES[hit.field]} "${value}" was not understood`);
    else continue;
    spans.push([hit.start, end]);
  }
  return spans;
}

const clipWords = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}…` : s);

/** Drops fields given twice with different values (and says so); keeps one of identical repeats. */
function settle(found: FieldCorrection[], problems: string[]): FieldCorrection[] {
  const byField = new Map<CorrectionField, { first: FieldCorrection; conflict: boolean }>();
  for (const c of found) {
    const seen = byField.get(c.field);
    if (!seen) byField.set(c.field, { first: c, conflict: false });
    else if (seen.first.value !== c.value) seen.conflict = true;
  }
  const out: FieldCorrection[] = [];
  for (const [field, { first, conflict }] of byField) {
    if (conflict) problems.push(`${FIELD_NAMES[field]} was given twice with different values`);
    else out.push(first);
  }
  return out;
}

/** Sentences of a line as [start, end]: they end at ".", "!" or "?" before a space (not in "1.200,00"). */
function sentencesOf(line: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = 0;
  for (const m of line.matchAll(/[.!?]+(?=\s|$)/g)) {
    out.push([from, m.index + m[0].length]);
    from = m.index + m[0].length;
  }
  if (from < line.length) out.push([from, line.length]);
  return out;
}

/** Every correction in `text` (the owner's new words), with `today` (YYYY-MM-DD) for relative dates. */
export function readCorrections(text: string, today: string): FieldReading {
  const found: FieldCorrection[] = [];
  const problems: string[] = [];
  const rest = text.split('\n').map((whole) => {
    // A correction is a short phrase: long lines are cut, which keeps the label scan linear.
    const line = whole.slice(0, LIMITS.line);
    let out = line;
    for (const [start, end] of sentencesOf(line)) {
      const sentence = line.slice(start, end);
      if (/\?\s*$/.test(sentence)) continue;
      for (const [a, b] of readSentence(sentence, today, found, problems)) {
        out = out.slice(0, start + a) + ' '.repeat(b - a) + out.slice(start + b);
      }
    }
    return out;
  });
  return { corrections: settle(found, problems), problems, rest: rest.join('\n') };
}
