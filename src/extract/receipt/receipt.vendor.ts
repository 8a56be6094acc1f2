/**
 * Who issued a receipt. A printed receipt starts with the merchant's name, then its address,
 * registration and phone numbers; so the name is the first name-like line(s) above those, a line
 * with a legal form ("SDN BHD", "GmbH", "Ltd") preferred when the top line is something else (a
 * cashier's name, a branch, a logo read as noise). A receipt mailed as HTML or text names its
 * merchant in a phrase ("Receipt from Acme Inc."), not in its first line — there the top line is
 * only taken when it carries a legal form. Pure.
 */
import type { Line } from './receipt.text.ts';
import {
  endAtLegalForm,
  GREETING,
  hasLegalForm,
  LEGAL_FORM,
  NOT_NAME,
  STOP,
  STRONG_STOP,
  TITLE,
  TRADE_WORD,
  tidyName,
} from './receipt.vendor.words.ts';

export interface VendorPick {
  name: string;
  line: Line;
  confidence: number;
}

const PHRASE =
  /(?:receipt|invoice|payment|order|purchase)\s+(?:from|with|at)\s+(.{2,80})|(?:paid|payment)\s+to\s+(.{2,80})/i;
// Where the name in a phrase ends: the rest of the sentence, but not the comma of "Acme, Inc.".
const PHRASE_END =
  /\s+(?:for|on|of|is|was|has)\s.*$|[!;:].*$|(?<!\b(?:inc|ltd|co|corp|bhd|sdn|s\.a|b\.v))\.(?:\s.*)?$|,\s(?!(?:inc|llc|ltd|l\.?p|gmbh|s\.?a|b\.?v)\b).*$/i;

// A word as names are printed: capitals ("ACME", "D.I.Y.", "NANDO'S"), a capitalised word,
// a small connective, a number or a sign. OCR noise from logos and stamps ("O2XoI!2", "ee",
// "tan woon yann" in faint handwriting) is mostly not.
const GOOD_TOKEN =
  /^(?:[\p{Lu}\d][\p{Lu}\d'’.&/-]*|\p{Lu}+[\p{Ll}'’.-]+|&|and|of|de|du|la|le|el|van|der|und|et|y|[-&@+/:#.,()]+)[.,:;)]?$/u;

function nameLike(text: string): boolean {
  const t = tidyName(text);
  const letters = (t.match(/\p{L}/gu) ?? []).length;
  const visible = t.replace(/\s/g, '').length;
  const dense = letters / Math.max(visible, 1) >= (letters >= 6 ? 0.5 : 0.7);
  const tokens = t
    .split(/[\s()[\]{}]+/)
    .map((w) => w.replace(/^[^\p{L}\d&]+|[^\p{L}\d.]+$/gu, ''))
    .filter(Boolean);
  const good = tokens.filter((w) => GOOD_TOKEN.test(w)).length / tokens.length;
  const word = tokens.some((w) => /^\p{L}{3,}/u.test(w));
  return word && dense && good >= 0.6 && !GREETING.test(t) && !NOT_NAME.test(t);
}

/**
 * True when a legal-form line cannot be a name on its own and continues the line above:
 * "CO. (M) SDN BHD", "RESTAURANT SDN BHD", "& TEA LEAF (M) SDN BHD".
 */
function needsPrevious(line: string): boolean {
  if (/^[&,+-]|^\p{Ll}/u.test(line)) return true;
  const at = new RegExp(LEGAL_FORM.source, 'i').exec(line)?.index ?? 0;
  const words = line
    .slice(0, at)
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}]/gu, ''))
    .filter((w) => w && !TRADE_WORD.test(w));
  return words.length === 0 || (words.length === 1 && words[0]!.length <= 2);
}

const unbalanced = (s: string) => (s.match(/\(/g) ?? []).length > (s.match(/\)/g) ?? []).length;
const continues = (s: string) => /[&,-]$|\b(?:AND|OF)$/i.test(s.trim()) || unbalanced(s);

function nameBlock(lines: Line[]): Line[] {
  const head: Line[] = [];
  for (const line of lines.slice(0, 10)) {
    if (TITLE.test(line.text.replace(/[^\p{L}\s.]/gu, '').trim())) continue;
    const bare = tidyName(line.text);
    // "BOOK TA.K (TAMAN DAYA) SDN BHD" names a district but is no address: a legal form says so.
    if (STOP.test(bare || line.text) && !(bare && hasLegalForm(bare))) {
      // Above the name, OCR noise from a logo can look like a postcode: only a clear address line ends it.
      if (head.some((l) => nameLike(l.text)) || STRONG_STOP.test(line.text)) break;
      continue;
    }
    head.push(line);
  }
  return head;
}

/**
 * The merchant at the top of a printed receipt (OCR), or null. The first line with a legal form
 * wins ("TAN WOON YANN" — a cashier — / "BOOK TA.K (TAMAN DAYA) SDN BHD"); a legal form printed
 * on a line of its own takes the line above ("POPULAR BOOK" / "CO. (M) SDN BHD"); a name that
 * ends in "&" or an open parenthesis takes the line below.
 */
export function vendorFromTop(lines: Line[]): VendorPick | null {
  const head = nameBlock(lines).filter((l) => nameLike(l.text));
  if (!head.length) return null;
  const formed = head.find((l) => hasLegalForm(tidyName(l.text)));
  const first = formed ?? head[0]!;
  let at = head.indexOf(first);
  let raw = first.text;
  const before = head[at - 1];
  if (
    formed &&
    before &&
    before.index === first.index - 1 &&
    !hasLegalForm(before.text) &&
    needsPrevious(tidyName(raw))
  ) {
    raw = `${before.text} ${raw}`;
  }
  for (
    let extra = 0;
    extra < 2 && continues(tidyName(raw) === raw ? raw : raw.replace(/\s*$/, ''));
    extra++
  ) {
    const next = head[++at];
    if (!next || next.index !== head[at - 1]!.index + 1) break;
    raw = `${raw} ${next.text}`;
  }
  const name = endAtLegalForm(tidyName(raw));
  const confidence = formed ? 0.8 : TRADE_WORD.test(name) ? 0.65 : 0.55;
  return name ? { name, line: first, confidence } : null;
}

/** The merchant named in a mail body ("Receipt from Acme Inc."), or null. */
export function vendorFromPhrase(lines: Line[]): VendorPick | null {
  for (const line of lines) {
    const m = PHRASE.exec(line.text);
    const name = m ? tidyName((m[1] ?? m[2] ?? '').replace(PHRASE_END, '')) : '';
    if (name && nameLike(name) && !/^(?:your|the|our|us|you)\b/i.test(name))
      return { name, line, confidence: 0.8 };
  }
  const top = vendorFromTop(lines);
  return top && hasLegalForm(top.name) ? top : null;
}
