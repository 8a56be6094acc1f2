/**
 * HTML in outbound text: character references decoded (so `&#x68;ttp` cannot hide a link from the
 * URL pass) and tags removed (so nothing renders as an image, a form or a script if a client ever
 * shows the text as HTML). Hand-written scanners rather than one big regex: a tag's end depends on
 * quotes, and a regex that retries from every `<` is quadratic on hostile input. Everything here
 * is linear in the input. Pure.
 */

/** What the sanitizer passes share: the allow-check for URLs and the list of what was removed. */
export interface SanitizeContext {
  allowed(url: string): boolean;
  remove(kind: 'image' | 'link' | 'html', value: string): void;
}

// biome-ignore format: a table reads better packed
const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', colon: ':', sol: '/', bsol: '\\',
  period: '.', excl: '!', quest: '?', equals: '=', commat: '@', num: '#', percnt: '%', lpar: '(',
  rpar: ')', lsqb: '[', rsqb: ']', lbrack: '[', rbrack: ']', lcub: '{', rcub: '}', lbrace: '{',
  rbrace: '}', Tab: '\t', NewLine: '\n', hyphen: '-', dash: '‐', lowbar: '_', plus: '+', semi: ';',
  comma: ',', ast: '*', midast: '*', verbar: '|', vert: '|', grave: '`', Hat: '^', dollar: '$',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', copy: '©',
  reg: '®', trade: '™', euro: '€', shy: '',
};
/** Names browsers decode even without the semicolon (HTML's legacy references), the ones that matter here. */
const LEGACY = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg']);
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,8})|#([0-9]{1,9})|([A-Za-z][A-Za-z0-9]{1,31}))(;?)/g;
const DECODE_PASSES = 3;

/**
 * Decodes character references, repeatedly (`&amp;#x68;` → `&#x68;` → `h`) up to a few passes;
 * a reference still left after that (only deliberately nested ones are) is deleted, so no later
 * renderer can decode it into something this module never saw.
 */
export function decodeEntities(text: string, ctx: SanitizeContext): string {
  let out = text;
  for (let pass = 0; pass < DECODE_PASSES; pass++) {
    const next = out.replace(ENTITY, decodeOne);
    if (next === out) return out;
    out = next;
  }
  return out.replace(ENTITY, (m, ...rest) => {
    if (decodeOne(m, ...(rest as DecodeArgs)) === m) return m;
    ctx.remove('html', m);
    return '';
  });
}

/**
 * Escapes what would still decode as a character reference (`&#x68;` → `&amp;#x68;`): the last
 * step of sanitizing, for references that removals joined together after decoding was done.
 */
export function escapeReferences(text: string): string {
  return text.replace(ENTITY, (m, ...rest) =>
    decodeOne(m, ...(rest as DecodeArgs)) === m ? m : `&amp;${m.slice(1)}`,
  );
}

type DecodeArgs = [string | undefined, string | undefined, string | undefined, string];

function decodeOne(m: string, ...[hex, dec, name, semi]: DecodeArgs): string {
  if (hex !== undefined || dec !== undefined) {
    const cp = hex !== undefined ? Number.parseInt(hex, 16) : Number.parseInt(dec ?? '', 10);
    const valid = cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    return valid ? String.fromCodePoint(cp) : '\ufffd';
  }
  const value = name === undefined ? undefined : NAMED[name];
  if (value === undefined || (semi === '' && !LEGACY.has(name ?? ''))) return m;
  return value;
}

const TAG_START = /<!--|<[!?]|<(\/?)([a-z][a-z0-9:-]*)(?=[\s/>])/gi;
const DROP_CONTENT = new Set(['script', 'style', 'title', 'head', 'template', 'noscript', 'textarea', 'xmp']);
const IMAGES = new Set(['img', 'image', 'picture', 'source', 'video', 'audio', 'object', 'embed', 'iframe']);
const LINE_BREAKS = new Set([
  'br',
  'p',
  'div',
  'li',
  'tr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'table',
]);

/** Scanner state that only ever turns off, which is what keeps the scan linear. */
interface ScanState {
  text: string;
  lastGt: number;
  quoteAware: boolean;
}

