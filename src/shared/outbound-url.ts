/**
 * Finding and comparing links in text, for the outbound sanitizer (RELIABILITY 20). A link in
 * model output survives only when it was already in the thread, so detection errs on the side of
 * seeing a link: anything a mail client might make clickable counts, and what is detected but
 * not allowed is removed. Pure; every regex here is linear (no nested ambiguous quantifiers) —
 * the sanitizer's tests run them on megabyte-sized adversarial input.
 */

/** Characters that end a URL written in text: whitespace, angle brackets, quotes, backtick, and the sanitizer's sentinel. */
const C = '[^\\s<>"`\\uE000]';
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const HOST = `(?:(?:${LABEL}\\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})|\\d{1,3}(?:\\.\\d{1,3}){3})`;
/** Schemes written without `//` that a client may still open (RFC 6068 mailto, RFC 2397 data, …). */
const COLON_SCHEMES =
  'mailto|data|javascript|vbscript|livescript|file|blob|filesystem|view-source|jar|about|tel|sms|callto|sip|sips|xmpp|news|intent|ms-[a-z0-9-]{1,40}';

/**
 * One pass over the text, leftmost-first. The lookbehinds stop a match from starting inside a
 * word, an address (`dana@acme.example/x` is not a link) or another URL.
 */
const LINK = new RegExp(
  [
    `(?<![a-z0-9+.-])[a-z][a-z0-9+.-]{1,31}://${C}*`,
    `(?<![a-z0-9+.-])(?:${COLON_SCHEMES}):${C}+`,
    `(?<![\\w.@/:-])www\\.${C}+`,
    `(?<![\\w:/.-])//${HOST}(?::\\d{1,5})?(?:[/?#]${C}*)?`,
    // Scheme-less host with a path, query, fragment or port: mail clients autolink `acme.example/x`,
    // and the path and query can carry data. A bare host name (`acme.example`) is left as text.
    `(?<![\\w.@/:%+-])${HOST}(?::\\d{1,5}(?:[/?#]${C}*)?|[/?#]${C}*)`,
    // A UNC path (`\\host\share`): Windows clients open it over SMB and leak credentials.
    `(?<![\\w\\\\])\\\\\\\\[a-z0-9._-]{1,253}\\\\${C}*`,
  ].join('|'),
  'gi',
);

const DANGEROUS = /^(?:data|javascript|vbscript|livescript|file|blob|filesystem|view-source|jar):/i;
const TRAILING = new Set(['.', ',', ':', ';', '!', '?', "'", '"', '*', '_', '~']);

/** A link as written in the text, its span, and its normalized form (null when it is no URL after all). */
export interface FoundLink {
  start: number;
  end: number;
  raw: string;
  normalized: string | null;
}

/** Every link-like span in `text`, left to right, trailing punctuation excluded. */
export function findLinks(text: string): FoundLink[] {
  const found: FoundLink[] = [];
  for (const m of text.matchAll(LINK)) {
    const raw = trimUrlEnd(m[0]);
    if (raw === '') continue;
    found.push({ start: m.index, end: m.index + raw.length, raw, normalized: normalizeUrl(raw) });
  }
  return found;
}

/**
 * Drops what prose puts after a URL: `.,:;!?'"*_~`, and a closing bracket without its opening
 * one (`(see https://x.example/a)`), as GitHub's autolinker does. Linear: counts once.
 */
export function trimUrlEnd(url: string): string {
  const open: Record<string, number> = { ')': 0, ']': 0, '}': 0 };
  const close: Record<string, number> = { ')': 0, ']': 0, '}': 0 };
  const pairOf: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  for (const ch of url) {
    const closing = pairOf[ch];
    if (closing) open[closing] = (open[closing] ?? 0) + 1;
    else if (ch in close) close[ch] = (close[ch] ?? 0) + 1;
  }
  let end = url.length;
  while (end > 0) {
    const ch = url[end - 1] ?? '';
    if (TRAILING.has(ch)) {
      end--;
    } else if (ch in close && (close[ch] ?? 0) > (open[ch] ?? 0)) {
      close[ch] = (close[ch] ?? 0) - 1;
      end--;
    } else {
      break;
    }
  }
  return url.slice(0, end);
}

/**
 * A URL in the form two writings of the same address share: scheme and host lower-cased (IDN to
 * punycode), default port dropped, dot segments resolved, percent-escapes of unreserved characters
 * decoded and the others upper-cased (RFC 3986 §6.2.2), `www.`/scheme-less forms given `http://`.
 * Path, query and fragment are otherwise kept exactly: they can carry data. Null when `raw` is
 * not a URL (e.g. `http://` with no host). Never throws.
 */
export function normalizeUrl(raw: string): string | null {
  const trimmed = trimUrlEnd(raw.trim().replace(/^<|>$/g, ''));
  if (trimmed === '') return null;
  const absolute = withScheme(trimmed);
  let url: URL;
  try {
    url = new URL(absolute);
  } catch {
    return fallbackNormal(absolute);
  }
  if (url.protocol === 'mailto:') return percentNormal(`mailto:${url.pathname.toLowerCase()}${url.search}`);
  if (SPECIAL.has(url.protocol) && url.protocol !== 'file:' && url.hostname === '') return null;
  return percentNormal(url.href);
}

/**
 * The key two URLs are compared by: the normalized form with `https` treated as `http` (and
 * `wss` as `ws`). Switching the scheme reaches the same resource and carries no extra data.
 */
export function comparisonKey(normalized: string): string {
  return normalized.replace(/^https:/, 'http:').replace(/^wss:/, 'ws:');
}

/** `data:`, `javascript:`, `file:` and their kin: never allowed, removed outright. */
export function isDangerousUrl(normalized: string): boolean {
  return DANGEROUS.test(normalized);
}

const SPECIAL = new Set(['http:', 'https:', 'ftp:', 'ws:', 'wss:', 'file:']);
const HAS_SCHEME = /^([a-z][a-z0-9+.-]{1,31}):/i;
const COLON_SCHEME = new RegExp(`^(?:${COLON_SCHEMES})$`, 'i');

function withScheme(s: string): string {
  if (s.startsWith('\\\\')) return `file:${s.replace(/\\/g, '/')}`;
  if (s.startsWith('//')) return `http:${s}`;
  const m = HAS_SCHEME.exec(s);
  // `acme.example:8080/x` looks like a scheme; it is one only with `//` or when it is a known one.
  if (m && (s.startsWith('//', m[0].length) || COLON_SCHEME.test(m[1] ?? ''))) return s;
  return `http://${s}`;
}

function fallbackNormal(s: string): string {
  return s.replace(
    /^([a-z][a-z0-9+.-]{0,31}:(?:\/\/)?)([^/?#]*)/i,
    (_m, scheme: string, host: string) => scheme.toLowerCase() + host.toLowerCase(),
  );
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

function percentNormal(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => {
    const ch = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(ch) ? ch : `%${hex.toUpperCase()}`;
  });
}
