/**
 * A small parser for the Authentication-Results header field (RFC 8601 §2.2). Pure, total:
 * a value it cannot make sense of yields no results rather than an exception.
 *
 *   Authentication-Results: mx.google.com; dkim=pass header.i=@northwind.example header.s=sel;
 *       spf=pass (google.com: domain of …) smtp.mailfrom=northwind.example; dmarc=pass header.from=northwind.example
 */

export interface MethodResult {
  /** e.g. `dkim`, `spf`, `dmarc`, lower case. */
  method: string;
  /** e.g. `pass`, `fail`, `none`, lower case. */
  result: string;
  /** `ptype.property` → value, keys lower case (`header.d`, `header.i`, `smtp.mailfrom`). */
  props: Record<string, string>;
}

export interface AuthenticationResults {
  /** The authserv-id, lower case (RFC 8601 §2.5). */
  authservId: string;
  results: MethodResult[];
}

/** Removes RFC 5322 comments (nested parentheses), leaving quoted strings intact. */
function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '\\' && (quoted || depth > 0)) {
      if (depth === 0) out += ch + (value[i + 1] ?? '');
      i++;
    } else if (quoted) {
      out += ch;
      if (ch === '"') quoted = false;
    } else if (ch === '(') {
      depth++;
    } else if (ch === ')' && depth > 0) {
      depth--;
      if (depth === 0) out += ' ';
    } else if (depth === 0) {
      if (ch === '"') quoted = true;
      out += ch;
    }
  }
  return out;
}

/** Splits on `;` outside quoted strings. */
function splitResinfo(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\') {
      current += ch + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current.trim());
  return parts;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\(.)/g, '$1')
    : value;
}

const METHOD = /^([a-z0-9_-]+)(?:\s*\/\s*\d+)?\s*=\s*([a-z0-9_-]+)/i;
// Anchored at a token boundary so that text inside a quoted value is never read as a property.
// A pvalue: a quoted string (possibly the local-part of `"a;b"@domain`) or a token.
const VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"[^\s;]*|[^\s;"]+)`;
const REASON = new RegExp(String.raw`\breason\s*=\s*${VALUE}`, 'i');
const PROP = new RegExp(String.raw`(?<=^|\s)([a-z0-9_-]+)\s*\.\s*([a-z0-9_-]+)\s*=\s*(${VALUE})`, 'gi');

function parseResinfo(segment: string): MethodResult | null {
  const m = METHOD.exec(segment);
  if (!m) return null;
  const props: Record<string, string> = {};
  // RFC 8601 §2.2: the reasonspec precedes the properties; its free text must not be mistaken for one.
  const tail = segment.slice(m[0].length).replace(REASON, ' ');
  for (const p of tail.matchAll(PROP)) {
    const key = `${p[1]!.toLowerCase()}.${p[2]!.toLowerCase()}`;
    props[key] ??= unquote(p[3]!);
  }
  return { method: m[1]!.toLowerCase(), result: m[2]!.toLowerCase(), props };
}

/** Parses one Authentication-Results value; null when it has no authserv-id. */
export function parseAuthenticationResults(value: string): AuthenticationResults | null {
  const [head = '', ...rest] = splitResinfo(stripComments(value));
  // The authserv-id is a value (token or quoted string), optionally followed by a version number.
  const id = /^("(?:[^"\\]|\\.)*"|[^\s"]+)/.exec(head.trim());
  if (!id) return null;
  const results = rest.map(parseResinfo).filter((r): r is MethodResult => r !== null);
  return { authservId: unquote(id[1]!).toLowerCase(), results };
}
