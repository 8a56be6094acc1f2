/**
 * Why a calendar feed could not be fetched, as a stable code, whether trying again later can
 * help, and a sentence for the owner. Feed URLs often carry a secret (Google's "secret address in
 * iCal format", Outlook's published-calendar token), so messages name the host only. Pure.
 */

export type IcsFetchCode =
  | 'ICS_BAD_URL'
  | 'ICS_TIMEOUT'
  | 'ICS_NETWORK'
  | 'ICS_HTTP_STATUS'
  | 'ICS_TOO_LARGE'
  | 'ICS_NOT_CALENDAR';

export interface IcsFetchError {
  code: IcsFetchCode;
  retryable: boolean;
  /** One line, safe to log and to show the owner: it never contains the URL's path or query. */
  message: string;
}

/** "https://calendar.example/…": how messages name a feed without leaking its secret path. */
export function feedName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return 'a calendar feed with an invalid address';
  }
}

export function fetchError(code: IcsFetchCode, retryable: boolean, message: string): IcsFetchError {
  return { code, retryable, message };
}

/** RFC 9110 §15: a request timeout, rate limiting or a server error may pass; others will not. */
export function statusError(feed: string, status: number): IcsFetchError {
  const retryable = status === 408 || status === 429 || status >= 500;
  return fetchError('ICS_HTTP_STATUS', retryable, `${feed} answered HTTP ${status}`);
}

/** Classifies what global fetch (undici) throws: our timeout, or a network failure with its cause. */
export function thrownError(feed: string, err: unknown, timeoutMs: number): IcsFetchError {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return fetchError('ICS_TIMEOUT', true, `${feed} did not answer within ${timeoutMs} ms`);
  }
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  const detail =
    typeof cause?.code === 'string' ? cause.code : err instanceof Error ? err.message : String(err);
  return fetchError('ICS_NETWORK', true, `${feed} could not be reached (${detail})`);
}
