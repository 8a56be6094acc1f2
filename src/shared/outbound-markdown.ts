import type { SanitizeContext } from './outbound-html.ts';

/**
 * Markdown images and links in outbound text. Images go entirely (inline `![a](u)`, reference
 * `![a][r]`, shortcut `![r]`, and every `[r]: u` definition); a link keeps its text, plus
 * ` (url)` when the URL is allowed. Brackets and parentheses are matched once, with a stack, up
 * front: finding each `[`'s partner by rescanning would be quadratic on `[[[[…`. Nesting (a link
 * inside a link's text, an image inside a link) is followed to a fixed depth; anything deeper is
 * left as text for the sanitizer's later passes, which remove every link and image marker that
 * is left. Pure and linear.
 */

/** A definition line: `[label]: url "title"`, the URL possibly on the next line (CommonMark §4.7). */
const DEFINITION =
  /^ {0,3}\[([^\]\n]{1,999})\]:[ \t]*(?:\n[ \t]*)?(<[^>\n]*>|[^\s<>]+)(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$/gm;
const MAX_DEPTH = 16;
/** CommonMark's limit on a link label; also what keeps label look-ups linear. */
const MAX_LABEL = 999;

interface Doc {
  text: string;
  brackets: Int32Array;
  parens: Int32Array;
  defs: Map<string, string>;
  used: Set<string>;
  ctx: SanitizeContext;
}

interface Target {
  textStart: number;
  textEnd: number;
  dest: string;
  /** Index of the construct's last character. */
  end: number;
}

/** Removes images and definitions, rewrites links. */
export function stripMarkdown(text: string, ctx: SanitizeContext): string {
  const defs = new Map<string, string>();
  const body = text.replace(DEFINITION, (_m, label: string, dest: string) => {
    const key = labelKey(label);
    if (!defs.has(key)) defs.set(key, dest.replace(/^<|>$/g, ''));
    return '';
  });
  const doc: Doc = {
    text: body,
    brackets: partners(body, '[', ']'),
    parens: partners(body, '(', ')'),
    defs,
    used: new Set(),
    ctx,
  };
  const out = walk(doc, 0, body.length, 0);
  for (const [key, dest] of defs) {
    if (!doc.used.has(key) && !ctx.allowed(dest)) ctx.remove('link', dest);
  }
  return out;
}

function walk(doc: Doc, start: number, end: number, depth: number): string {
  const { text } = doc;
  const out: string[] = [];
  let last = start;
  let i = start;
  while (i < end) {
    const ch = text[i];
    if (ch === '\\') {
      i += 2;
      continue;
    }
    const image = ch === '!' && text[i + 1] === '[';
    if (image || ch === '[') {
      const found = target(doc, image ? i + 1 : i, end, image);
      if (found) {
        out.push(text.slice(last, i), image ? dropImage(doc, found, i) : renderLink(doc, found, depth));
        i = last = found.end + 1;
        continue;
      }
    }
    i++;
  }
  out.push(text.slice(last, end));
  return out.join('');
}

/**
 * The link or image starting at the `[` at `open`, if it is one. Images also accept whitespace
 * (one line break at most) between `]` and `(`, which some renderers allow: for an image, a false
 * positive only removes text, a false negative could load a picture.
 */
function target(doc: Doc, open: number, end: number, image: boolean): Target | null {
  const close = doc.brackets[open] ?? -1;
  if (close <= open || close >= end) return null;
  const k = image ? skipSpace(doc.text, close + 1, end) : close + 1;
  const span = { textStart: open + 1, textEnd: close };
  if (doc.text[k] === '(') {
    const p = doc.parens[k] ?? -1;
    if (p > k && p < end) return { ...span, dest: destination(doc.text.slice(k + 1, p)), end: p };
  }
  if (doc.text[k] === '[') {
    const b = doc.brackets[k] ?? -1;
    if (b > k && b < end) {
      const ref = doc.text.slice(k + 1, Math.min(b, k + 1 + MAX_LABEL + 1)).trim();
      const dest = lookup(doc, ref === '' ? open + 1 : k + 1, ref === '' ? close : b);
      if (dest !== undefined || image) return { ...span, dest: dest ?? '', end: b };
    }
  }
  const dest = lookup(doc, open + 1, close);
  return dest === undefined ? null : { ...span, dest, end: close };
}

function dropImage(doc: Doc, t: Target, from: number): string {
  doc.ctx.remove('image', t.dest.trim() || doc.text.slice(from, t.end + 1));
  return '';
}

function renderLink(doc: Doc, t: Target, depth: number): string {
  const text =
    depth < MAX_DEPTH ? walk(doc, t.textStart, t.textEnd, depth + 1) : doc.text.slice(t.textStart, t.textEnd);
  const dest = t.dest.trim();
  if (dest === '') return text;
  if (!doc.ctx.allowed(dest)) {
    doc.ctx.remove('link', dest);
    return text;
  }
  const shown = text.trim();
  return shown === '' || shown === dest ? dest : `${text} (${dest})`;
}

/** A definition's URL for the label between `from` and `to`, marking it used. */
function lookup(doc: Doc, from: number, to: number): string | undefined {
  if (doc.defs.size === 0 || to - from > MAX_LABEL) return undefined;
  const key = labelKey(doc.text.slice(from, to));
  const dest = doc.defs.get(key);
  if (dest !== undefined) doc.used.add(key);
  return dest;
}

function labelKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The URL inside `( … )`: `<…>` or up to the first whitespace; a title after it is dropped. */
function destination(inner: string): string {
  const s = inner.trim();
  if (s.startsWith('<')) {
    const gt = s.indexOf('>');
    return gt < 0 ? s.slice(1) : s.slice(1, gt);
  }
  const ws = s.search(/\s/);
  return ws < 0 ? s : s.slice(0, ws);
}

function skipSpace(text: string, from: number, end: number): number {
  let i = from;
  let newlines = 0;
  while (i < end) {
    const ch = text[i];
    if (ch === '\n' && newlines++ === 0) i++;
    else if (ch === ' ' || ch === '\t') i++;
    else break;
  }
  return i;
}

/** For each opening and closing character, the index of its partner, or -1. Backslash escapes count. */
function partners(text: string, open: string, close: string): Int32Array {
  const match = new Int32Array(text.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
    } else if (ch === open) {
      stack.push(i);
    } else if (ch === close) {
      const o = stack.pop();
      if (o !== undefined) {
        match[o] = i;
        match[i] = o;
      }
    }
  }
  return match;
}