/**
 * Removes HTML tags, comments and declarations. `<img>` and other embedding elements go with a
 * record; a `<script>`/`<style>` block goes with its content; `<a href>` keeps its text, followed
 * by ` (url)` when the URL is allowed. Text that only looks like a tag start (`a <b`, an address
 * in angle brackets) is kept.
 */
export function stripHtml(text: string, ctx: SanitizeContext): string {
  const s: ScanState = { text, lastGt: text.lastIndexOf('>'), quoteAware: true };
  const out: string[] = [];
  let link: { url: string; outAt: number } | null = null;
  let pos = 0;
  const starts = new RegExp(TAG_START.source, 'gi');
  for (let m = starts.exec(text); m !== null; m = starts.exec(text)) {
    const start = m.index;
    if (start < pos) continue;
    const end = m[0] === '<!--' ? commentEnd(text, start) : tagEnd(s, start + m[0].length);
    if (end < 0) continue; // Never closed: not a tag; `<` stays as text.
    out.push(text.slice(pos, start));
    const source = text.slice(start, end);
    pos = end;
    starts.lastIndex = end;
    const name = m[2]?.toLowerCase();
    if (name === undefined) {
      ctx.remove('html', source);
      continue;
    }
    const closing = m[1] === '/';
    if (name === 'a') {
      if (closing && link) out.push(linkSuffix(out, link));
      if (closing) link = null;
      else link = openLink(source, out, ctx);
      continue;
    }
    if (IMAGES.has(name) && !closing) ctx.remove('image', attribute(source, 'src') ?? source);
    else ctx.remove('html', source);
    if (!closing && DROP_CONTENT.has(name)) {
      pos = closeOf(text, name, end);
      starts.lastIndex = pos;
    } else if (LINE_BREAKS.has(name) && (closing || name === 'br')) {
      out.push('\n');
    }
  }
  out.push(text.slice(pos));
  return out.join('');
}

function openLink(
  source: string,
  out: string[],
  ctx: SanitizeContext,
): { url: string; outAt: number } | null {
  const href = attribute(source, 'href');
  if (href === undefined || href.trim() === '') return null;
  if (ctx.allowed(href)) return { url: href.trim(), outAt: out.length };
  ctx.remove('link', href);
  return null;
}

/** ` (url)` after an allowed link's text, unless the text already is the URL. */
function linkSuffix(out: string[], link: { url: string; outAt: number }): string {
  const inner = out.slice(link.outAt).join('').trim();
  return inner === link.url ? '' : inner === '' ? link.url : ` (${link.url})`;
}

/** Index just past `-->`; an unclosed comment runs to the end, as in a browser. */
function commentEnd(text: string, start: number): number {
  const close = text.indexOf('-->', start + 4);
  return close < 0 ? text.length : close + 3;
}

/**
 * Index just past the `>` that ends a tag, or -1. Quotes count only as attribute values (after
 * `=`), as in the HTML tokenizer. If a quote never closes, the scan stops being quote-aware for
 * the rest of the text, so no start position is ever scanned to the end twice.
 */
function tagEnd(s: ScanState, from: number): number {
  if (from > s.lastGt) return -1;
  const { text } = s;
  if (s.quoteAware) {
    for (let i = from; i < text.length; i++) {
      const ch = text[i];
      if (ch === '>') return i + 1;
      if (ch !== '=') continue;
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j] ?? '')) j++;
      const quote = text[j];
      if (quote !== '"' && quote !== "'") {
        i = j - 1;
        continue;
      }
      const close = text.indexOf(quote, j + 1);
      if (close < 0) break;
      i = close;
    }
    s.quoteAware = false;
  }
  const gt = text.indexOf('>', from);
  return gt < 0 ? -1 : gt + 1;
}

/** Index just past `</name …>`, or the end of the text when the element never closes. */
function closeOf(text: string, name: string, from: number): number {
  const re = new RegExp(`</${name}[\\s/>]`, 'gi');
  re.lastIndex = from;
  const m = re.exec(text);
  if (m === null) return text.length;
  const gt = text.indexOf('>', m.index);
  return gt < 0 ? text.length : gt + 1;
}

/** An attribute's value from a tag's source, or undefined. */
function attribute(tag: string, name: string): string | undefined {
  const re = new RegExp(`[\\s"'/]${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i');
  const m = re.exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}
