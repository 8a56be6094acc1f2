/** Backoff settings for retrying a model call. */
export interface BackoffPolicy {
  /** First delay before jitter. Default 500 ms. */
  baseMs: number;
  /** Ceiling for any single wait, including a server's Retry-After. Default 20 s. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 20_000 };

/**
 * Delay before retry number `attempt` (0-based): the server's Retry-After when it gave one, else
 * exponential backoff with "equal jitter" (half fixed, half random, so workers hitting one rate
 * limit spread out); both capped. `random` is injected so tests are deterministic. Pure.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxMs);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
