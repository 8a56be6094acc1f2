import type { IcsCache } from './ics-cache.ts';
import { feedName, fetchError, type IcsFetchError, statusError, thrownError } from './ics-fetch-errors.ts';

/**
 * Fetches one calendar feed (`CALENDAR_ICS_URLS`) over http(s) with global fetch: a time limit
 * on the whole exchange, a size limit on the (decompressed) body, a cache in front. It never
 * throws: a dead feed is a typed result, so availability can say "busy time from this calendar
 * is unknown" instead of failing, and a recent cached copy stands in while a feed is down.
 */

export interface FetchIcsOptions {
  /** Whole exchange, body included. Default 10,000 ms. */
  timeoutMs?: number;
  /** Larger bodies are refused (counted after decompression). Default 5 MiB. */
  maxBytes?: number;
  cache?: IcsCache;
  /** A cached copy younger than this is used without fetching. Default 5 minutes. */
  freshMs?: number;
  /** A cached copy younger than this stands in when the feed cannot be fetched. Default 6 hours. */
  staleMs?: number;
  /** Injectable for tests; default global fetch. */
  fetch?: typeof globalThis.fetch;
}

export type IcsFetchResult =
  | { ok: true; text: string; source: 'network' | 'cache' | 'stale-cache'; warning: string | null }
  | { ok: false; error: IcsFetchError };

const MiB = 1024 * 1024;

/** The request for a feed URL: webcal(s) is http(s); user:password moves to a Basic header. */
function requestFor(url: string): { href: string; headers: Record<string, string> } | null {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return null;
  }
  if (u.protocol === 'webcal:' || u.protocol === 'webcals:')
    u = new URL(`https:${u.href.slice(u.protocol.length)}`);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const headers: Record<string, string> = { accept: 'text/calendar, */*;q=0.5', 'user-agent': 'deskhand' };
  if (u.username || u.password) {
    const pair = `${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  return { href: u.href, headers };
}

/** Reads the body up to `maxBytes`; null when it is larger. */
async function readCapped(res: Response, maxBytes: number): Promise<string | null> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes || !res.body) {
    await res.body?.cancel();
    return declared > maxBytes ? null : '';
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let r = await reader.read(); !r.done; r = await reader.read()) {
    size += r.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(r.value);
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

async function fromNetwork(url: string, opts: FetchIcsOptions): Promise<IcsFetchResult> {
  const feed = feedName(url);
  const req = requestFor(url);
  if (!req)
    return { ok: false, error: fetchError('ICS_BAD_URL', false, `${feed} is not an http(s) address`) };
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBytes = opts.maxBytes ?? 5 * MiB;
  try {
    const res = await (opts.fetch ?? globalThis.fetch)(req.href, {
      headers: req.headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, error: statusError(feed, res.status) };
    }
    const text = await readCapped(res, maxBytes);
    if (text === null) {
      return {
        ok: false,
        error: fetchError('ICS_TOO_LARGE', false, `${feed} is larger than ${maxBytes} bytes`),
      };
    }
    // A login page or an error page served with 200 is the usual sign of a revoked secret address.
    if (!/^\uFEFF?\s*BEGIN:VCALENDAR/i.test(text)) {
      return { ok: false, error: fetchError('ICS_NOT_CALENDAR', false, `${feed} did not return a calendar`) };
    }
    return { ok: true, text, source: 'network', warning: null };
  } catch (err) {
    return { ok: false, error: thrownError(feed, err, timeoutMs) };
  }
}

/** Fetches the feed at `url`, through the cache when one is given. Never throws. */
export async function fetchIcs(url: string, opts: FetchIcsOptions = {}): Promise<IcsFetchResult> {
  const cached = opts.cache?.get(url);
  if (cached && cached.ageMs < (opts.freshMs ?? 5 * 60_000)) {
    return { ok: true, text: cached.text, source: 'cache', warning: null };
  }
  const got = await fromNetwork(url, opts);
  if (got.ok) {
    opts.cache?.set(url, got.text);
    return got;
  }
  if (cached && cached.ageMs < (opts.staleMs ?? 6 * 3_600_000)) {
    const minutes = Math.round(cached.ageMs / 60_000);
    const warning = `${got.error.message}; using the copy fetched ${minutes} min ago`;
    return { ok: true, text: cached.text, source: 'stale-cache', warning };
  }
  return got;
}
